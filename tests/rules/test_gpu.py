"""GPU & driver rules: missing driver, no GPU, old driver (with minor-version compatibility), and GPU
architectures against each era's arch list."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.models import FixKind, PciGpu, Problem, Severity
from tests.rules.snap import cpu_machine, gpu_machine, with_torch

CU126_LIST = ("sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90")


def test_healthy_gpu_machine_has_no_gpu_findings(check) -> None:
    found = check(gpu_machine())
    assert not [f for fs in found.values() for f in fs if f.area.value == "gpu"]


def test_gpu_on_the_bus_without_driver(check) -> None:
    snap = replace(
        gpu_machine(driver=None), pci_gpus=(PciGpu("0000:01:00.0", "0x2504", None, True, "nouveau"),)
    )
    found = check(snap)
    [f] = found["nvidia-driver-missing"]
    assert f.severity is Severity.ERROR
    assert f.params["kernel_driver"] == "nouveau"
    assert f.fixes[0].kind is FixKind.MANUAL and "nvidia.com" in (f.fixes[0].url or "")
    assert "no-nvidia-gpu" not in found


def test_no_gpu_is_info_only(check) -> None:
    found = check(cpu_machine())
    [f] = found["no-nvidia-gpu"]
    assert f.severity is Severity.INFO and not f.undecided
    assert "nvidia-driver-missing" not in found


def test_no_gpu_with_unknown_bus_is_undecided(check) -> None:
    found = check(replace(cpu_machine(), unknown=("pci_gpus",)))
    assert found["no-nvidia-gpu"][0].undecided


def test_unknown_driver_section_says_nothing(check) -> None:
    found = check(replace(cpu_machine(), unknown=("driver", "gpus", "pci_gpus")))
    assert "no-nvidia-gpu" not in found and "nvidia-driver-missing" not in found


def test_cu130_torch_on_a_cuda_12_4_driver(check) -> None:
    snap = gpu_machine(os="windows", driver="551.61", driver_cuda="12.4", torch="2.13.0+cu130", py="3.12.1")
    [f] = check(snap)["driver-too-old"]
    assert f.severity is Severity.ERROR
    assert (f.params["driver_cuda"], f.params["torch_cuda"], f.params["needed"]) == ("12.4", "13.0", "580")
    install, manual = f.fixes
    assert install.kind is FixKind.PIP_INSTALL and install.torch_variant == "cu126"
    assert install.index_url == "https://download.pytorch.org/whl/cu126"
    assert install.packages[0] == "torch==2.14.1+cu126"
    assert manual.kind is FixKind.MANUAL


def test_minor_version_compatibility_is_not_an_error(check) -> None:
    # cu126 torch on a 12.4 driver (>= 525.60.13): runs through minor-version compatibility.
    snap = gpu_machine(
        driver="550.54.14", driver_cuda="12.4", torch="2.7.1+cu126", torch_cuda="12.6", arch_list=CU126_LIST
    )
    assert "driver-too-old" not in check(snap)


def test_pre_cuda_11_has_no_minor_compatibility(check) -> None:
    snap = gpu_machine(
        driver="418.39",
        driver_cuda="10.1",
        torch="1.12.1+cu102",
        torch_cuda="10.2",
        arch_list=("sm_37", "sm_50", "sm_60", "sm_70"),
    )
    [f] = check(snap)["driver-too-old"]
    assert f.params["needed"] == "440.33"


def test_driver_max_cuda_unknown_uses_table_3(check) -> None:
    snap = gpu_machine(driver="535.54.03", driver_cuda=None, torch="2.13.0", torch_cuda="13.0")
    [f] = check(snap)["driver-too-old"]
    assert f.params["driver_cuda"] == "12.2"


def test_torch_warning_alone_is_evidence(check) -> None:
    warning = "CUDA initialization: The NVIDIA driver on your system is too old (found version 12040)."
    snap = with_torch(gpu_machine(driver=None), init_warning=warning)
    [f] = check(snap)["driver-too-old"]
    assert f.evidence["torch warning"] == warning


def _arch_check(check, gpu: str, cc: str | None, torch: str, cuda: str, archs: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    snap = gpu_machine(gpu=gpu, cc=cc, torch=torch, torch_cuda=cuda, arch_list=archs)
    return check(snap).get("gpu-arch-unsupported", [])


def test_blackwell_on_cu126(check) -> None:
    [f] = _arch_check(check, "NVIDIA GeForce RTX 5090", "12.0", "2.7.1+cu126", "12.6", CU126_LIST)
    assert f.severity is Severity.ERROR and f.params["arch"] == "Blackwell"
    [fix] = f.fixes
    assert fix.torch_variant in ("cu128", "cu129", "cu130", "cu132")
    assert fix.packages[0].startswith("torch==2.14.1+")


def test_kepler_against_each_era(check) -> None:
    # sm_37 was in 2.0 cu117 pip wheels and in cu118 builds up to 2.5; gone from cu121 and later.
    assert not _arch_check(check, "Tesla K80", "3.7", "2.0.1", "11.7")
    assert not _arch_check(check, "Tesla K80", "3.7", "2.5.1+cu118", "11.8")
    [f] = _arch_check(check, "Tesla K80", "3.7", "2.5.1+cu121", "12.1")
    assert f.params["arch"] == "Kepler" and f.evidence["arch list from"].startswith("[PyPI-arch]")


def test_maxwell_and_pascal_need_cu126(check) -> None:
    [f] = _arch_check(check, "NVIDIA GeForce GTX 750 Ti", "5.0", "2.8.0", "12.8")
    assert f.severity is Severity.ERROR
    assert not _arch_check(
        check, "NVIDIA GeForce GTX 1060 6GB", "6.1", "2.8.0+cu126", "12.6"
    )  # sm_60 serves 6.1


def test_volta_dropped_from_cu128_in_2_11(check) -> None:
    assert not _arch_check(check, "Tesla V100-SXM2-16GB", "7.0", "2.10.0", "12.8")
    [f] = _arch_check(check, "Tesla V100-SXM2-16GB", "7.0", "2.11.0+cu128", "12.8")
    assert f.params["arch"] == "Volta"
    [fix] = f.fixes
    assert fix.torch_variant == "cu126"


def test_arch_list_from_torch_wins_over_the_matrix(check) -> None:
    # A measured get_arch_list() decides, whatever the matrix says for this release.
    assert not _arch_check(
        check, "NVIDIA GeForce RTX 5090", "12.0", "2.7.1+cu126", "12.6", CU126_LIST + ("sm_120",)
    )


def test_unverified_arch_row_only_warns(check) -> None:
    [f] = _arch_check(check, "NVIDIA GeForce GTX 1080 Ti", "6.1", "2.9.1+cu130", "13.0")
    assert f.severity is Severity.WARNING


def test_windows_arch_list_from_the_matrix_only_warns(check) -> None:
    snap = gpu_machine(
        os="windows",
        gpu="NVIDIA GeForce RTX 5090",
        cc="12.0",
        torch="2.7.1+cu126",
        torch_cuda="12.6",
        arch_list=(),
        driver="576.02",
        driver_cuda="12.9",
    )
    [f] = check(snap)["gpu-arch-unsupported"]
    assert f.severity is Severity.WARNING


def test_report_gpu_without_capability_uses_the_name(check) -> None:
    [f] = _arch_check(check, "NVIDIA GeForce RTX 5090", None, "2.6.0+cu124", "12.4")
    assert f.params["cc"] == "12.0" and f.evidence["cc from"] == "matrix"


def test_unknown_gpu_name_is_undecided(check) -> None:
    snap = gpu_machine(gpu="NVIDIA Mystery Card", cc=None, torch="2.6.0+cu124", torch_cuda="12.4")
    found = check(snap)
    [f] = found["gpu-arch-unknown"]
    assert f.undecided and f.severity is Severity.INFO and "gpu-arch-unsupported" not in found


def test_driver_that_timed_out_is_undecided(check) -> None:
    snap = replace(
        gpu_machine(driver=None), problems={"nvml": Problem("ui.why.timed_out", {"seconds": "10"})}
    )
    [f] = check(snap)["nvidia-driver-missing"]
    assert f.undecided and f.severity is Severity.WARNING
