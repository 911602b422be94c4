"""Jupyter kernelspecs in every data path Jupyter searches, read from the files (Jupyter is never imported).

The search order is Jupyter's: `JUPYTER_PATH`, the user's data dir (`JUPYTER_DATA_DIR` or the per-OS default),
the target env's `{prefix}/share/jupyter`, then the system dirs. A kernel name found twice is Jupyter's first
one.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping
from pathlib import Path, PureWindowsPath
from typing import Optional

from d2l_doctor.models import JupyterInfo, Kernelspec


def _home(env: Mapping[str, str], system: str) -> Path:
    home = env.get("USERPROFILE" if system == "windows" else "HOME")
    return Path(home) if home else Path.home()


def user_data_dir(env: Mapping[str, str], system: str) -> Path:
    if env.get("JUPYTER_DATA_DIR"):
        return Path(env["JUPYTER_DATA_DIR"])
    if system == "windows":
        appdata = env.get("APPDATA")
        return (
            Path(appdata) / "jupyter" if appdata else _home(env, system) / "AppData" / "Roaming" / "jupyter"
        )
    if system == "darwin":
        return _home(env, system) / "Library" / "Jupyter"
    xdg = env.get("XDG_DATA_HOME")
    return Path(xdg) / "jupyter" if xdg else _home(env, system) / ".local" / "share" / "jupyter"


def data_paths(
    env: Mapping[str, str], prefix: Optional[str], system: Optional[str] = None
) -> tuple[str, ...]:
    system = (system or platform.system()).lower()
    sep = ";" if system == "windows" else ":"
    paths = [Path(p) for p in env.get("JUPYTER_PATH", "").split(sep) if p]
    paths.append(user_data_dir(env, system))
    if prefix:
        paths.append(Path(prefix) / "share" / "jupyter")
    if system == "windows":
        programdata = env.get("PROGRAMDATA", env.get("ProgramData"))
        if programdata:
            paths.append(Path(programdata) / "jupyter")
    else:
        paths += [Path("/usr/local/share/jupyter"), Path("/usr/share/jupyter")]
    unique: list[str] = []
    for path in paths:
        if str(path) not in unique:
            unique.append(str(path))
    return tuple(unique)


def interpreter_exists(argv0: Optional[str], env: Mapping[str, str], system: str) -> Optional[bool]:
    """Whether the kernel's program is there: absolute paths checked, bare names found on PATH, else None."""
    if not argv0:
        return None
    absolute = PureWindowsPath(argv0).is_absolute() if system == "windows" else os.path.isabs(argv0)
    if absolute:
        return Path(argv0).is_file()
    if "/" in argv0 or (system == "windows" and "\\" in argv0):
        return None  # relative to a cwd we cannot know
    sep = ";" if system == "windows" else ":"
    names = [argv0] + ([argv0 + ".exe"] if system == "windows" and not argv0.lower().endswith(".exe") else [])
    for folder in env.get("PATH", env.get("Path", "")).split(sep):
        if folder and any((Path(folder) / name).is_file() for name in names):
            return True
    # Not on PATH: Jupyter itself may stand in its own python for a bare "python", so we cannot tell.
    return None


def read_kernelspec(folder: Path, env: Mapping[str, str], system: str) -> Kernelspec:
    name = folder.name.lower()  # Jupyter matches kernel names case-insensitively
    try:
        spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        spec = None
    if not isinstance(spec, dict):  # an unreadable kernel.json: still a kernel Jupyter will list (and fail)
        return Kernelspec(name, name, str(folder), None, None)
    argv = spec.get("argv")
    argv0 = str(argv[0]) if isinstance(argv, list) and argv else None
    language = spec.get("language")
    return Kernelspec(
        name=name,
        display_name=str(spec.get("display_name") or name),
        resource_dir=str(folder),
        argv0=argv0,
        interpreter_exists=interpreter_exists(argv0, env, system),
        language=str(language) if language else None,
    )


def probe(env: Mapping[str, str], prefix: Optional[str], system: Optional[str] = None) -> JupyterInfo:
    system = (system or platform.system()).lower()
    paths = data_paths(env, prefix, system)
    specs: dict[str, Kernelspec] = {}
    for path in paths:
        kernels = Path(path) / "kernels"
        if not kernels.is_dir():
            continue
        for folder in sorted(kernels.iterdir()):
            if folder.is_dir() and (folder / "kernel.json").is_file() and folder.name.lower() not in specs:
                specs[folder.name.lower()] = read_kernelspec(folder, env, system)
    return JupyterInfo(data_paths=paths, kernelspecs=tuple(specs.values()))
