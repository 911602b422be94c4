"""Snapshot builders for rule tests: a healthy Linux GPU machine by default, changed piece by piece."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from d2l_doctor.models import (
    Driver,
    Gpu,
    Host,
    ImportResult,
    JupyterInfo,
    PciGpu,
    PythonInfo,
    Snapshot,
    TorchInfo,
)
from tests.support.snapshots import imported

OS_PLATFORM = {"linux": "linux", "windows": "win32", "darwin": "darwin"}
ARCH_2_13_CU130 = ("sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120")


def python(
    version: str = "3.11.9",
    os: str = "linux",
    bits: int = 64,
    machine: str = "x86_64",
    executable: Optional[str] = None,
    prefix: Optional[str] = None,
    is_venv: bool = False,
) -> PythonInfo:
    exe = executable or (
        "C:\\Users\\u\\miniconda3\\envs\\d2l\\python.exe"
        if os == "windows"
        else "/home/u/miniconda3/envs/d2l/bin/python"
    )
    return PythonInfo(
        executable=exe,
        version=version,
        bits=bits,
        machine=machine,
        platform=OS_PLATFORM[os],
        prefix=prefix,
        is_venv=is_venv,
    )


def gpu_machine(
    *,
    os: str = "linux",
    gpu: str = "NVIDIA GeForce RTX 3060",
    cc: Optional[str] = "8.6",
    driver: Optional[str] = "580.65.06",
    driver_cuda: Optional[str] = "13.0",
    torch: Optional[str] = "2.13.0",
    torch_cuda: Optional[str] = "13.0",
    arch_list: tuple[str, ...] = ARCH_2_13_CU130,
    py: str = "3.11.9",
    packages: Optional[dict[str, str]] = None,
    **changes: Any,
) -> Snapshot:
    """A machine with one NVIDIA GPU, a driver, and a working torch/torchvision (change what a test needs)."""
    pkgs = {"numpy": "2.1.0", "pillow": "11.0.0", "d2l": "1.0.3"}
    imports = {"numpy": imported("numpy"), "PIL": imported("PIL")}
    torch_info = None
    if torch is not None:
        pkgs["torch"] = torch
        release_tv = {"2.13.0": "0.28.0", "2.2.2": "0.17.2", "2.7.1": "0.22.1", "2.6.0": "0.21.0"}.get(
            torch.split("+")[0]
        )
        if release_tv:
            pkgs["torchvision"] = release_tv + ("+" + torch.split("+")[1] if "+" in torch else "")
        torch_info = TorchInfo(
            version=torch,
            cuda=torch_cuda,
            arch_list=arch_list if torch_cuda else (),
            cuda_available=_available(torch_cuda, driver, driver_cuda),
            device_count=1 if driver else 0,
        )
        imports.update(torch=imported("torch"), torchvision=imported("torchvision"))
    pkgs.update(packages or {})
    host = Host(os=os, machine="AMD64" if os == "windows" else "x86_64")
    snap = Snapshot(
        host=host,
        driver=Driver(version=driver, cuda_version=driver_cuda) if driver else None,
        gpus=(Gpu(name=gpu, compute_capability=cc, memory_total_mib=12288),) if driver and gpu else (),
        pci_gpus=(PciGpu(pci_bus_id="0000:01:00.0", name=gpu),) if gpu else (),
        python=python(py, os=os, machine="AMD64" if os == "windows" else "x86_64"),
        packages=pkgs,
        torch=torch_info,
        imports=imports,
        jupyter=JupyterInfo(),
    )
    return replace(snap, **changes)


def _available(
    torch_cuda: Optional[str], driver: Optional[str], driver_cuda: Optional[str]
) -> Optional[bool]:
    """What torch.cuda.is_available() says on such a machine: an observation, so a driver too old for torch's
    CUDA cannot go with True (it would rule out driver-too-old); None when the driver's CUDA is not given."""
    if not (torch_cuda and driver):
        return False
    if driver_cuda is None:
        return None

    def nums(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in v.split(".")[:2])

    return nums(driver_cuda) >= nums(torch_cuda) or (nums(driver_cuda)[0] == nums(torch_cuda)[0] >= 11)


def cpu_machine(**changes: Any) -> Snapshot:
    """No NVIDIA GPU at all, CPU torch."""
    base = gpu_machine(gpu=None, driver=None, torch="2.13.0+cpu", torch_cuda=None)  # type: ignore[arg-type]
    return replace(base, **changes)


def with_torch(snap: Snapshot, **changes: Any) -> Snapshot:
    assert snap.torch is not None
    return replace(snap, torch=replace(snap.torch, **changes))


def with_packages(snap: Snapshot, **versions: Optional[str]) -> Snapshot:
    pkgs = dict(snap.packages)
    for name, version in versions.items():
        key = name.replace("_", "-")
        if version is None:
            pkgs.pop(key, None)
        else:
            pkgs[key] = version
    return replace(snap, packages=pkgs)


def with_imports(snap: Snapshot, *results: ImportResult) -> Snapshot:
    return replace(snap, imports={**snap.imports, **{r.module: r for r in results}})
