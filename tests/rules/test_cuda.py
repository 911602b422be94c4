"""CUDA toolkit vs driver, and cuDNN."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.models import CudaToolkit, Cudnn, Severity
from tests.rules.snap import gpu_machine, with_torch

CU124 = dict(
    driver="550.54.14", driver_cuda="12.4", torch="2.6.0+cu124", torch_cuda="12.4", arch_list=("sm_86",)
)


def test_toolkit_newer_than_driver_is_a_warning(check) -> None:
    snap = replace(gpu_machine(**CU124), cuda_toolkits=(CudaToolkit("13.0", "/usr/local/cuda-13.0"),))
    [f] = check(snap)["cuda-toolkit-newer-than-driver"]
    assert f.severity is Severity.WARNING
    assert f.params["needed"] == "580.65.06" and f.params["torch_cuda"] == "12.4"


def test_toolkit_within_minor_compatibility(check) -> None:
    snap = replace(
        gpu_machine(**CU124),
        cuda_toolkits=(
            CudaToolkit("12.6", "/usr/local/cuda-12.6"),
            CudaToolkit("11.8", "/usr/local/cuda-11.8"),
        ),
    )
    assert "cuda-toolkit-newer-than-driver" not in check(snap)


def test_cudnn_major_mismatch(check) -> None:
    snap = replace(
        with_torch(gpu_machine(**CU124), cudnn=8902), cudnn_system=(Cudnn("8.9.2", "/usr/include"),)
    )
    [f] = check(snap)["cudnn-mismatch"]
    assert f.severity is Severity.WARNING and f.params["expected"] == "9.1.0.70"
    assert f.fixes[0].packages == ("nvidia-cudnn-cu12==9.1.0.70",)


def test_cudnn_as_expected(check) -> None:
    assert "cudnn-mismatch" not in check(with_torch(gpu_machine(**CU124), cudnn=90100))
    assert "cudnn-mismatch" not in check(with_torch(gpu_machine(**CU124), cudnn=None))
