"""recommend_torch on several machines: driver, GPU, Python and OS each narrow the choice."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.matrix import Matrix
from d2l_doctor.models import Host
from d2l_doctor.rules import recommend_python, recommend_torch
from tests.rules.snap import cpu_machine, gpu_machine, python


def test_windows_cuda_12_4_driver_rtx_3060(matrix: Matrix) -> None:
    snap = gpu_machine(
        os="windows",
        gpu="NVIDIA GeForce RTX 3060",
        cc="8.6",
        driver="551.61",
        driver_cuda="12.4",
        torch=None,
        py="3.12.1",
    )
    rec = recommend_torch(snap, matrix)
    assert rec is not None
    assert rec.variant == "cu126" and rec.via == "minor-compat"
    assert (rec.torch, rec.torchvision) == ("2.14.1", "0.29.1")
    assert rec.index_url == "https://download.pytorch.org/whl/cu126"


def test_driver_exactly_at_cuda_12_6_prefers_max_cuda(matrix: Matrix) -> None:
    snap = gpu_machine(driver="560.35.03", driver_cuda="12.6", torch=None)
    rec = recommend_torch(snap, matrix)
    assert rec is not None and rec.variant == "cu126" and rec.via == "max-cuda"


def test_pascal_gets_cu126(matrix: Matrix) -> None:
    snap = gpu_machine(
        gpu="NVIDIA GeForce GTX 1080 Ti", cc="6.1", driver="580.95.05", driver_cuda="13.0", torch=None
    )
    rec = recommend_torch(snap, matrix)
    assert rec is not None and rec.variant == "cu126" and rec.torch == "2.14.1"


def test_rtx_5090_needs_cu128_or_newer(matrix: Matrix) -> None:
    new_driver = gpu_machine(
        gpu="NVIDIA GeForce RTX 5090", cc="12.0", driver="580.65.06", driver_cuda="13.0", torch=None
    )
    rec = recommend_torch(new_driver, matrix)
    assert rec is not None and rec.variant == "cu130" and rec.torch == "2.14.1"
    # A 12.8 driver: the newest release that still had cu128 (2.11).
    old_driver = replace(
        new_driver, driver=replace(new_driver.driver, version="570.124.06", cuda_version="12.8")
    )
    rec = recommend_torch(old_driver, matrix)
    assert rec is not None and rec.variant == "cu128" and rec.torch == "2.11.0"


def test_kepler_gets_cu118(matrix: Matrix) -> None:
    snap = gpu_machine(gpu="Tesla K80", cc="3.7", driver="470.82.01", driver_cuda="11.4", torch=None)
    rec = recommend_torch(snap, matrix)
    assert rec is not None and (rec.torch, rec.variant, rec.via) == ("2.5.1", "cu118", "minor-compat")


def test_macos_arm64_uses_pypi(matrix: Matrix) -> None:
    snap = replace(
        cpu_machine(),
        host=Host(os="darwin", machine="arm64"),
        python=python("3.12.2", os="darwin", machine="arm64"),
    )
    rec = recommend_torch(snap, matrix)
    assert rec is not None and rec.index_url is None and rec.style == "pypi"
    assert rec.packages() == ("torch==2.14.1", "torchvision==0.29.1")
    assert rec.fix().index_url is None


def test_macos_x86_64_stops_at_2_2_2(matrix: Matrix) -> None:
    snap = replace(
        cpu_machine(), host=Host(os="darwin", machine="x86_64"), python=python("3.11.4", os="darwin")
    )
    rec = recommend_torch(snap, matrix)
    assert rec is not None and rec.torch == "2.2.2"


def test_python_3_8_gets_torch_2_4_1(matrix: Matrix) -> None:
    snap = gpu_machine(driver="550.54.14", driver_cuda="12.4", torch=None, py="3.8.18")
    rec = recommend_torch(snap, matrix)
    assert rec is not None and (rec.torch, rec.torchvision, rec.torchaudio) == ("2.4.1", "0.19.1", "2.4.1")
    assert rec.variant == "cu124"


def test_no_gpu_gets_the_cpu_index(matrix: Matrix) -> None:
    rec = recommend_torch(cpu_machine(), matrix)
    assert (
        rec is not None and rec.variant == "cpu" and rec.index_url == "https://download.pytorch.org/whl/cpu"
    )
    assert rec.fix().torch_variant == "cpu"


def test_old_python_uses_the_era_style(matrix: Matrix) -> None:
    rec = recommend_torch(replace(cpu_machine(), python=python("3.6.15")), matrix)
    assert rec is not None and rec.torch == "1.10.2" and rec.style == "find-links"
    fix = rec.fix()
    assert fix.index_url is None and fix.flags == ("-f", "https://download.pytorch.org/whl/torch_stable.html")
    assert fix.packages[0] == "torch==1.10.2+cpu"
    rec = recommend_torch(replace(cpu_machine(), python=python("3.7.16")), matrix)
    assert rec is not None and rec.style == "extra-index-url" and rec.torch == "1.13.1"


def test_nothing_for_32bit_or_unknown_facts(matrix: Matrix) -> None:
    assert recommend_torch(replace(cpu_machine(), python=python(bits=32, machine="i686")), matrix) is None
    assert recommend_torch(replace(cpu_machine(), python=None, host=None), matrix) is None
    unknown_gpu = gpu_machine(gpu="NVIDIA Mystery Card", cc=None, torch=None)
    assert recommend_torch(unknown_gpu, matrix) is None


def test_recommend_python(matrix: Matrix) -> None:
    assert recommend_python(replace(cpu_machine(), python=python("3.16.0")), matrix) == "3.11"
