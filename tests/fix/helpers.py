"""Builders for the fix tests: findings shaped like the rules' (their ids and typed fix actions), snapshots of
a venv or a conda env, and a mirror catalogue built from the matrix's own types."""

from __future__ import annotations

from typing import Any, Optional

from d2l_doctor.matrix import CondaMirror, Mirror, TorchWheelMirror
from d2l_doctor.models import (
    Area,
    CondaInfo,
    Finding,
    FixAction,
    FixKind,
    JupyterInfo,
    PythonInfo,
    Severity,
    Snapshot,
)
from tests.support.snapshots import kernelspec

VENV_PY = "/home/ada/d2l/.venv/bin/python"
CONDA_PREFIX = "/home/ada/miniconda3/envs/d2l"
CONDA_PY = f"{CONDA_PREFIX}/bin/python"
CONDA_EXE = "/home/ada/miniconda3/bin/conda"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CU126_INDEX = "https://download.pytorch.org/whl/cu126"


def official(variant: str) -> str:
    return f"https://download.pytorch.org/whl/{variant}"


def finding(
    fid: str, *fixes: FixAction, severity: Severity = Severity.ERROR, area: Area = Area.TORCH
) -> Finding:
    return Finding(id=fid, severity=severity, area=area, fixes=tuple(fixes))


def pip_install(*packages: str, flags: tuple[str, ...] = (), **kw: Any) -> FixAction:
    return FixAction(FixKind.PIP_INSTALL, packages=packages, flags=flags, **kw)


def pip_uninstall(*packages: str) -> FixAction:
    return FixAction(FixKind.PIP_UNINSTALL, packages=packages)


def torch_stack(
    variant: str, torch: str = "2.13.0", vision: str = "0.28.0", audio: Optional[str] = None
) -> FixAction:
    packages = [f"torch=={torch}", f"torchvision=={vision}"] + ([f"torchaudio=={audio}"] if audio else [])
    return pip_install(*packages, index_url=official(variant), torch_variant=variant)


def venv_snapshot(python: str = VENV_PY, packages: Optional[dict[str, str]] = None, **kw: Any) -> Snapshot:
    return Snapshot(
        python=PythonInfo(executable=python, version="3.11.9", bits=64, machine="x86_64", is_venv=True),
        packages=packages or {},
        **kw,
    )


def conda_snapshot(
    managed: tuple[str, ...] = ("python", "pillow", "nbconvert", "jinja2"), **kw: Any
) -> Snapshot:
    conda = CondaInfo(
        env_name="d2l", prefix=CONDA_PREFIX, conda_exe=CONDA_EXE, managed=managed, platform="linux-64"
    )
    return Snapshot(
        python=PythonInfo(
            executable=CONDA_PY, version="3.11.9", bits=64, machine="x86_64", prefix=CONDA_PREFIX
        ),
        conda=conda,
        **kw,
    )


def kernels(*names: str) -> JupyterInfo:
    return JupyterInfo(kernelspecs=tuple(kernelspec(n, VENV_PY) for n in names))


TUNA_CONDA = CondaMirror(
    default_channels=(
        "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main",
        "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/r",
    ),
    custom_channels={"conda-forge": "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud"},
    source="test",
)


def catalogue(**pypi_urls: Optional[str]) -> dict[str, Mirror]:
    """A catalogue with `pypi` (the user's own configuration) and the given name=URL mirrors."""
    out = {"pypi": Mirror("pypi", None, "test")}
    for name, url in pypi_urls.items():
        out[name] = Mirror(name, url, "test")
    return out


TEST_CATALOGUE: dict[str, Mirror] = {
    "pypi": Mirror("pypi", None, "test"),
    "tuna": Mirror("tuna", "https://pypi.tuna.tsinghua.edu.cn/simple", "test", conda=TUNA_CONDA),
    "aliyun": Mirror(
        "aliyun",
        "https://mirrors.aliyun.com/pypi/simple/",
        "test",
        pytorch=TorchWheelMirror(
            "https://mirrors.aliyun.com/pytorch-wheels/{variant}/", "find-links", ("cu126", "cpu"), "test"
        ),
    ),
    "sjtu": Mirror(
        "sjtu",
        "https://mirror.sjtu.edu.cn/pypi/web/simple",
        "test",
        pytorch=TorchWheelMirror(
            "https://mirror.sjtu.edu.cn/pytorch-wheels/{variant}", "index", ("cu126",), "test"
        ),
    ),
    "nju": Mirror(
        "nju",
        "https://mirror.nju.edu.cn/pypi/web/simple",
        "test",
        pytorch=TorchWheelMirror("https://mirror.nju.edu.cn/pytorch/whl/{variant}/", "index", (), "test"),
    ),
}
