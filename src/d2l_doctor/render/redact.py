"""Take personal details out of a report that will be posted in public: home folders (and so user names)
become `~`, and host names, GPU UUIDs and serial numbers are replaced by a placeholder.

Reports may come from another machine (`--from-report`), so home folders are also recognised by their shape
(`/home/NAME`, `/Users/NAME`, `C:\\Users\\NAME`), not only as this machine's home.
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
    rf"(?:{_WIN_NAME}(?: {_WIN_NAME})*(?=[\\/])|{_WIN_NAME})"
)
_POSIX_HOME = re.compile(r"(?<![\w.~])/(?:home|Users)/[^/\s\"'`<>|:]+")

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
    """redact() with this machine's home, user and host looked up once, for the many strings of a report."""

    def __init__(
        self, *, home: Optional[str] = None, user: Optional[str] = None, hostname: Optional[str] = None
    ) -> None:
        home = _home() if home is None else home
        user = _user() if user is None else user
        hostname = _hostname() if hostname is None else hostname
        # This machine's home, whole: "/home/ada" must not eat the start of "/home/adam".
        self.home = re.compile(re.escape(home) + r"(?![^/\\\s\"'`])") if home not in ("", "/", "\\") else None
        # The user name elsewhere in a path (/data/NAME/venv, D:\NAME\envs): only as a whole path segment, so
        # that a user called "torch" does not rewrite every "torch" in the report.
        self.user = (
            re.compile(r"(?<=[/\\])" + re.escape(user) + r"(?=[/\\]|$|\s)") if len(user) >= 2 else None
        )
        self.host = (
            re.compile(r"(?<![\w.-])" + re.escape(hostname) + r"(?![\w-])")
            if len(hostname) >= 3 and hostname != "localhost"
            else None
        )

    def __call__(self, text: str) -> str:
        text = _UUID.sub(PLACEHOLDER_UUID, text)
        text = _SERIAL.sub(lambda m: m.group(1) + PLACEHOLDER_SERIAL, text)
        if self.home is not None:
            text = self.home.sub("~", text)
        text = _WIN_HOME.sub("~", text)
        text = _POSIX_HOME.sub("~", text)
        if self.user is not None:
            text = self.user.sub(PLACEHOLDER_USER, text)
        if self.host is not None:
            text = self.host.sub(PLACEHOLDER_HOST, text)
        return text


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
