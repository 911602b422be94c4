"""The Python interpreters on this machine that `setup` could build an environment from.

Where a learner's Pythons live: `python3.X` on PATH, the Windows `py` launcher's list, conda's base and its
envs, uv's managed CPythons, pyenv's versions, and the interpreter running the doctor. Each candidate is asked
(in a subprocess, bounded, a few at once) for its version, its bitness and whether it can make a venv: Debian
ships `python3.X` without `ensurepip` until `python3.X-venv` is installed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from d2l_doctor import runner

PROBE_TIMEOUT_S = 15.0
_MINORS = range(6, 16)  # python3.6 … python3.15 on PATH
# Runs in the candidate, which may be any Python from 2.7 on: no f-strings, nothing newer than json.
_PROBE = (
    "import json, platform, struct, sys\n"
    "try:\n"
    "    import ensurepip, venv\n"
    "    can = True\n"
    "except Exception:\n"
    "    can = False\n"
    "print(json.dumps({'version': '%d.%d.%d' % sys.version_info[:3], 'bits': struct.calcsize('P') * 8,\n"
    "    'machine': platform.machine(), 'implementation': platform.python_implementation().lower(),\n"
    "    'venv': can, 'executable': sys.executable}))\n"
)
_PY_LAUNCHER = re.compile(r"^\s*-(?:V:)?(?P<tag>[\w.\-]+)\s+\*?\s*(?P<path>\S.*?)\s*$")


@dataclass(frozen=True)
class FoundPython:
    executable: str
    version: str  # "3.11.7"
    bits: Optional[int]
    machine: Optional[str]
    implementation: str  # cpython | pypy …
    can_venv: bool  # ensurepip and venv import: `python -m venv` will work
    how: str  # path | py-launcher | conda | uv | pyenv | self

    @property
    def minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


@dataclass(frozen=True)
class Candidate:
    path: str
    how: str


def candidates(env: Mapping[str, str], system: str) -> list[Candidate]:
    """Every interpreter path worth asking, each once (by its real path), the most likely first."""
    found: list[Candidate] = []
    seen: set[str] = set()

    def add(path: Path, how: str) -> None:
        try:
            real = os.path.realpath(path)
        except OSError:
            return
        if real in seen or not path.is_file() or not os.access(path, os.X_OK):
            return
        seen.add(real)
        found.append(Candidate(str(path), how))

    exe = ".exe" if system == "windows" else ""
    for folder in [p for p in env.get("PATH", "").split(os.pathsep) if p]:
        base = Path(folder)
        for minor in reversed(_MINORS):
            add(base / f"python3.{minor}{exe}", "path")
        for name in ("python3", "python"):
            add(base / f"{name}{exe}", "path")
    if system == "windows":
        for launched in _py_launcher(env):
            add(Path(launched), "py-launcher")
    for conda_python in _conda_pythons(env, system):
        add(conda_python, "conda")
    for managed in _managed(env, system):
        add(managed, "uv" if "uv" in managed.parts else "pyenv")
    add(Path(sys.executable), "self")
    return found


def probe(
    cands: Sequence[Candidate], env: Mapping[str, str], timeout: float = PROBE_TIMEOUT_S
) -> list[FoundPython]:
    """Ask each candidate at once (four at a time); one that does not answer is left out."""
    if not cands:
        return []
    with ThreadPoolExecutor(max_workers=min(4, len(cands))) as pool:
        answers = list(pool.map(lambda c: _ask(c, env, timeout), cands))
    out: dict[str, FoundPython] = {}
    for answer in answers:
        if answer is not None:
            out.setdefault(os.path.realpath(answer.executable), answer)
    return list(out.values())


def discover(env: Optional[Mapping[str, str]] = None, system: Optional[str] = None) -> list[FoundPython]:
    import platform

    environ = dict(os.environ if env is None else env)
    return probe(candidates(environ, (system or platform.system()).lower()), environ)


def _ask(cand: Candidate, env: Mapping[str, str], timeout: float) -> Optional[FoundPython]:
    clean = {k: v for k, v in env.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    result = runner.run([cand.path, "-I", "-c", _PROBE], timeout, env=clean)
    if not result.ok:
        result = runner.run([cand.path, "-c", _PROBE], timeout, env=clean)  # Python 2.7 has no -I
    if not result.ok:
        return None
    try:
        data = json.loads(result.stdout.strip().splitlines()[-1])
        real = str(data.get("executable") or "")
        # The interpreter itself, not a shim that runs it (pyenv's shims, a launcher): a venv records its base.
        executable = real if real and os.path.isfile(real) else cand.path
        return FoundPython(
            executable=executable,
            version=str(data["version"]),
            bits=int(data["bits"]) if data.get("bits") in (32, 64) else None,
            machine=str(data.get("machine") or "") or None,
            implementation=str(data.get("implementation") or "cpython"),
            can_venv=bool(data.get("venv")),
            how=cand.how,
        )
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _py_launcher(env: Mapping[str, str]) -> list[str]:
    """`py -0p`: one line per installed Python, "-V:3.11 *  C:\\...\\python.exe" (older: " -3.11-64  C:\\...")."""
    result = runner.run(["py", "-0p"], PROBE_TIMEOUT_S, env=env)
    if not result.ok:
        return []
    out = []
    for line in result.stdout.splitlines():
        match = _PY_LAUNCHER.match(line)
        if match and match.group("path").lower().endswith(".exe"):
            out.append(match.group("path"))
    return out


def _conda_pythons(env: Mapping[str, str], system: str) -> list[Path]:
    """conda's base and every env under it: from CONDA_EXE / CONDA_PREFIX, else the usual install folders."""
    bases: list[Path] = []
    if env.get("CONDA_EXE"):
        bases.append(Path(env["CONDA_EXE"]).parent.parent)
    if env.get("CONDA_PREFIX"):
        prefix = Path(env["CONDA_PREFIX"])
        bases.append(prefix.parent.parent if prefix.parent.name == "envs" else prefix)
    home = Path(env.get("USERPROFILE" if system == "windows" else "HOME") or Path.home())
    bases += [home / name for name in ("miniconda3", "anaconda3", "miniforge3", "mambaforge")]
    out: list[Path] = []
    for base in dict.fromkeys(bases):
        prefixes = [base] + (sorted((base / "envs").iterdir()) if (base / "envs").is_dir() else [])
        out += [env_python(p, system) for p in prefixes]
    return out


def _managed(env: Mapping[str, str], system: str) -> list[Path]:
    """uv's managed CPythons and pyenv's versions, newest folder names first."""
    home = Path(env.get("USERPROFILE" if system == "windows" else "HOME") or Path.home())
    if env.get("UV_PYTHON_INSTALL_DIR"):
        uv = Path(env["UV_PYTHON_INSTALL_DIR"])
    elif system == "windows":
        uv = Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "uv" / "python"
    else:
        uv = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "uv" / "python"
    pyenv = Path(env.get("PYENV_ROOT") or home / ".pyenv") / "versions"
    out: list[Path] = []
    for root in (uv, pyenv):
        if root.is_dir():
            for folder in sorted(root.iterdir(), reverse=True):
                out.append(env_python(folder, system))
    return out


def env_python(prefix: Path, system: str) -> Path:
    """The interpreter of an environment or installation folder."""
    if system == "windows":
        return prefix / "python.exe"
    return prefix / "bin" / "python3" if (prefix / "bin" / "python3").exists() else prefix / "bin" / "python"
