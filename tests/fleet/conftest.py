"""Real virtual environments for the fleet's machines: healthy, torchvision built for another torch, and a
damaged Pillow (each as the check tests build them), shared by the fleet tests of one session."""

from __future__ import annotations

import pytest

from tests.support.venvs import Venv, damage_pillow, index_unreachable, make_venv


def _built(factory: pytest.TempPathFactory, name: str, *packages: str, no_deps: tuple[str, ...] = ()) -> Venv:
    try:
        return make_venv(factory.mktemp(name) / "venv", *packages, no_deps=no_deps)
    except RuntimeError as exc:
        index_unreachable(f"could not install {' '.join(packages)}: {str(exc).splitlines()[-1]}")


@pytest.fixture(scope="session")
def mismatch_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """torch 2.13.0+cpu (local disk) with PyPI's torchvision 0.28.0, built for PyPI's CUDA torch."""
    return _built(tmp_path_factory, "fleet-tv", "torch==2.13.0", no_deps=("torchvision==0.28.0",))


@pytest.fixture(scope="session")
def pillow_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return damage_pillow(_built(tmp_path_factory, "fleet-pillow", "pillow"))
