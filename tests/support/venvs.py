"""Real virtual environments for end-to-end tests: built with the interpreter running the tests, filled with pip.

pip here finds torch 2.13.0 (CPU) on local disk; everything else comes from the package index the machine has.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Venv:
    root: Path

    @property
    def python(self) -> Path:
        return self.root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

    @property
    def site_packages(self) -> Path:
        out = subprocess.run(
            [str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        )
        return Path(out.stdout.strip())

    def pip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(self.python), "-m", "pip", "--disable-pip-version-check", *args],
            capture_output=True,
            text=True,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(f"pip {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        return proc

    def freeze(self) -> list[str]:
        return sorted(self.pip("freeze", "--all").stdout.split())


def make_venv(root: Path, *packages: str, no_deps: tuple[str, ...] = ()) -> Venv:
    """A new venv at root with pip, then `packages` installed (and `no_deps` with --no-deps)."""
    venv.EnvBuilder(with_pip=True, clear=True).create(root)
    env = Venv(root)
    if packages:
        env.pip("install", "-q", *packages)
    if no_deps:
        env.pip("install", "-q", "--no-deps", *no_deps)
    return env


def doctor_argv(*args: str) -> list[str]:
    """The doctor as a user runs it, from the interpreter the tests run under."""
    return [sys.executable, "-m", "d2l_doctor", *args]
