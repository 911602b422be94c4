"""Snapshots as the live probes write them, for the JSON round trip: a healthy GPU machine, a 32-bit conda
Python on Windows, and a CPU torch with a CUDA torchvision whose import fails."""

from __future__ import annotations

from d2l_doctor.models import (
    CondaInfo,
    CudaToolkit,
    Driver,
    Gpu,
    Host,
    Problem,
    PythonInfo,
    Snapshot,
    TorchInfo,
)
from tests.support.snapshots import d2l_kernel, failed, imported

_OK_IMPORTS = {name: imported(name, 0.2) for name in ("numpy", "PIL", "nbconvert")}


def healthy_gpu_linux() -> Snapshot:
    python = "/home/ada/d2l/.venv/bin/python"
    return Snapshot(
        host=Host(
            os="linux",
            os_release="Ubuntu 22.04.4 LTS",
            kernel="6.5.0-35-generic",
            machine="x86_64",
            cpu="AMD Ryzen 9 7950X",
            cpu_count=32,
            ram_mib=64000,
            disk_free_mib=200000,
        ),
        driver=Driver(version="550.54.14", cuda_version="12.4", source="nvml"),
        gpus=(
            Gpu(
                name="NVIDIA GeForce RTX 3060",
                compute_capability="8.6",
                memory_total_mib=12288,
                pci_bus_id="00000000:01:00.0",
            ),
        ),
        cuda_toolkits=(
            CudaToolkit(version="12.1", path="/usr/local/cuda-12.1", nvcc="/usr/local/cuda-12.1/bin/nvcc"),
        ),
        python=PythonInfo(
            executable=python,
            version="3.11.9",
            bits=64,
            machine="x86_64",
            prefix="/home/ada/d2l/.venv",
            base_prefix="/usr",
            is_venv=True,
            chosen_by="venv",
        ),
        packages={
            "torch": "2.4.1",
            "torchvision": "0.19.1",
            "torchaudio": "2.4.1",
            "numpy": "1.26.4",
            "pillow": "10.4.0",
            "ipykernel": "6.29.5",
            "nbconvert": "7.16.4",
            "jinja2": "3.1.4",
        },
        torch=TorchInfo(
            version="2.4.1+cu121",
            cuda="12.1",
            cudnn=90100,
            arch_list=("sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"),
            cuda_available=True,
            device_count=1,
            device_capabilities=("8.6",),
        ),
        imports={
            **_OK_IMPORTS,
            "torch": imported("torch", 1.1),
            "torchvision": imported("torchvision", 0.4),
        },
        jupyter=d2l_kernel(python),
        shell="bash",
    )


def conda_32bit_windows() -> Snapshot:
    return Snapshot(
        host=Host(os="windows", os_release="Windows 11 (10.0.22631)", machine="AMD64"),
        python=PythonInfo(
            executable="C:\\Users\\ada\\miniconda3\\python.exe",
            version="3.9.13",
            bits=32,
            machine="AMD64",
            platform="win32",
            prefix="C:\\Users\\ada\\miniconda3",
            chosen_by="conda",
        ),
        conda=CondaInfo(
            env_name="base",
            prefix="C:\\Users\\ada\\miniconda3",
            is_base=True,
            platform="win-32",
            conda_version="23.5.2",
            managed=("python", "numpy"),
        ),
        packages={"numpy": "1.24.3"},
        imports={"numpy": imported("numpy", 0.3)},
        problems={"nvml": Problem.error("pynvml: NVML Shared Library Not Found")},
        shell="powershell",
    )


def torchvision_mismatch() -> Snapshot:
    return Snapshot(
        host=Host(os="linux", machine="x86_64"),
        python=PythonInfo(
            executable="/opt/venv/bin/python",
            version="3.11.7",
            bits=64,
            machine="x86_64",
            is_venv=True,
            chosen_by="python",
        ),
        packages={"torch": "2.13.0+cpu", "torchvision": "0.28.0", "numpy": "2.1.3", "pillow": "11.0.0"},
        torch=TorchInfo(version="2.13.0+cpu", cuda_available=False, device_count=0),
        imports={
            **_OK_IMPORTS,
            "torch": imported("torch", 1.0),
            "torchvision": failed("torchvision", "operator torchvision::nms does not exist", "RuntimeError"),
        },
        problems={"nvml": Problem.error("pynvml: NVML Shared Library Not Found")},
        shell="bash",
    )


LIVE = {
    "healthy-gpu-linux": healthy_gpu_linux,
    "conda-32bit-windows": conda_32bit_windows,
    "torchvision-mismatch": torchvision_mismatch,
}
