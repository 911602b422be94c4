"""Real virtual environments for end-to-end tests: built with the interpreter running the tests, filled with pip.

pip here finds torch 2.13.0 (CPU) on local disk; everything else comes from the package index the machine has.
"""

from __future__ import annotations

import os
import subprocess
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, Optional

import pytest


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


def damage_pillow(env: Venv) -> Venv:
    """Truncate Pillow's C extension to 0 bytes: the loader refuses it ("file too short"), as a half-copied or
    antivirus-eaten install does (`pillow-broken`)."""
    extensions = list((env.site_packages / "PIL").glob("_imaging.*"))
    assert extensions, "Pillow's wheel has no _imaging extension?"
    for so in extensions:
        so.write_bytes(b"")
    return env


def fake_torch_venv(root: Path, body: str, version: Optional[str] = None) -> Venv:
    """A venv without pip whose site-packages holds a `torch` package made of body (with version: installed
    as pip would have, so the doctor reads that version from its metadata)."""
    venv.EnvBuilder(with_pip=False, clear=True).create(root)
    env = Venv(root)
    stand_in(env.site_packages, "torch", body, version)
    return env


def stand_in(site: Path, name: str, body: str, version: Optional[str] = None) -> None:
    """A package `name` made of body in the folder site; with version also its dist-info, as pip writes it
    (RECORD names every file, so pip can uninstall it)."""
    package = site / name
    package.mkdir()
    (package / "__init__.py").write_text(body, encoding="utf-8")
    if version is None:
        return
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "INSTALLER").write_text("pip\n", encoding="utf-8")
    files = (f"{name}/__init__.py", *(f"{info.name}/{f}" for f in ("METADATA", "INSTALLER", "RECORD")))
    (info / "RECORD").write_text("".join(f"{f},,\n" for f in files), encoding="utf-8")


def index_unreachable(message: str) -> NoReturn:
    """A package the test needs could not be fetched: CI reaches PyPI, so there it is a failure, not a skip."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
