"""Where the new environment lives, what is there already, and the mark `setup` leaves in what it made.

The mark (`d2l-doctor-setup.json` in the environment's folder) is written before anything else is created, so
a setup stopped at any point is recognised and resumed, and `setup --undo` removes only what setup made: a
folder without the mark is somebody else's and is never touched.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from d2l_doctor import runner
from d2l_doctor.fixes.conda_steps import canonical

MARK = "d2l-doctor-setup.json"
FORMAT = "d2l-doctor-setup/1"
_VERSION = (
    "import json, sys\n"
    "try:\n"
    "    from importlib import metadata\n"
    "    dists = [(d.metadata['Name'] or '', d.version) for d in metadata.distributions()]\n"
    "except Exception:\n"
    "    dists = []\n"
    "print(json.dumps({'python': '%d.%d.%d' % sys.version_info[:3], 'packages': dists}))\n"
)


@dataclass(frozen=True)
class Target:
    kind: str  # venv | conda
    prefix: Path  # the environment's folder
    name: str  # the folder's name (venv) or the conda env's name
    python: Path  # its interpreter
    kernel: str  # the Jupyter kernel name it gets
    conda_exe: Optional[str] = None

    @property
    def display_name(self) -> str:
        return f"Python (d2l: {self.name})"


@dataclass(frozen=True)
class TargetState:
    """What is at the target now."""

    exists: bool  # the folder is there
    ours: bool  # with setup's mark
    empty: bool  # an empty folder (safe to build in)
    python: Optional[str] = None  # its interpreter's version, when it runs
    packages: Mapping[str, str] = field(default_factory=dict)  # canonical name -> version
    mark: Mapping[str, Any] = field(default_factory=dict)
    kernel_python: Optional[str] = None  # what the kernelspec of that name starts (None: no such kernel)
    kernel_dir: Optional[str] = None

    @property
    def foreign(self) -> bool:
        """Something setup did not make is there: setup builds nothing in it."""
        return self.exists and not self.ours and not self.empty


def venv_target(path: Path, system: str) -> Target:
    prefix = path.expanduser().absolute()
    python = prefix / ("Scripts/python.exe" if system == "windows" else "bin/python")
    return Target("venv", prefix, prefix.name, python, kernel_name(prefix.name))


def conda_target(name: str, conda_exe: str, base: Path, system: str) -> Target:
    prefix = base / "envs" / name
    python = prefix / ("python.exe" if system == "windows" else "bin/python")
    return Target("conda", prefix, name, python, kernel_name(name), conda_exe)


def kernel_name(name: str) -> str:
    """A kernelspec name Jupyter accepts (letters, digits, - _ .), lower case."""
    cleaned = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.") or "d2l"
    return cleaned


def inspect(target: Target, env: Mapping[str, str], kernels_dir: Path, timeout: float = 60.0) -> TargetState:
    exists = target.prefix.exists()
    empty = exists and target.prefix.is_dir() and not any(target.prefix.iterdir())
    mark = read_mark(target.prefix)
    python: Optional[str] = None
    packages: dict[str, str] = {}
    if exists and target.python.is_file():
        result = runner.run([str(target.python), "-I", "-c", _VERSION], timeout, env=env)
        try:
            data = json.loads(result.stdout.strip().splitlines()[-1]) if result.ok else None
        except (ValueError, IndexError):
            data = None
        if isinstance(data, dict):
            python = str(data.get("python"))
            for name, version in data.get("packages") or []:
                packages[canonical(str(name))] = str(version)
    kernel_python, kernel_dir = kernel_owner(kernels_dir / target.kernel), None
    if kernel_python is not None:
        kernel_dir = str(kernels_dir / target.kernel)
    return TargetState(
        exists, mark is not None, empty, python, packages, mark or {}, kernel_python, kernel_dir
    )


def read_mark(prefix: Path) -> Optional[dict[str, Any]]:
    try:
        data = json.loads((prefix / MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def write_mark(target: Target, **values: Any) -> None:
    """Create or update the mark (a new folder gets it first)."""
    target.prefix.mkdir(parents=True, exist_ok=True)
    data = read_mark(target.prefix) or {
        "format": FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "kind": target.kind,
        "name": target.name,
        "python": str(target.python),
    }
    data.update(values)
    path = target.prefix / MARK
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def kernel_owner(folder: Path) -> Optional[str]:
    """The interpreter a kernelspec folder starts (argv[0]; "" when it names none); None: no kernelspec there."""
    try:
        spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
        argv = spec.get("argv") or []
        return str(argv[0]) if argv else ""
    except (OSError, ValueError, AttributeError):
        return None
