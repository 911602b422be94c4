"""Which interpreter to examine: `--python`, else the one the user's shell would run.

The default order follows what `python` means at the user's prompt: an activated venv, then an activated conda
env, then the first `python`/`python3` on PATH, then the doctor's own interpreter.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Optional

from d2l_doctor.errors import UsageError

# python, python3, python3.11, python3.11-dbg, pythonw.exe, pypy3: what an interpreter's file is called.
_PYTHON_NAME = re.compile(r"^(python|pypy)[0-9.]*(w|d|m|-dbg|t)?(\.exe)?$", re.IGNORECASE)


def env_python(prefix: str, os_name: Optional[str] = None) -> Optional[str]:
    """The interpreter inside an environment folder (venv or conda), or None."""
    os_name = os.name if os_name is None else os_name
    root = Path(prefix)
    if os_name == "nt":
        candidates = [root / "Scripts" / "python.exe", root / "python.exe"]
    else:
        candidates = [root / "bin" / "python", root / "bin" / "python3"]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return None


def same_python(a: str, b: str) -> bool:
    # Compare the paths as given, not resolved: a venv's python is a symlink to the base interpreter.
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def guess_prefix(python: str, os_name: Optional[str] = None) -> str:
    """The environment folder of an interpreter, unrun: `PREFIX/bin/python`, `PREFIX\\python.exe`."""
    os_name = os.name if os_name is None else os_name
    pure = PureWindowsPath(python) if os_name == "nt" else PurePosixPath(python)
    parent = pure.parent
    if parent.name.lower() in ("bin", "scripts"):
        parent = parent.parent
    return str(parent)


def _check_given(python: str, env: Mapping[str, str], os_name: str, lang: str) -> str:
    from d2l_doctor.i18n import t

    path = Path(python).expanduser()
    if not path.exists() and "/" not in python and "\\" not in python:
        found = _on_path(env, os_name, (python,))  # a bare name, as typed at the prompt: `--python python3.8`
        if found:
            path = Path(found)
    if not path.exists():
        raise UsageError(t("error.python_missing", lang, python=python))
    if path.is_dir():
        found = env_python(str(path), os_name)
        if found is None:
            looked = "Scripts\\python.exe, python.exe" if os_name == "nt" else "bin/python, bin/python3"
            raise UsageError(t("error.python_folder", lang, python=python, looked=looked))
        return os.path.abspath(found)
    if not _PYTHON_NAME.match(path.name):
        raise UsageError(t("error.python_name", lang, python=python))
    if os_name != "nt" and not os.access(path, os.X_OK):
        raise UsageError(t("error.python_exec", lang, python=python))
    # Not resolved: a venv's python is a symlink to the base interpreter; following it leaves the venv.
    return os.path.abspath(path)


def _on_path(env: Mapping[str, str], os_name: str, names: Optional[tuple[str, ...]] = None) -> Optional[str]:
    """The first `python` (then `python3`) in PATH, as the shell would find it."""
    folders = [f for f in env.get("PATH", env.get("Path", "")).split(";" if os_name == "nt" else ":") if f]
    for name in names or (("python",) if os_name == "nt" else ("python", "python3")):
        if os_name == "nt" and not name.lower().endswith(".exe"):
            name += ".exe"
        for folder in folders:
            # The Microsoft Store's python.exe alias only opens the Store: it is not an interpreter.
            if os_name == "nt" and "windowsapps" in folder.lower():
                continue
            candidate = Path(folder) / name
            if candidate.is_file() and (os_name == "nt" or os.access(candidate, os.X_OK)):
                return os.path.abspath(candidate)
    return None


def resolve_target(
    python: Optional[str],
    env: Optional[Mapping[str, str]] = None,
    os_name: Optional[str] = None,
    lang: str = "en",
) -> tuple[str, str]:
    """(interpreter path, how it was chosen): "--python" | "venv" | "conda" | "path" | "self"."""
    env = os.environ if env is None else env
    os_name = os.name if os_name is None else os_name
    if python:
        return _check_given(python, env, os_name, lang), "--python"
    for var, chosen_by in (("VIRTUAL_ENV", "venv"), ("CONDA_PREFIX", "conda")):
        prefix = env.get(var)
        if prefix:
            found = env_python(prefix, os_name)
            if found:
                return found, chosen_by
    found = _on_path(env, os_name)
    if found:
        return found, "path"
    return sys.executable, "self"
