"""Hosts for `setup` end to end: a PyPI mirror and a "PyPI index" on 127.0.0.1, filled with the wheels of d2l 1.0.3
(with its pins), Jupyter, ipykernel and torch 2.13.0 (CPU, from this machine's disk) and their dependencies,
fetched once with `pip download`; plus a stand-in torchvision 0.28.0+cpu (the CPU torchvision lives on
download.pytorch.org, which tests do not reach). A copy of the bundled matrix points the PyTorch index at the
local one and forgets the torch releases after 2.13.0, so that the build it picks is the one served here."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pytest
import yaml

from d2l_doctor.matrix import bundled_path
from tests.fakes.torchvision_pkg import BODY as TORCHVISION_BODY
from tests.fix.hosts import slow_directory, torch_index
from tests.fix.servers import build_simple_index, serve_directory
from tests.support.venvs import index_unreachable
from tests.support.wheels import build_wheel

BOOK = ("torch==2.13.0", "d2l==1.0.3", "ipython<9.16", "jupyter", "ipykernel")


@pytest.fixture(scope="session")
def book_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("book-wheels")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "-d", str(folder), *BOOK],
        capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode != 0:
        index_unreachable(f"could not download {' '.join(BOOK)}: {proc.stderr.strip()[-400:]}")
    build_wheel(
        folder, "torchvision", "0.28.0+cpu",
        {"torchvision/__init__.py": TORCHVISION_BODY, "torchvision/datasets.py": "", "torchvision/transforms.py": ""},
        requires=["torch==2.13.0"],
    )  # fmt: skip
    return folder


@pytest.fixture(scope="session")
def book_hosts(book_wheels: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """{"pypi": …/simple, "slow": the same, every wheel stretched over 3 s, "torch": …/whl}."""
    root = tmp_path_factory.mktemp("book-hosts")
    build_simple_index(book_wheels, root / "pypi")
    with serve_directory(root / "pypi") as pypi, slow_directory(root / "pypi", 3.0) as slow, \
            torch_index(root / "torch", sorted(book_wheels.glob("*.whl"))) as whl:  # fmt: skip
        yield {"pypi": f"{pypi}/simple", "slow": f"{slow}/simple", "torch": whl}


def matrix_copy(path: Path, torch_index: str, newest_torch: Optional[str] = None) -> Path:
    """The bundled matrix at path, its PyTorch index at torch_index (…/whl), without the torch releases after
    newest_torch when given."""
    data = yaml.safe_load(bundled_path().read_text(encoding="utf-8"))
    data["pytorch_index"]["url"] = torch_index
    if newest_torch is not None:
        releases = data["torch"]["releases"]
        data["torch"]["releases"] = releases[[r["version"] for r in releases].index(newest_torch) :]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def book_matrix(book_hosts: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return matrix_copy(tmp_path_factory.mktemp("book-matrix") / "matrix.yaml", book_hosts["torch"], "2.13.0")
