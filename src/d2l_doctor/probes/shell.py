"""Which shell the user is typing into, so that commands are quoted for it (bash, PowerShell or cmd)."""

from __future__ import annotations

import os
from typing import Optional


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
