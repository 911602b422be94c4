"""What each report fixture (tests/ingest/fixtures, SOURCES.md) must parse to, and which findings it gives.

Facts are checked field by field; `unknown` entries must be in Snapshot.unknown, `known` ones must not.
Findings: every id in `findings` must appear, none in `absent`; `healthy` means no error at all (d2l's two
rules aside: test_findings checks them on their own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Expected:
    torch: Optional[str]  # TorchInfo.version; None: no TorchInfo
    torch_cuda: Optional[str] = None
    torch_hip: Optional[str] = None
    cuda_available: Optional[bool] = None
    torch_cudnn: Optional[int] = None
    arch_list: tuple[str, ...] = ()
    warning: Optional[str] = None  # a piece of TorchInfo.init_warning
    driver: Optional[str] = None
    driver_cuda: Optional[str] = None
    gpus: tuple[str, ...] = ()
    os: Optional[str] = None
    os_release: Optional[str] = None
    wsl: bool = False
    python: Optional[str] = None
    bits: int = 0  # 0: the report does not say
    machine: str = ""
    toolkits: tuple[str, ...] = ()
    cudnn_system: tuple[str, ...] = ()
    conda: Optional[bool] = None  # True: a CondaInfo; False: none
    conda_managed: tuple[str, ...] = ()  # some of CondaInfo.managed
    packages: dict[str, str] = field(default_factory=dict)  # some of Snapshot.packages
    not_packages: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    cut: bool = False  # problems["report"] says it was cut off
    findings: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    healthy: bool = False


ALWAYS_UNKNOWN = ("jupyter", "shell", "python.executable")

EXPECTED: dict[str, Expected] = {
    "torch-1.4-linux-conda.txt": Expected(
        torch="1.4.0",
        torch_cuda="10.1",
        cuda_available=True,
        driver="440.64",
        gpus=("GeForce GTX 1080 Ti",),
        os="linux",
        os_release="Ubuntu 18.04.4 LTS",
        python="3.7",
        toolkits=("10.1",),
        cudnn_system=("7.6.5",),
        conda=True,
        conda_managed=("pytorch", "torchvision"),
        packages={"torch": "1.4.0", "torchvision": "0.5.0", "numpy": "1.18.1"},
        unknown=(
            "python.bits",
            "python.machine",
            "pci_gpus",
            "imports.torchvision",
            "packages.pillow",
            "conda.platform",
        ),
        known=("driver", "gpus", "packages", "packages.torchaudio", "torch"),
        healthy=True,
    ),
    "torch-1.8-windows-cpu-build.txt": Expected(
        torch="1.8.1+cpu",
        torch_cuda=None,
        cuda_available=False,
        driver="461.40",
        gpus=("GeForce GTX 1650",),
        os="windows",
        os_release="Microsoft Windows 10 Home",
        python="3.8",
        bits=64,
        conda=False,
        packages={"torchvision": "0.9.1+cpu", "torchaudio": "0.8.1"},
        unknown=("cuda_toolkits", "cudnn_system", "conda", "python.machine"),
        findings=("torch-cpu-only",),
        absent=("driver-too-old", "torchvision-mismatch"),
    ),
    "torch-1.13-linux-conda.txt": Expected(
        torch="1.13.1",
        torch_cuda="11.7",
        cuda_available=True,
        driver="525.85.05",
        gpus=("NVIDIA GeForce RTX 3060",),
        os="linux",
        python="3.9.16",
        bits=64,
        machine="x86_64",
        conda=True,
        conda_managed=("pytorch", "pytorch-cuda", "torchvision", "torchaudio"),
        packages={"torch": "1.13.1", "torchvision": "0.14.1", "pytorch-cuda": "11.7"},
        unknown=("cuda_toolkits", "cudnn_system"),
        known=("conda",),
        healthy=True,
    ),
    "torch-2.0-linux-driver-too-old.txt": Expected(
        torch="2.0.1+cu117",
        torch_cuda="11.7",
        cuda_available=False,
        warning="found version 10020",
        driver="440.33.01",
        driver_cuda="10.2",
        gpus=("Tesla V100-SXM2-16GB",),
        os="linux",
        python="3.10.12",
        bits=64,
        machine="x86_64",
        toolkits=("10.2",),
        cudnn_system=("7.6.5",),
        conda=False,
        packages={"torch": "2.0.1", "triton": "2.0.0"},
        findings=("driver-too-old",),
    ),
    "torch-2.4-linux-two-gpus.txt": Expected(
        torch="2.4.1+cu121",
        torch_cuda="12.1",
        cuda_available=True,
        torch_cudnn=90100,
        driver="550.90.07",
        gpus=("NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 4090"),
        os="linux",
        python="3.11.9",
        bits=64,
        machine="x86_64",
        toolkits=("12.1",),
        conda=False,
        packages={"nvidia-cudnn-cu12": "9.1.0.70"},
        unknown=("cudnn_system",),
        healthy=True,
    ),
    "torch-2.13-linux-cpu-this-machine.txt": Expected(
        torch="2.13.0+cpu",
        torch_cuda=None,
        cuda_available=False,
        os="linux",
        os_release="Debian GNU/Linux 12 (bookworm)",
        python="3.11.7",
        bits=64,
        machine="x86_64",
        toolkits=("13.0",),
        conda=False,
        packages={"torch": "2.13.0+cpu"},
        not_packages=("numpy", "torchvision"),
        unknown=("driver", "gpus", "cudnn_system", "conda"),
        known=("packages.numpy", "packages.torchvision"),
        # this machine's test venv holds torch alone: torchvision really is missing there
        findings=("torchvision-missing",),
        absent=("torch-missing", "no-nvidia-gpu"),
    ),
    "vllm-0.9-h100.txt": Expected(
        torch="2.7.0+cu126",
        torch_cuda="12.6",
        cuda_available=True,
        torch_cudnn=90501,
        driver="550.144.03",
        gpus=("NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3"),
        os="linux",
        python="3.12.11",
        bits=64,
        machine="x86_64",
        toolkits=("12.4",),
        conda=False,
        packages={"numpy": "2.2.6", "torchvision": "0.22.0"},
        healthy=True,
    ),
    "windows-crlf-32bit-no-torch.txt": Expected(
        torch=None,
        driver="531.79",
        gpus=("NVIDIA GeForce RTX 3060 Laptop GPU",),
        os="windows",
        os_release="Microsoft Windows 10 家庭中文版 (10.0.19045)",
        python="3.9.13",
        bits=32,
        conda=False,
        packages={"numpy": "1.24.3"},
        not_packages=("torch",),
        unknown=("imports", "python.machine"),
        known=("torch", "packages.torch"),
        # torch is absent, but no torch wheel exists for a 32-bit Python: the rules leave torch-missing out on
        # purpose (it would offer an install that cannot succeed) and python-32bit says what to do instead (a
        # 64-bit Python).
        findings=("python-32bit",),
        absent=("torch-missing",),
    ),
    "cut-off-2.1.txt": Expected(
        torch="2.1.2+cu121",
        torch_cuda="12.1",
        cuda_available=True,
        gpus=("NVIDIA GeForce RTX 3070",),
        os="linux",
        python="3.10.13",
        bits=64,
        machine="x86_64",
        unknown=("driver", "packages", "cudnn_system", "conda"),
        cut=True,
        absent=("torch-missing", "torchvision-missing", "driver-too-old"),
        healthy=True,
    ),
    "forum-post-zh-fullwidth.md": Expected(
        torch="1.7.1",
        torch_cuda="10.2",
        cuda_available=True,
        arch_list=("sm_37", "sm_50", "sm_60", "sm_70", "sm_75"),
        warning="sm_86 is not compatible",
        driver="455.45.01",
        gpus=("GeForce RTX 3090",),
        os="linux",
        python="3.8",
        bits=64,
        machine="x86_64",
        conda=True,
        conda_managed=("numpy",),
        packages={"torch": "1.7.1", "torchvision": "0.8.2"},
        findings=("gpu-arch-unsupported",),
    ),
    "real-pytorch-31876-windows7-geforce210.txt": Expected(
        torch="1.2.0",
        torch_cuda="10.0",
        cuda_available=False,
        driver="342.01",
        gpus=("GeForce 210",),
        os="windows",
        python="3.7",
        toolkits=("10.0",),
        cudnn_system=("7",),
        conda=False,
        packages={"torchvision": "0.4.0+cu92", "torchfile": "0.1.0"},
        unknown=("python.bits", "packages.d2l", "imports.PIL"),
        # driver 342.01 is older than CUDA 7.0's (Table 3); the GeForce 210 (compute capability 1.2) is older
        # than any torch build's arch list: no torch runs on it, so no CUDA torch is recommended.
        findings=("torchvision-mismatch", "driver-too-old", "gpu-arch-unsupported"),
        absent=("torch-cpu-only", "d2l-missing"),
    ),
    "real-pytorch-27745-windows-conda-1.0.txt": Expected(
        torch="1.0.0",
        torch_cuda="9.0",
        cuda_available=True,
        driver="398.36",
        gpus=("GeForce GTX 1050",),
        os="windows",
        python="3.7",
        conda=True,
        conda_managed=("pytorch", "torchvision"),
        packages={"torch": "1.0.0", "torchvision": "0.2.2"},
        healthy=True,
    ),
    "real-pytorch-30071-titanxp-cut.txt": Expected(
        torch="1.3.1",
        torch_cuda="10.1.243",
        cuda_available=False,
        driver="410.48",
        gpus=("TITAN Xp",) * 8,
        os="linux",
        python="3.6",
        toolkits=("10.0",),
        packages={"numpy": "1.17.4", "torch": "1.3.1"},
        unknown=("packages.torchvision",),
        cut=True,
        findings=("driver-too-old",),
        absent=("torchvision-missing",),
    ),
    "real-pytorch-44303-indented.txt": Expected(
        torch="1.3.1",
        torch_cuda=None,
        cuda_available=False,
        driver="430.64",
        gpus=("GeForce RTX 2080 Ti",),
        os="linux",
        python="3.7",
        toolkits=("10.1",),
        cudnn_system=("7.6.5", "7.6.5"),
        packages={"torchvision": "0.4.2"},
        findings=("torch-cpu-only",),
    ),
    "real-lhotse-793-driver-too-old-cut.txt": Expected(
        torch="1.12.1+cu102",
        torch_cuda="10.2",
        warning="found version 9010",
        python="3.8",  # from the warning's path (.../lib/python3.8/site-packages/torch/...)
        unknown=("driver", "gpus", "python.bits", "python.machine", "host", "packages"),
        cut=True,
        findings=("driver-too-old",),
    ),
    "real-pytorch-51858-windows11-cut.txt": Expected(
        torch="2.0.1+cu117",
        torch_cuda="11.7",
        cuda_available=True,
        driver="535.98",
        gpus=("NVIDIA GeForce GTX 1050 Ti",),
        os="windows",
        os_release="Microsoft Windows 11 Pro (10.0.22621)",
        python="3.9.16",
        bits=64,
        machine="AMD64",
        toolkits=("11.7",),
        cudnn_system=("8",),
        conda=True,
        packages={"torchvision": "0.15.2", "torchaudio": "2.0.2+cu117"},
        cut=True,
        # PyPI's Windows torchvision is a CPU build: it does not match torch +cu117
        # torchvision 0.15.2 without a local tag pairs with torch 2.0.1: its build is not known (conda, another
        # index), never guessed as PyPI's default, so no mismatch (issue 12, class 5)
        absent=("gpu-arch-unsupported", "torchvision-mismatch"),
    ),
    "real-pytorch-37212-hand-copied.txt": Expected(
        torch="1.5.0",
        torch_cuda="10.2",
        cuda_available=False,
        driver="410.104",
        gpus=("Tesla P100-PCIE-16GB",) * 4,
        os="linux",
        os_release="Ubuntu 18.04.3 LTS",
        python="3.6",
        toolkits=("10.0",),
        cudnn_system=("7.6.5",),
        conda=False,
        packages={"torchvision": "0.6.0"},
        findings=("driver-too-old",),
    ),
    "real-vllm-9293-wsl2-cut.txt": Expected(
        torch="2.4.0+cu121",
        torch_cuda="12.1",
        cuda_available=True,
        driver="551.88",
        gpus=("NVIDIA GeForce RTX 4070 Laptop GPU",),
        os="linux",
        wsl=True,
        python="3.12.3",
        bits=64,
        machine="x86_64",
        toolkits=("12.4",),
        conda=True,
        unknown=("packages",),
        cut=True,
        healthy=True,
    ),
    "real-vllm-24063-new-format-cut.txt": Expected(
        torch="2.6.0+cpu",
        torch_cuda=None,
        cuda_available=False,
        driver="570.124.06",
        gpus=("NVIDIA GeForce RTX 3090",),
        os="linux",
        python="3.12.11",
        bits=64,
        machine="x86_64",
        unknown=("cudnn_system", "packages"),
        cut=True,
        findings=("torch-cpu-only",),
    ),
    "real-vllm-18285-macos-cut.txt": Expected(
        torch="2.7.0",
        torch_cuda=None,
        cuda_available=False,
        os="darwin",
        python="3.12.9",
        bits=64,
        machine="arm64",
        conda=True,
        conda_managed=(),
        packages={"torchvision": "0.22.0", "numpy": "2.2.5"},
        # Apple Silicon: no NVIDIA GPU can be there, so their absence is known
        known=("driver", "gpus", "pci_gpus"),
        unknown=("cuda_toolkits",),
        findings=("no-nvidia-gpu",),
        healthy=True,
    ),
    "real-pytorch-40682-quoted-windows.md": Expected(
        torch="1.5.0+cu101",
        torch_cuda="10.1",
        cuda_available=True,
        driver="442.92",
        gpus=("TITAN RTX", "TITAN RTX"),
        os="windows",
        python="3.7",
        toolkits=("10.1",),
        cudnn_system=("7",),
        conda=True,
        packages={"torchvision": "0.6.0+cu101"},
        known=("packages.torchvision",),
        cut=True,
        healthy=True,
    ),
    "real-vllm-9713-rocm-cut.txt": Expected(
        torch="2.5.1+rocm6.2",
        torch_cuda=None,
        torch_hip="6.2.41133-dd7f95766",
        cuda_available=True,
        os="linux",
        python="3.10.12",
        bits=64,
        machine="x86_64",
        unknown=("driver", "gpus"),
        cut=True,
        healthy=True,
    ),
}
