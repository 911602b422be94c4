"""The machine: OS and release, kernel, WSL, CPU, RAM and free disk where the target environment lives."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path
from typing import Optional

from d2l_doctor.models import Host

_MIB = 1024 * 1024


def probe(prefix: Optional[str], *, system: Optional[str] = None, fs_root: str = "/") -> Host:
    """`system` (linux | windows | darwin) and `fs_root` (where /etc and /proc live) are for tests."""
    system = (system or platform.system()).lower()
    return Host(
        os=system,
        os_release=os_release(system, fs_root),
        kernel=platform.release() if system != "windows" else platform.version(),
        machine=platform.machine() or None,
        wsl=system == "linux" and is_wsl(fs_root),
        cpu=cpu_model(system, fs_root),
        cpu_count=os.cpu_count(),
        ram_mib=_ram_mib(),
        disk_free_mib=_disk_free_mib(prefix),
    )


def os_release(system: str, fs_root: str = "/", win_ver: Optional[tuple[str, str]] = None) -> Optional[str]:
    """ "Debian GNU/Linux 12 (bookworm)", "Windows 11 (10.0.22631)", "macOS 14.4"."""
    if system == "linux":
        return _linux_release(fs_root)
    if system == "windows":
        release, version = win_ver or (platform.release(), platform.version())
        try:
            build = int(version.split(".")[2])
        except (IndexError, ValueError):
            build = 0
        # Windows 11 still calls itself 10 to older Pythons; build 22000 is the first Windows 11.
        if release == "10" and build >= 22000:
            release = "11"
        return f"Windows {release} ({version})"
    if system == "darwin":
        mac = platform.mac_ver()[0]
        return f"macOS {mac}" if mac else None
    return None


def _linux_release(fs_root: str) -> Optional[str]:
    for name in ("etc/os-release", "usr/lib/os-release"):
        try:
            text = (Path(fs_root) / name).read_text(errors="replace")
        except OSError:
            continue
        fields = {}
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                fields[key.strip()] = value.strip().strip('"').strip("'")
        return fields.get("PRETTY_NAME") or fields.get("NAME")
    return None


def is_wsl(fs_root: str = "/") -> bool:
    try:
        return "microsoft" in (Path(fs_root) / "proc" / "version").read_text(errors="replace").lower()
    except OSError:
        return False


def cpu_model(system: str, fs_root: str = "/") -> Optional[str]:
    if system == "linux":
        try:
            text = (Path(fs_root) / "proc" / "cpuinfo").read_text(errors="replace")
        except OSError:
            text = ""
        for line in text.splitlines():
            key, sep, value = line.partition(":")
            # x86 says "model name"; many ARM kernels only "Hardware" or "Model"
            if sep and key.strip() in ("model name", "Hardware", "Model", "cpu model"):
                return value.strip()
    if system == "windows":
        name = _windows_cpu_name()
        if name:
            return name
    return platform.processor() or None


def _windows_cpu_name() -> Optional[str]:
    if sys.platform != "win32":
        return None
    import winreg

    try:
        key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"HARDWARE\DESCRIPTION\System\CentralProcessor\0")
        return str(winreg.QueryValueEx(key, "ProcessorNameString")[0]).strip()
    except OSError:  # no such key: platform.processor() will do
        return None


def _ram_mib() -> int:
    # POSIX answers from sysconf; psutil (tens of milliseconds to import) only where it does not (Windows).
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // _MIB
    except (AttributeError, ValueError, OSError):
        import psutil

        return int(psutil.virtual_memory().total) // _MIB


def _disk_free_mib(prefix: Optional[str]) -> Optional[int]:
    import shutil

    path = Path(prefix) if prefix else Path.cwd()
    while not path.exists() and path != path.parent:  # a target that is gone: measure where it was
        path = path.parent
    try:
        return shutil.disk_usage(path).free // _MIB
    except OSError:
        return None
