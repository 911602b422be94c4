"""Take personal details out of a report that will be posted in public: home folders (and so user names)
become `~`, and host names, GPU UUIDs and serial numbers are replaced by a placeholder.

Reports may come from another machine (`--from-report`), so home folders are recognised by what the path is,
not only as this machine's home: a path that starts at a home (`/home/NAME`, `/Users/NAME`, `C:\\Users\\NAME`)
becomes `~`, and any `home` or `Users` segment further in (`/mnt/c/Users/NAME`, `/public/home/NAME`,
`\\\\wsl$\\Ubuntu\\home\\NAME`) has its NAME replaced. Every NAME so found is the report's own user: it is
taken out wherever it stands as a word (a venv `NAME-d2l`, a kernel `NAME`), as is this machine's user name.
"""

from __future__ import annotations

import getpass
import re
import socket
from pathlib import Path
from typing import Optional

_UUID = re.compile(r"\b(?:(?:GPU|MIG)-)*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
_SERIAL = re.compile(r"(?i)\b(serial(?:\s*number)?\s*[:=]\s*)([^\s,;]+)")
# Home folders by shape. Windows: C:\Users\NAME (also with doubled backslashes or forward slashes); NAME may
# hold spaces ("Zhang San") where a separator follows it.
_WIN_NAME = r"[^\\/\s\"'`<>|:*?]+"
_WIN_HOME = re.compile(
    r"(?i)\b[A-Z]:(?:\\\\|\\|/)(?:Users|Documents and Settings)(?:\\\\|\\|/)"
    rf"(?:{_WIN_NAME}(?: {_WIN_NAME})*(?=[\\/\"'])|{_WIN_NAME})"
)
_POSIX_HOME = re.compile(r"(?<![\w.~])/(?:home|Users)/[^/\s\"'`<>|:]+")
# A home segment anywhere in a path, after a separator: `.../home/NAME`, `...\\Users\\NAME` (NAME kept apart).
_ANY_HOME = re.compile(
    r"(?i)(?<=[/\\])(home|Users|Documents and Settings)((?:\\\\|\\|/)+)"
    rf"({_WIN_NAME}(?: {_WIN_NAME})*(?=[\\/\"'])|{_WIN_NAME})"
)
# The host of a UNC path (\\\\HOST\\share); WSL's own pseudo-hosts name no machine.
_UNC_HOST = re.compile(r"(?<![\\\w])(\\\\|\\{4})(?!wsl\$|wsl\.localhost|\?|\.)([^\\/\s\"'`<>|:]+)")
# Words a home segment may hold that are no one's name, and that a report uses for other things.
_NOT_NAMES = frozenset(
    {"public", "default", "default user", "all users", "shared", "root", "user", "users", "home", "admin"}
    | {"administrator", "guest", "python", "torch", "conda", "envs", "env", "lib", "bin", "share", "local"}
    | {"opt", "data", "work", "tmp", "temp"}
)

PLACEHOLDER_UUID = "[uuid]"
PLACEHOLDER_SERIAL = "[serial]"
PLACEHOLDER_HOST = "[host]"
PLACEHOLDER_USER = "[user]"


def redact(
    text: str,
    *,
    home: Optional[str] = None,
    user: Optional[str] = None,
    hostname: Optional[str] = None,
) -> str:
    """text without home folders, user and host names, UUIDs or serials. home/user/hostname default to this
    machine's (pass "" to leave one out)."""
    return Redactor(home=home, user=user, hostname=hostname)(text)


class Redactor:
    """redact() with this machine's home, user and host looked up once, for the many strings of a report.

    learn() first (over every string of the report) and the user names the report's own paths show are taken
    out wherever they stand as a word."""

    def __init__(
        self, *, home: Optional[str] = None, user: Optional[str] = None, hostname: Optional[str] = None
    ) -> None:
        home = _home() if home is None else home
        user = _user() if user is None else user
        hostname = _hostname() if hostname is None else hostname
        # This machine's home, whole: "/home/ada" must not eat the start of "/home/adam".
        self.home = re.compile(re.escape(home) + r"(?![^/\\\s\"'`])") if home not in ("", "/", "\\") else None
        # The user name elsewhere in a path (/data/NAME/venv, D:\\NAME\\envs): only as a whole path segment, so
        # that a user called "torch" does not rewrite every "torch" in the report.
        self.user = (
            re.compile(r"(?<=[/\\])" + re.escape(user) + r"(?=[/\\]|$|\s)") if len(user) >= 2 else None
        )
        self.host = (
            re.compile(r"(?<![\w.-])" + re.escape(hostname) + r"(?![\w-])")
            if len(hostname) >= 3 and hostname != "localhost"
            else None
        )
        self.names: set[str] = set()
        self._names_re: Optional[re.Pattern[str]] = None
        if _is_name(user):
            self._add(user)

    def learn(self, text: str) -> str:
        """Note the user names in text's home folders (returned unchanged, so a renderer can run over it)."""
        for pattern, group in ((_WIN_HOME, 0), (_POSIX_HOME, 0), (_ANY_HOME, 3)):
            for match in pattern.finditer(text):
                found = match.group(group)
                name = re.split(r"[\\/]+", found)[-1] if group == 0 else found
                if _is_name(name):
                    self._add(name)
        return text

    def _add(self, name: str) -> None:
        self.names.add(name)
        words = sorted(self.names, key=len, reverse=True)  # "Zhang San" before "Zhang"
        self._names_re = re.compile(
            r"(?i)(?<![A-Za-z0-9])(?:" + "|".join(re.escape(w) for w in words) + r")(?![A-Za-z0-9])"
        )

    def __call__(self, text: str) -> str:
        text = _UUID.sub(PLACEHOLDER_UUID, text)
        text = _SERIAL.sub(lambda m: m.group(1) + PLACEHOLDER_SERIAL, text)
        if self.home is not None:
            text = self.home.sub("~", text)
        text = _WIN_HOME.sub("~", text)
        text = _POSIX_HOME.sub("~", text)
        text = _ANY_HOME.sub(lambda m: m.group(1) + m.group(2) + PLACEHOLDER_USER, text)
        text = _UNC_HOST.sub(lambda m: m.group(1) + PLACEHOLDER_HOST, text)
        if self.user is not None:
            text = self.user.sub(PLACEHOLDER_USER, text)
        if self._names_re is not None:
            text = self._names_re.sub(PLACEHOLDER_USER, text)
        if self.host is not None:
            text = self.host.sub(PLACEHOLDER_HOST, text)
        return text


def _is_name(name: str) -> bool:
    # Two letters could be anything ("ai", "cv"); a name that is also a path word would rewrite the report.
    return len(name) >= 3 and name.lower() not in _NOT_NAMES and not name.startswith("[")


def _home() -> str:
    try:
        return str(Path.home())
    except RuntimeError:
        return ""


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (containers without passwd entries): nothing to hide
        return ""


def _hostname() -> str:
    try:
        return socket.gethostname().split(".")[0]
    except OSError:
        return ""
