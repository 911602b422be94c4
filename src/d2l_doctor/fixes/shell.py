"""Render an argv for the user's shell, quoted so that pasting it runs exactly that argv."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Sequence
from typing import Optional

_PS_SAFE = re.compile(r"^[A-Za-z0-9_\-+./:\\=]+$")
_CMD_SAFE = re.compile(r"^[A-Za-z0-9_\-+./:\\=,]+$")
_PS_SINGLE_QUOTES = re.compile("['\u2018\u2019\u201a\u201b]")


def quote_argv(argv: Sequence[str], shell: str) -> str:
    if shell == "powershell":
        parts = [_ps_quote(a) for a in argv]
        # A quoted program path is a string to PowerShell, not a command: the call operator runs it.
        if argv and parts[0] != argv[0]:
            parts[0] = "& " + parts[0]
        return " ".join(parts)
    if shell == "cmd":
        return " ".join([_cmd_program(argv[0]), *(_cmd_quote(a) for a in argv[1:])]) if argv else ""
    return " ".join(shlex.quote(a) for a in argv)


def _ps_quote(arg: str) -> str:
    # Some PowerShell versions split an unquoted `-x.y` or `-x:y` in two when passing it to a program.
    dash_split = arg.startswith("-") and ("." in arg or ":" in arg)
    if arg and _PS_SAFE.match(arg) and not arg.startswith("-" * 3) and not dash_split:
        return arg
    # Any single quote, typographic ones too, ends a single-quoted PowerShell string; doubled, it is literal.
    return "'" + _PS_SINGLE_QUOTES.sub(lambda m: m.group(0) * 2, arg) + "'"


def _cmd_quote(arg: str) -> str:
    if arg and _CMD_SAFE.match(arg):
        return arg
    return _msvcrt_quote(arg)


def _cmd_program(arg: str) -> str:
    # The program name is split by cmd and the C runtime without backslash escapes: plain quotes are enough.
    if arg and _CMD_SAFE.match(arg):
        return arg
    return '"' + arg.replace("%", '"^%"') + '"'


def _msvcrt_quote(arg: str) -> str:
    """Quote for the C runtime's argument parser in a form that cmd also reads as quoted.

    An embedded quote is written `""` (cmd's quote state flips twice, so & | < > ^ stay inside quotes);
    backslashes before any quote we write are doubled (2n backslashes + quote = n backslashes, and the quote
    still counts). cmd expands %NAME% even inside quotes, and a caret escapes % only outside them: so step out
    around each %."""
    out: list[str] = ['"']
    backslashes = 0
    for ch in arg:
        if ch == "\\":
            backslashes += 1
            continue
        if ch == '"':
            out.append("\\" * (2 * backslashes) + '""')
        elif ch == "%":
            out.append("\\" * (2 * backslashes) + '"^%"')
        else:
            out.append("\\" * backslashes + ch)
        backslashes = 0
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)


def shell_for(chosen: Optional[str], named: Optional[str]) -> str:
    """The shell commands are written for: the one chosen (--shell), else the one the snapshot names (a report
    from another machine names its own: PowerShell on a Windows learner's laptop), else this terminal's."""
    return chosen or _known_shell(named) or detect_shell()


def _known_shell(name: Optional[str]) -> Optional[str]:
    """A shell a snapshot names, as one of the shells commands are written for."""
    if not name:
        return None
    name = name.lower()
    if name in ("pwsh", "powershell"):
        return "powershell"
    return "cmd" if name == "cmd" else "bash"


def detect_shell(environ: Optional[dict[str, str]] = None, os_name: Optional[str] = None) -> str:
    """The shell the user is typing into: bash (POSIX shells), powershell or cmd on Windows."""
    env = dict(os.environ) if environ is None else environ
    os_name = os.name if os_name is None else os_name
    if os_name != "nt":
        return "bash"
    parent = _parent_shell_name()
    if parent in ("powershell", "pwsh"):
        return "powershell"
    if parent == "cmd":
        return "cmd"
    if parent in ("bash", "sh", "zsh"):  # Git Bash, MSYS2
        return "bash"
    # PowerShell sets PSModulePath with a user Documents entry; cmd inherits only the system one.
    ps_path = env.get("PSModulePath", "")
    if ps_path.count(os.pathsep) >= 2 or "Documents" in ps_path:
        return "powershell"
    return "cmd"


def _parent_shell_name() -> Optional[str]:
    try:
        import psutil

        proc = psutil.Process().parent()
        for _ in range(4):  # python.exe may sit under a launcher (py.exe, conda's wrapper)
            if proc is None:
                return None
            name = proc.name().lower().removesuffix(".exe")
            if name in ("powershell", "pwsh", "cmd", "bash", "sh", "zsh"):
                return name
            proc = proc.parent()
    except Exception:  # noqa: BLE001 - detection is best effort
        return None
    return None
