"""Fixtures for the end-to-end fix tests: a local package index on 127.0.0.1 (wheels fetched once per session
with `pip download`), and venvs whose only problems are the ones a test plants.

A venv for `fix --apply` must be clean apart from the planted problem, or the plan would also install a torch
stack (from download.pytorch.org, which the tests must not reach). So each gets the CPU torch 2.13.0 that this
machine has on disk and a stand-in torchvision 0.28.0+cpu (metadata and a module with its version): the
matching CPU torchvision is not on disk, and d2l-doctor only reads its version and imports it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fix.servers import build_simple_index, serve_directory
from tests.support.doctor import user_env
from tests.support.venvs import Venv, index_unreachable, make_venv, stand_in

# What the scenarios install, and what their fixes install (newer nbconvert and its dependencies).
DOWNLOADS = (
    ("pillow",),
    ("nbconvert==6.1.0", "jinja2>=3.1", "ipykernel"),
    ("nbconvert>=6.2", "ipykernel"),
)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels from the package index, fetched once (each set resolved on its own, so the older and newer
    nbconvert both come with a complete set of dependencies)."""
    folder = tmp_path_factory.mktemp("wheelhouse")
    for requirements in DOWNLOADS:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--only-binary=:all:",
                "-d",
                str(folder),
                *requirements,
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            index_unreachable(
                f"could not download {' '.join(requirements)}: {proc.stderr.strip().splitlines()[-1:]}"
            )
    return folder


@pytest.fixture(scope="session")
def local_index(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """http://127.0.0.1:PORT/simple: a PEP 503 index of the wheelhouse."""
    root = tmp_path_factory.mktemp("index")
    build_simple_index(wheelhouse, root)
    with serve_directory(root) as base:
        yield f"{base}/simple"


def offline_env(index: str, **extra: str) -> dict[str, str]:
    """The environment of a doctor run: pip sees only the local index (no config file, no find-links)."""
    env = {k: v for k, v in user_env().items() if not k.startswith("PIP_")}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_INDEX_URL=index,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_DEFAULT_TIMEOUT="30",
    )
    env.update(extra)
    return env


def fix_venv(root: Path, wheelhouse: Path, *packages: str) -> Venv:
    """torch 2.13.0 (CPU, from this machine's disk), the torchvision stand-in, then packages from the
    wheelhouse."""
    env = make_venv(root, "torch==2.13.0")
    stand_in(env.site_packages, "torchvision", '__version__ = "0.28.0+cpu"\n', "0.28.0+cpu")
    env.pip("install", "-q", "--no-index", "--find-links", str(wheelhouse), *packages)
    return env
