"""The PyTorch stack: missing, crashing, failing, CPU-only; torchvision/torchaudio against torch."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.models import FixKind, ImportResult, Problem, Severity
from tests.rules.snap import cpu_machine, gpu_machine, python, with_imports, with_packages, with_torch
from tests.support.snapshots import failed

NMS = "RuntimeError: operator torchvision::nms does not exist"


def test_torch_missing_on_a_gpu_machine(check) -> None:
    snap = gpu_machine(os="windows", driver="551.61", driver_cuda="12.4", torch=None, py="3.12.1")
    [f] = check(snap)["torch-missing"]
    assert f.severity is Severity.ERROR
    [fix] = f.fixes
    assert fix.kind is FixKind.PIP_INSTALL and fix.index_url == "https://download.pytorch.org/whl/cu126"
    assert fix.packages == ("torch==2.14.1+cu126", "torchvision==0.29.1+cu126")


def test_torch_missing_without_gpu_gets_the_cpu_build(check) -> None:
    snap = replace(cpu_machine(), torch=None, packages={"numpy": "2.1.0"}, imports={})
    [f] = check(snap)["torch-missing"]
    assert f.fixes[0].torch_variant == "cpu" and f.fixes[0].index_url.endswith("/whl/cpu")


def test_unknown_target_is_not_torch_missing(check) -> None:
    snap = replace(
        cpu_machine(),
        torch=None,
        packages={},
        imports={},
        problems={"target": Problem("ui.why.python_not_found", {"python": "python"})},
    )
    assert "torch-missing" not in check(snap)
    assert "torch-missing" not in check(replace(snap, problems={}, unknown=("packages",)))


def test_import_segfault(check) -> None:
    snap = with_imports(replace(cpu_machine(), torch=None), ImportResult("torch", ok=False, signal="SIGSEGV"))
    found = check(snap)
    [f] = found["torch-import-crashed"]
    assert f.params["how"] == "SIGSEGV" and f.severity is Severity.ERROR
    assert "torch-missing" not in found and "torch-import-failed" not in found


def test_import_hang(check) -> None:
    snap = with_imports(
        replace(cpu_machine(), torch=None), ImportResult("torch", ok=False, timed_out=True, seconds=60.0)
    )
    assert check(snap)["torch-import-crashed"][0].params["how"] == "timeout"


def test_import_error(check) -> None:
    error = 'OSError: [WinError 126] Error loading "c10.dll" or one of its dependencies.'
    snap = with_imports(
        replace(gpu_machine(os="windows", torch="2.6.0+cu124", torch_cuda="12.4"), torch=None),
        failed("torch", error, "OSError"),
    )
    [f] = check(snap)["torch-import-failed"]
    assert f.evidence["import torch"].endswith(error)
    kinds = [x.kind for x in f.fixes]
    assert kinds == [FixKind.PIP_INSTALL, FixKind.MANUAL]  # reinstall, then the VC++ runtime
    assert f.fixes[0].index_url == "https://download.pytorch.org/whl/cu124"


def test_cpu_torch_on_a_gpu_machine(check) -> None:
    [f] = check(gpu_machine(torch="2.13.0+cpu", torch_cuda=None))["torch-cpu-only"]
    assert f.severity is Severity.ERROR
    [fix] = f.fixes
    assert fix.torch_variant == "cu130" and fix.packages[0] == "torch==2.14.1+cu130"


def test_cpu_torch_without_gpu_is_fine(check) -> None:
    assert "torch-cpu-only" not in check(cpu_machine())


def test_torchvision_from_pypi_next_to_cpu_torch(check) -> None:
    """The e2e case: torch 2.13.0+cpu, torchvision 0.28.0 from PyPI (a cu130 build), nms error."""
    snap = with_imports(
        with_packages(cpu_machine(), torchvision="0.28.0"), failed("torchvision", NMS, "RuntimeError")
    )
    [f] = check(snap)["torchvision-mismatch"]
    assert f.severity is Severity.ERROR
    assert f.evidence["import torchvision"].endswith(NMS)
    assert (f.params["variant"], f.params["torch_variant"]) == ("cu130", "cpu")
    [fix] = f.fixes
    assert fix.packages == ("torchvision==0.28.0",)
    assert fix.index_url == "https://download.pytorch.org/whl/cpu" and fix.torch_variant == "cpu"
    assert set(fix.flags) == {"--force-reinstall", "--no-deps"}


def test_torchvision_version_mismatch(check) -> None:
    snap = with_packages(gpu_machine(), torchvision="0.27.1")
    [f] = check(snap)["torchvision-mismatch"]
    assert f.params["paired_torch"] == "2.12.1" and f.params["expected"] == "0.28.0"
    assert f.fixes[0].index_url == "https://download.pytorch.org/whl/cu130"


def test_torchvision_other_cuda_major(check) -> None:
    snap = with_packages(gpu_machine(torch="2.7.1+cu128", torch_cuda="12.8"), torchvision="0.22.1+cu118")
    [f] = check(snap)["torchvision-mismatch"]
    assert f.severity is Severity.ERROR


def test_torchvision_other_cuda_minor_only_warns(check) -> None:
    snap = with_packages(gpu_machine(torch="2.7.1+cu128", torch_cuda="12.8"), torchvision="0.22.1+cu126")
    [f] = check(snap)["torchvision-mismatch"]
    assert f.severity is Severity.WARNING


def test_matched_pairs_are_fine(check) -> None:
    assert "torchvision-mismatch" not in check(gpu_machine())
    assert "torchvision-mismatch" not in check(cpu_machine())
    # torchvision 0.29.2 admits torch 2.14.0 and later.
    snap = with_packages(gpu_machine(torch="2.14.0", torch_cuda="13.0"), torchvision="0.29.2")
    assert "torchvision-mismatch" not in check(snap)


def test_unverified_pairing_is_not_an_error(check) -> None:
    snap = with_packages(gpu_machine(torch="2.15.0", torch_cuda="13.2"), torchvision="0.29.2")
    assert "torchvision-mismatch" not in check(snap)


def test_old_era_fix_uses_the_find_links_page(check) -> None:
    snap = with_packages(
        gpu_machine(torch="1.10.2+cu111", torch_cuda="11.1", py="3.8.10", arch_list=("sm_37", "sm_86")),
        torchvision="0.10.1+cu111",
    )
    [f] = check(snap)["torchvision-mismatch"]
    [fix] = f.fixes
    assert fix.packages == ("torchvision==0.11.3+cu111",)
    assert fix.index_url is None and "-f" in fix.flags
    assert "https://download.pytorch.org/whl/torch_stable.html" in fix.flags


def test_torchaudio_mismatch(check) -> None:
    snap = with_packages(gpu_machine(torch="2.7.1+cu126", torch_cuda="12.6"), torchaudio="2.6.0+cu126")
    [f] = check(snap)["torchaudio-mismatch"]
    assert f.severity is Severity.ERROR and f.fixes[0].packages == ("torchaudio==2.7.1",)


def test_torchaudio_without_a_paired_release(check) -> None:
    # torchaudio 2.11.0 next to torch 2.13: no torchaudio release pairs with 2.13 (unknown ground: warn).
    snap = with_packages(gpu_machine(), torchaudio="2.11.0")
    [f] = check(snap)["torchaudio-mismatch"]
    assert f.severity is Severity.WARNING
    assert f.fixes[0].kind is FixKind.PIP_UNINSTALL


def test_torchvision_missing(check) -> None:
    snap = with_packages(gpu_machine(), torchvision=None, d2l=None)
    [f] = check(snap)["torchvision-missing"]
    assert f.severity is Severity.INFO  # torch alone works: a torch-only venv is healthy
    [with_d2l] = check(with_packages(snap, d2l="1.0.3"))["torchvision-missing"]
    assert with_d2l.severity is Severity.ERROR  # `from d2l import torch as d2l` imports torchvision
    assert f.fixes[0].packages == ("torchvision==0.28.0",) and f.fixes[0].flags == ()
    assert f.fixes[0].index_url == "https://download.pytorch.org/whl/cu130"


def test_torch_from_conda_keeps_quiet_about_pip_arch_lists(check) -> None:
    from d2l_doctor.models import CondaInfo

    snap = replace(
        with_torch(
            gpu_machine(
                gpu="Tesla K80",
                cc="3.7",
                torch="1.12.1",
                torch_cuda="10.2",
                driver="470.82.01",
                driver_cuda="11.4",
            ),
            arch_list=(),
        ),
        conda=CondaInfo(env_name="d2l", prefix="/c/envs/d2l", platform="linux-64", managed=("pytorch",)),
        python=python("3.9.0"),
    )
    assert "gpu-arch-unsupported" not in check(snap)
