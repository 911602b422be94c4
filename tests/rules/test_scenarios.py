"""Whole machines from the seeds, each with the findings it must give (and the ones it must not)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from d2l_doctor.matrix import Matrix
from d2l_doctor.models import (
    BookStep,
    CondaInfo,
    CudaToolkit,
    Gpu,
    Host,
    ImportResult,
    JupyterInfo,
    PciGpu,
    Severity,
    Snapshot,
    TorchInfo,
    UnmetRequirement,
    exit_code_for,
)
from d2l_doctor.rules import evaluate
from tests.rules.snap import cpu_machine, gpu_machine, python, with_imports, with_packages
from tests.support.snapshots import failed, kernelspec

SCENARIOS: dict[str, tuple[Snapshot, set[str], set[str]]] = {
    # name: (snapshot, ids that must appear, ids that must not)
    "healthy-gpu": (gpu_machine(), set(), {"driver-too-old", "torch-cpu-only", "gpu-arch-unsupported"}),
    "healthy-cpu": (cpu_machine(), {"no-nvidia-gpu"}, {"torch-cpu-only", "torch-missing"}),
    "seed-000-32bit-miniconda": (
        replace(
            cpu_machine(),
            torch=None,
            packages={},
            imports={},
            host=Host(os="windows", machine="AMD64"),
            conda=CondaInfo(env_name="d2l", prefix="C:\\mc\\envs\\d2l", platform="win-32"),
            python=python("3.9.12", os="windows", bits=32, machine="AMD64"),
        ),
        {"conda-32bit"},
        {"torch-missing", "python-32bit"},
    ),
    "seed-001-pillow-dll": (
        with_imports(
            gpu_machine(
                os="windows",
                torch="1.12.0+cu113",
                torch_cuda="11.3",
                driver="516.94",
                driver_cuda="11.7",
                py="3.9.13",
                arch_list=("sm_37", "sm_86"),
            ),
            failed("torchvision", "DLL load failed while importing _imaging: 找不到指定的模块。"),
            failed("PIL", "DLL load failed while importing _imaging"),
        ),
        {"pillow-broken"},
        {"torchvision-mismatch", "import-failed"},
    ),
    "seed-001-kernel-and-nbconvert": (
        replace(
            with_packages(cpu_machine(), ipykernel="6.15.0", nbconvert="6.0.7", jinja2="3.1.2"),
            conda=CondaInfo(env_name="d2l", prefix="/home/u/miniconda3/envs/d2l"),
            jupyter=JupyterInfo(kernelspecs=(kernelspec("python3", "/home/u/miniconda3/bin/python"),)),
        ),
        {"jupyter-kernel-missing", "nbconvert-jinja2-contextfilter"},
        set(),
    ),
    "pasted-cuda-not-available-build-unknown": (
        replace(
            Snapshot(source="paste", gpus=(Gpu("NVIDIA GeForce RTX 3060", "8.6"),)),
            torch=TorchInfo(version="2.1.0", cuda=None, cuda_available=False),
            unknown=("torch.cuda", "driver", "python", "packages", "imports", "jupyter"),
        ),
        {"cuda-not-available"},
        {"torch-cpu-only", "driver-too-old"},
    ),
    "fresh-d2l-1.0.3-with-todays-ipython": (
        with_packages(cpu_machine(), d2l="1.0.3", matplotlib="3.7.2", ipython="9.19.1", ipykernel="7.4.0"),
        {"matplotlib-ipython-backend2gui"},
        set(),
    ),
    "jupyter-in-base-torch-env-without-ipykernel": (
        replace(
            cpu_machine(),
            conda=CondaInfo(env_name="d2l", prefix="/home/u/miniconda3/envs/d2l"),
            jupyter=JupyterInfo(
                kernelspecs=(
                    replace(
                        kernelspec("d2l", "python", display_name="Python (d2l)"),
                        python="/home/u/miniconda3/bin/python",
                        scope="user",
                        python_version="3.12.4",
                        packages={"ipykernel": "6.29.0"},
                    ),
                ),
                frontends=("/home/u/miniconda3/bin/python",),
            ),
        ),
        {"jupyter-kernel-missing", "jupyter-kernel-no-torch"},
        set(),
    ),
    "seed-002-d2l-on-3.12": (
        with_packages(gpu_machine(py="3.12.4"), d2l=None),
        {"d2l-pins-unsatisfiable"},
        {"d2l-missing"},
    ),
    "old-driver": (
        gpu_machine(driver="535.104.05", driver_cuda="12.2", torch="2.13.0"),
        {"driver-too-old"},
        set(),
    ),
    "cpu-torch-gpu-machine": (gpu_machine(torch="2.13.0+cpu", torch_cuda=None), {"torch-cpu-only"}, set()),
    "blackwell-on-cu126": (
        gpu_machine(
            gpu="NVIDIA GeForce RTX 5090", cc="12.0", torch="2.7.1+cu126", torch_cuda="12.6", arch_list=()
        ),
        {"gpu-arch-unsupported"},
        {"gpu-arch-unknown"},
    ),
    "report-unknown-gpu": (
        gpu_machine(gpu="NVIDIA Mystery Card", cc=None, torch="2.6.0+cu124", torch_cuda="12.4", arch_list=()),
        {"gpu-arch-unknown"},
        {"gpu-arch-unsupported"},
    ),
    "toolkit-cudnn-numpy": (
        replace(
            with_packages(
                gpu_machine(
                    driver="535.54.03",
                    driver_cuda="12.2",
                    torch="2.2.2",
                    torch_cuda="12.1",
                    arch_list=("sm_86",),
                ),
                numpy="2.0.1",
            ),
            torch=TorchInfo("2.2.2", cuda="12.1", cudnn=90100, arch_list=("sm_86",)),
            cuda_toolkits=(
                CudaToolkit("12.6", "/usr/local/cuda-12.6"),
                CudaToolkit("13.0", "/usr/local/cuda"),
            ),
        ),
        {"cuda-toolkit-newer-than-driver", "cudnn-mismatch", "numpy-abi-mismatch"},
        {"driver-too-old"},
    ),
    "torch-missing-32bit-windows": (
        replace(
            cpu_machine(),
            torch=None,
            packages={"numpy": "1.26.4"},
            imports={},
            host=Host(os="windows", machine="AMD64"),
            python=python("3.8.10", os="windows", bits=32),
        ),
        {"python-32bit"},
        {"torch-missing"},
    ),
    "torch-missing-windows": (
        gpu_machine(os="windows", driver="551.61", driver_cuda="12.4", torch=None, py="3.12.1"),
        {"torch-missing"},
        set(),
    ),
    "python-3.16": (
        replace(cpu_machine(), torch=None, packages={}, imports={}, python=python("3.16.0")),
        {"python-unsupported"},
        {"torch-missing"},
    ),
    "broken-imports": (
        with_imports(
            with_packages(cpu_machine(), torchaudio="2.11.0", nbconvert="7.16.0"),
            ImportResult("numpy", ok=False, signal="SIGILL"),
            failed("nbconvert", "ImportError: cannot import name 'contextfilter' from 'jinja2'"),
        ),
        {"import-failed", "torchaudio-mismatch", "nbconvert-jinja2-contextfilter"},
        set(),
    ),
    "stale-kernel-torch-crash": (
        replace(
            with_imports(cpu_machine(), ImportResult("torch", ok=False, signal="SIGSEGV")),
            torch=None,
            jupyter=JupyterInfo(kernelspecs=(kernelspec("gone", "/gone/bin/python", False),)),
        ),
        {"torch-import-crashed", "jupyter-kernel-stale"},
        {"torch-missing"},
    ),
    "rosetta-and-old-torch-import-error": (
        replace(
            with_imports(
                cpu_machine(), failed("torch", "OSError: libc10.so: cannot open shared object file")
            ),
            torch=None,
            host=Host(os="darwin", machine="arm64"),
            python=python("3.11.4", os="darwin"),
        ),
        {"torch-import-failed", "python-x86-on-arm64"},
        set(),
    ),
    "torchvision-image-extension-and-numpy-warning": (
        with_imports(
            with_packages(cpu_machine(), numpy="2.0.1", torch="2.5.0a0+git1234"),
            ImportResult(
                "torch", ok=True, warnings=("UserWarning: Failed to initialize NumPy: _ARRAY_API not found",)
            ),
            ImportResult(
                "torchvision",
                ok=True,
                warnings=("UserWarning: Failed to load image Python extension: 'libjpeg.so.8: cannot open'",),
            ),
        ),
        {"numpy-abi-mismatch", "torchvision-image-extension"},
        {"pillow-broken", "import-failed"},
    ),
    "no-driver-pillow-version": (
        replace(
            with_packages(cpu_machine(), torchvision="0.4.2", pillow="7.1.0", torch="1.3.1"),
            pci_gpus=(PciGpu("0000:01:00.0", "0x1c03", None, True, "nouveau"),),
        ),
        {"nvidia-driver-missing", "torchvision-pillow-version"},
        {"no-nvidia-gpu"},
    ),
    # A torch newer than the matrix, with a torchvision that declares it (its metadata), on a newer driver.
    "past-the-matrix": (
        replace(
            with_packages(
                gpu_machine(driver="620.10", driver_cuda="13.6", torch="2.16.0", torch_cuda="13.6"),
                torchvision="0.31.0",
            ),
            requires={"torchvision": ("numpy", "torch==2.16.0")},
        ),
        {"matrix-behind"},
        {"torchvision-mismatch", "driver-too-old"},
    ),
    "d2l-without-torchvision-torch-without-sympy": (
        replace(
            with_packages(cpu_machine(), d2l="1.0.3", numpy="1.26.4", setuptools="65.5.0", torchvision=None),
            book=(
                BookStep("import d2l", False, "ModuleNotFoundError", "No module named 'torchvision'"),
                BookStep("tensor", False, skipped="after import d2l"),
                BookStep("optimizer step", False, skipped="after import d2l"),
                BookStep("plot", True),
            ),
            requirements=(
                UnmetRequirement("torch", "2.13.0+cpu", "sympy>=1.13.3", "sympy"),
                UnmetRequirement("torch", "2.13.0+cpu", "setuptools>=77.0.3", "setuptools", "65.5.0"),
                UnmetRequirement("d2l", "1.0.3", "numpy==1.23.5", "numpy", "1.26.4"),
                UnmetRequirement("jupyterlab", "4.6.6", "httpx>=0.25", "httpx", "0.24.0"),
            ),
        ),
        {"book-cell-failed", "torchvision-missing", "requirements-missing", "requirements-conflict"},
        set(),
    ),
}


def all_scenarios() -> list[Snapshot]:
    return [snap for snap, _, _ in SCENARIOS.values()]


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario(name: str, matrix: Matrix) -> None:
    snap, must, must_not = SCENARIOS[name]
    findings = evaluate(snap, matrix)
    ids = {f.id for f in findings}
    assert must <= ids, (name, ids)
    assert not (must_not & ids), (name, ids)
    assert "rule-crashed" not in ids
    if name.startswith("healthy"):
        assert exit_code_for(findings) == 0 and all(f.severity is not Severity.ERROR for f in findings)


def test_scenarios_cover_every_finding(matrix: Matrix) -> None:
    """So that the message tests in test_registry render every finding id with real params."""
    from d2l_doctor.rules import CRASH_ID, all_finding_ids

    seen = {f.id for snap in all_scenarios() for f in evaluate(snap, matrix)}
    assert set(all_finding_ids()) - seen == {CRASH_ID}


def test_scenarios_round_trip_through_json(matrix: Matrix) -> None:
    """A report of the machine (its JSON) gives the same findings as the machine itself."""
    for snap in all_scenarios():
        again = Snapshot.from_dict(snap.to_dict())
        assert evaluate(again, matrix) == evaluate(snap, matrix)
