"""A stand-in torchvision for a CPU torch: the torchvision wheels PyPI serves for Linux are CUDA builds, which
do not load beside torch 2.13.0+cpu (`operator torchvision::nms does not exist`), and the CPU ones live on
download.pytorch.org, which tests do not reach. `from d2l import torch as d2l` needs only the modules below."""

from __future__ import annotations

from pathlib import Path

from tests.support.venvs import stand_in

BODY = '__version__ = "0.28.0+cpu"\nfrom torchvision import datasets, transforms  # noqa: F401\n'


def install_torchvision(site: Path) -> None:
    """torchvision 0.28.0+cpu (as pip would record it) with empty `datasets` and `transforms` modules."""
    stand_in(site, "torchvision", BODY, "0.28.0+cpu")
    for module in ("datasets", "transforms"):
        (site / "torchvision" / f"{module}.py").write_text("", encoding="utf-8")
