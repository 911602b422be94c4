"""The matrix's gpus.models table: NVIDIA GPU names -> compute capability and peak figures.

Names are looked up as drivers, nvidia-smi and collect_env print them, through the matrix's own matcher.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.ingest.conftest import gpu_models

KEYS = {"name", "cc", "fp32_tflops", "fp16_tflops", "bf16_tflops", "memory_bandwidth_gbs", "source"}


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    return gpu_models()


def test_entries_have_the_matrix_format_and_a_source(entries: list[dict[str, Any]]) -> None:
    assert len(entries) > 250
    for entry in entries:
        assert set(entry) <= KEYS and {"name", "cc", "source"} <= set(entry), entry
        assert isinstance(entry["cc"], str) and re.fullmatch(r"\d{1,2}\.\d", entry["cc"]), entry
        assert entry["source"].strip(), entry


def test_no_two_entries_name_the_same_model(entries: list[dict[str, Any]]) -> None:
    from d2l_doctor.matrix.gpus import normalize

    names = [normalize(e["name"]) for e in entries]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_peak_figures_are_plausible(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        if "fp32_tflops" in e:
            assert 1 < e["fp32_tflops"] < 200 and 50 < e["memory_bandwidth_gbs"] < 10000, e
            assert e.get("fp16_tflops", e["fp32_tflops"]) >= e["fp32_tflops"], e  # tensor cores beat FP32
            assert "peaks:" in e["source"], e


@pytest.mark.parametrize(
    ("name", "cc"),
    [
        # as nvidia-smi -L / NVML print them (and so collect_env's GPU list)
        ("NVIDIA GeForce RTX 3060 Laptop GPU", "8.6"),
        ("GeForce GTX 1080 Ti", "6.1"),
        ("NVIDIA GeForce RTX 2050", "8.6"),
        ("Tesla V100-SXM2-16GB", "7.0"),
        ("Tesla V100S-PCIE-32GB", "7.0"),
        ("Tesla P100-PCIE-16GB", "6.0"),
        ("NVIDIA A100-SXM4-80GB", "8.0"),
        ("NVIDIA A100 80GB PCIe", "8.0"),
        ("NVIDIA A10G", "8.6"),
        ("NVIDIA H100 80GB HBM3", "9.0"),
        ("NVIDIA H100 PCIe", "9.0"),
        ("NVIDIA H200 NVL", "9.0"),
        ("NVIDIA GH200 480GB", "9.0"),
        ("NVIDIA B200", "10.0"),
        ("NVIDIA GB10", "12.1"),
        ("Tesla T4", "7.5"),
        ("NVIDIA L4", "8.9"),
        ("NVIDIA L40S", "8.9"),
        ("Tesla K80", "3.7"),
        ("NVIDIA RTX A6000", "8.6"),
        ("NVIDIA RTX A4000 Laptop GPU", "8.6"),
        ("NVIDIA RTX 6000 Ada Generation", "8.9"),
        ("Quadro RTX 6000", "7.5"),
        ("NVIDIA RTX PRO 6000 Blackwell Workstation Edition", "12.0"),
        ("NVIDIA GeForce RTX 5090", "12.0"),
        ("NVIDIA GeForce RTX 5070 Ti Laptop GPU", "12.0"),
        ("NVIDIA GeForce RTX 4090 D", "8.9"),
        ("NVIDIA GeForce RTX 4060 Laptop GPU", "8.9"),
        ("GeForce RTX 2070 with Max-Q Design", "7.5"),
        ("NVIDIA GeForce GTX 1650 Ti", "7.5"),
        ("NVIDIA GeForce MX450", "7.5"),
        ("GeForce MX150", "6.1"),
        ("GeForce 940MX", "5.0"),
        ("GeForce GTX 960M", "5.0"),
        ("GeForce GTX 960", "5.2"),
        ("TITAN X (Pascal)", "6.1"),
        ("GeForce GTX TITAN X", "5.2"),
        ("TITAN Xp", "6.1"),
        ("NVIDIA TITAN RTX", "7.5"),
        ("TITAN V", "7.0"),
        ("GeForce GTX 1060 6GB", "6.1"),
        ("Quadro P1000", "6.1"),
        ("NVIDIA T1000 8GB", "7.5"),
        ("GeForce 210", "1.2"),
        ("Orin", "8.7"),
    ],
)
def test_driver_spellings_find_their_compute_capability(name: str, cc: str, gpu_matrix: Any) -> None:
    assert gpu_matrix.gpu_capability(name) == cc


@pytest.mark.parametrize(
    "name",
    [
        "NVIDIA H100 80GB HBM3",
        "NVIDIA H100 PCIe",
        "NVIDIA H200",
        "NVIDIA A100-SXM4-40GB",
        "NVIDIA A100-SXM4-80GB",
        "NVIDIA A100 80GB PCIe",
        "Tesla V100-SXM2-16GB",
        "Tesla T4",
        "NVIDIA L4",
        "NVIDIA GeForce RTX 3060",
        "NVIDIA GeForce RTX 3070",
        "NVIDIA GeForce RTX 3080",
        "NVIDIA GeForce RTX 3090",
        "NVIDIA GeForce RTX 4060",
        "NVIDIA GeForce RTX 4070",
        "NVIDIA GeForce RTX 4080",
        "NVIDIA GeForce RTX 4090",
        "NVIDIA GeForce RTX 5090",
        "GeForce GTX 1080 Ti",
    ],
)
def test_the_common_cards_have_peak_figures(name: str, gpu_matrix: Any) -> None:
    peak = gpu_matrix.gpu_peak(name)
    assert peak is not None and peak.fp32_tflops and peak.memory_bandwidth_gbs and peak.source


def test_variants_do_not_borrow_another_cards_figures(gpu_matrix: Any) -> None:
    # a laptop part, a China edition and a Ti are other cards than the desktop part whose name they contain
    for name in (
        "NVIDIA GeForce RTX 3060 Laptop GPU",
        "NVIDIA GeForce RTX 4090 D",
        "NVIDIA GeForce RTX 4060 Ti",
        "NVIDIA GeForce RTX 3080 Ti",
        "GeForce GTX 1080",
    ):
        assert gpu_matrix.gpu_peak(name) is None, name
    sxm, pcie = gpu_matrix.gpu_peak("NVIDIA H100 80GB HBM3"), gpu_matrix.gpu_peak("NVIDIA H100 PCIe")
    assert sxm.memory_bandwidth_gbs > pcie.memory_bandwidth_gbs and sxm.fp16_tflops > pcie.fp16_tflops
    a100_40, a100_80 = (
        gpu_matrix.gpu_peak("NVIDIA A100-SXM4-40GB"),
        gpu_matrix.gpu_peak("NVIDIA A100-SXM4-80GB"),
    )
    assert a100_80.memory_bandwidth_gbs > a100_40.memory_bandwidth_gbs


def test_every_gpu_named_in_the_report_fixtures_is_known(gpu_matrix: Any) -> None:
    from d2l_doctor.ingest import read_report
    from tests.ingest.expected import EXPECTED, FIXTURES

    names = {g.name for n in EXPECTED for g in read_report(str(FIXTURES / n)).gpus}
    assert [n for n in sorted(names) if gpu_matrix.gpu_capability(n) is None] == []
