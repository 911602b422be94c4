"""Snapshots and Findings for the renderer tests, built by hand: a healthy CPU machine, an old driver
(Windows, conda), a broken Pillow (Linux venv) and a pasted collect_env report that leaves things unknown.

Finding words come from TEST_MESSAGES (patched into the catalogue by the tests), so the golden files change
only when the renderers or the ui catalogue change, not when the rules' wording does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.models import (
    Area,
    CondaInfo,
    CudaToolkit,
    Driver,
    Finding,
    FixAction,
    FixKind,
    Gpu,
    Host,
    JupyterInfo,
    Problem,
    PythonInfo,
    Severity,
    Snapshot,
    TorchInfo,
)
from tests.support.snapshots import JUPYTER_DATA, d2l_kernel, failed, imported

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

NO_MATRIX = cast("Matrix", None)  # the renderers never read the matrix

TEST_MESSAGES: dict[str, dict[str, str]] = {
    "finding.no-nvidia-gpu.title": {
        "en": "No NVIDIA GPU: the d2l chapters run on the CPU",
        "zh": "没有 NVIDIA GPU：d2l 的章节可以在 CPU 上运行",
    },
    "finding.no-nvidia-gpu.detail": {"en": "Nothing to do.", "zh": "无需处理。"},
    "finding.driver-too-old.title": {
        "en": "Driver {driver} is too old for torch {torch} (needs CUDA {needs})",
        "zh": "驱动 {driver} 太旧，无法运行 torch {torch}（需要 CUDA {needs}）",
    },
    "finding.driver-too-old.detail": {
        "en": "The driver supports CUDA up to {driver_cuda}.\nUpdate the driver, or install a torch built for it.",  # noqa: E501
        "zh": "该驱动最高支持 CUDA {driver_cuda}。\n请更新驱动，或安装与之匹配的 torch。",
    },
    "finding.pillow-broken.title": {"en": "Pillow is broken", "zh": "Pillow 已损坏"},
    "finding.pillow-broken.detail": {
        "en": "Its C extension does not load, so torchvision cannot import.",
        "zh": "它的 C 扩展无法加载，因此无法导入 torchvision。",
    },
    "finding.jupyter-kernel-missing.title": {
        "en": "This environment is not a Jupyter kernel",
        "zh": "此环境没有注册为 Jupyter 内核",
    },
    "finding.jupyter-kernel-missing.detail": {
        "en": "Notebooks cannot choose {python}.",
        "zh": "笔记本无法选择 {python}。",
    },
    "finding.gpu-arch-unsupported.title": {
        "en": "{gpu} may not be supported by this torch",
        "zh": "此 torch 可能不支持 {gpu}",
    },
    "finding.gpu-arch-unsupported.detail": {
        "en": "The report names the GPU but not its compute capability.",
        "zh": "报告给出了 GPU 名称，但没有给出其计算能力。",
    },
    "test.manual.driver": {
        "en": "Install the newest NVIDIA driver for your GPU",
        "zh": "为你的 GPU 安装最新的 NVIDIA 驱动",
    },
}

LINUX_PY = "/home/ada/d2l/.venv/bin/python"
WIN_PY = "C:\\Users\\ada\\miniconda3\\envs\\d2l\\python.exe"


def healthy_cpu() -> Diagnosis:
    snapshot = Snapshot(
        host=Host(
            "linux",
            "Debian GNU/Linux 12 (bookworm)",
            "6.1.0-18-amd64",
            "x86_64",
            cpu="AMD EPYC 7B13",
            cpu_count=2,
            ram_mib=24105,
            disk_free_mib=51200,
        ),
        cuda_toolkits=(CudaToolkit("13.0", "/usr/local/cuda-13.0", "/usr/local/cuda-13.0/bin/nvcc"),),
        python=PythonInfo(
            LINUX_PY,
            "3.11.9",
            64,
            "x86_64",
            prefix="/home/ada/d2l/.venv",
            base_prefix="/usr",
            is_venv=True,
            chosen_by="--python",
        ),
        packages={
            "torch": "2.13.0+cpu",
            "torchvision": "0.28.0+cpu",
            "numpy": "2.3.1",
            "pillow": "11.3.0",
            "d2l": "1.0.3",
            "matplotlib": "3.10.0",
            "ipykernel": "6.29.5",
            "jupyter": "1.1.1",
            "sympy": "1.14.0",
        },
        torch=TorchInfo("2.13.0+cpu", cuda_available=False, device_count=0),
        imports={
            "torch": imported("torch", 1.42),
            "torchvision": imported("torchvision", 0.31),
            "PIL": imported("PIL", 0.02),
            "numpy": imported("numpy", 0.08),
        },
        jupyter=d2l_kernel(LINUX_PY),
        shell="bash",
    )
    findings = (
        Finding("no-nvidia-gpu", Severity.INFO, Area.GPU, evidence={"nvml": "NVML Shared Library Not Found"}),
    )
    return Diagnosis(snapshot, findings, NO_MATRIX)


def old_driver() -> Diagnosis:
    conda = CondaInfo(
        "d2l",
        "C:\\Users\\ada\\miniconda3\\envs\\d2l",
        platform="win-64",
        conda_version="24.9.2",
        conda_exe="C:\\Users\\ada\\miniconda3\\Scripts\\conda.exe",
        channels=("defaults",),
    )
    snapshot = Snapshot(
        host=Host("windows", "Windows 11 (10.0.22631)", machine="AMD64", cpu_count=16, ram_mib=32768),
        driver=Driver("472.12", "11.4", "nvml"),
        gpus=(Gpu("NVIDIA GeForce RTX 3060 Laptop GPU", "8.6", 6144, "00000000:01:00.0"),),
        python=PythonInfo(
            WIN_PY,
            "3.11.9",
            64,
            "AMD64",
            platform="win32",
            prefix="C:\\Users\\ada\\miniconda3\\envs\\d2l",
            chosen_by="conda",
        ),
        conda=conda,
        packages={
            "torch": "2.13.0+cu130",
            "torchvision": "0.28.0+cu130",
            "numpy": "2.3.1",
            "pillow": "11.3.0",
        },
        torch=TorchInfo(
            "2.13.0+cu130",
            cuda="13.0",
            cudnn=91900,
            arch_list=("sm_75", "sm_80", "sm_86", "sm_90"),
            cuda_available=False,
            device_count=0,
            init_warning="The NVIDIA driver on your system is too old (found version 11040).",
        ),
        imports={"torch": imported("torch", 2.5), "torchvision": imported("torchvision", 0.4)},
        shell="powershell",
    )
    params: dict[str, Any] = {
        "driver": "472.12",
        "torch": "2.13.0+cu130",
        "needs": "13.0",
        "driver_cuda": "11.4",
    }
    findings = (
        Finding(
            "driver-too-old",
            Severity.ERROR,
            Area.GPU,
            params=params,
            evidence={
                "driver": "472.12 (CUDA 11.4)",
                "torch.version.cuda": "13.0",
                "torch warning": "The NVIDIA driver on your system is too old (found version 11040).",
            },
            fixes=(
                FixAction(
                    FixKind.MANUAL,
                    url="https://www.nvidia.com/Download/index.aspx",
                    message="test.manual.driver",
                ),
                FixAction(
                    FixKind.PIP_INSTALL,
                    packages=("torch==2.7.1", "torchvision==0.22.1"),
                    flags=("--force-reinstall",),
                    index_url="https://download.pytorch.org/whl/cu118",
                    torch_variant="cu118",
                    reason="a torch this driver can run",
                ),
            ),
        ),
    )
    return Diagnosis(snapshot, findings, NO_MATRIX)


def broken_pillow() -> Diagnosis:
    so = "/home/ada/d2l/.venv/lib/python3.11/site-packages/PIL/_imaging.cpython-311-x86_64-linux-gnu.so"
    error = f"{so}: file too short"
    snapshot = Snapshot(
        host=Host("linux", "Ubuntu 22.04.4 LTS", machine="x86_64", cpu_count=8, ram_mib=16000),
        python=PythonInfo(
            LINUX_PY,
            "3.10.12",
            64,
            "x86_64",
            prefix="/home/ada/d2l/.venv",
            is_venv=True,
            base_prefix="/usr",
            chosen_by="venv",
        ),
        packages={
            "torch": "2.13.0+cpu",
            "torchvision": "0.28.0+cpu",
            "pillow": "11.3.0",
            "numpy": "2.3.1",
            "ipykernel": "6.29.5",
        },
        torch=TorchInfo("2.13.0+cpu", cuda_available=False, device_count=0),
        imports={
            "torch": imported("torch", 1.3),
            "PIL": failed("PIL", error, seconds=0.01),
            "torchvision": failed("torchvision", error + "\n(from torchvision.io)", seconds=0.5),
        },
        jupyter=JupyterInfo(data_paths=(JUPYTER_DATA,)),
        problems={
            "nvml": Problem.error("NVML Shared Library Not Found"),
            "pci": Problem.error("no /sys/bus/pci here"),
        },
    )
    findings = (
        Finding("no-nvidia-gpu", Severity.INFO, Area.GPU),
        Finding(
            "pillow-broken",
            Severity.ERROR,
            Area.TORCH,
            evidence={"import PIL": f"ImportError: {error}"},
            fixes=(
                FixAction(FixKind.PIP_UNINSTALL, packages=("pillow",)),
                FixAction(FixKind.PIP_INSTALL, packages=("pillow",)),
            ),
        ),
        Finding(
            "jupyter-kernel-missing",
            Severity.WARNING,
            Area.JUPYTER,
            params={"python": LINUX_PY},
            fixes=(FixAction(FixKind.KERNEL_INSTALL, name="d2l", display_name="Python (d2l)"),),
        ),
    )
    return Diagnosis(snapshot, findings, NO_MATRIX)


NOT_IN_COLLECT_ENV = (
    "pillow", "d2l", "jupyter", "notebook", "jupyterlab", "ipykernel", "nbconvert", "jinja2", "matplotlib", "pandas",
    "nb-conda-kernels", "scipy", "requests", "matplotlib-inline",
)  # fmt: skip


def collect_env_report() -> Diagnosis:
    snapshot = Snapshot(
        source="collect_env",
        driver=Driver("560.94", None, "report"),
        gpus=(Gpu("NVIDIA GeForce RTX 5090", None),),
        packages={"torch": "2.5.1+cu124", "numpy": "2.1.3"},
        torch=TorchInfo("2.5.1+cu124", cuda="12.4", cudnn=90100, cuda_available=True),
        unknown=(
            "cuda_toolkits",
            "cudnn_system",
            "jupyter",
            "imports",
            "pci_gpus",
            "host",
            "conda",
            "python",
            # as ingest writes them: collect_env's pip list names only torch/numpy-like packages
            *(f"packages.{name}" for name in NOT_IN_COLLECT_ENV),
        ),
    )
    findings = (
        Finding(
            "gpu-arch-unsupported",
            Severity.INFO,
            Area.GPU,
            params={"gpu": "NVIDIA GeForce RTX 5090"},
            evidence={"gpu": "NVIDIA GeForce RTX 5090", "torch": "2.5.1+cu124"},
            undecided=True,
        ),
    )
    return Diagnosis(snapshot, findings, NO_MATRIX)


SCENARIOS = {
    "healthy_cpu": healthy_cpu,
    "old_driver": old_driver,
    "broken_pillow": broken_pillow,
    "collect_env_report": collect_env_report,
}
SHELLS = {
    "healthy_cpu": "bash",
    "old_driver": "powershell",
    "broken_pillow": "bash",
    "collect_env_report": "cmd",
}
