from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.venvs import Venv, make_venv


@pytest.fixture(scope="session")
def torch_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A venv with only torch 2.13.0 (CPU). Shared by the whole session: tests must not change it."""
    return make_venv(tmp_path_factory.mktemp("torch-venv") / "venv", "torch==2.13.0")


@pytest.fixture
def fresh_venv_dir(tmp_path: Path) -> Path:
    return tmp_path / "venv"
