"""GPUs older than every torch build the matrix knows (a GeForce 210, compute capability 1.2): the arch rule
decides without the installed torch's own list, recommends no torch, and the other rules stop asking for a
CUDA build; conda builds are checked against the conda channel's lists; drivers older than CUDA 7.0."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.i18n import t
from d2l_doctor.matrix import Matrix
from d2l_doctor.models import CondaInfo, FixKind, Severity
from d2l_doctor.rules import recommend_torch
from tests.rules.snap import gpu_machine, with_packages

CU130 = ("sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120")


def _geforce_210(**changes):  # type: ignore[no-untyped-def]
    """The real report's machine: Windows 7, driver 342.01, pip torch 1.2.0 built with CUDA 10.0."""
    base = dict(
        os="windows",
        gpu="GeForce 210",
        cc=None,  # a report names the card only
        driver="342.01",
        driver_cuda=None,
        torch="1.2.0",
        torch_cuda="10.0",
        arch_list=(),
        py="3.7.4",
    )
    base.update(changes)
    return gpu_machine(**base)


def test_older_than_any_build_without_the_torch_list(check, matrix: Matrix) -> None:
    snap = _geforce_210()
    assert matrix.arch_list("1.2.0", "cu100") is None  # the release's own list is not known
    found = check(snap)
    [f] = found["gpu-arch-unsupported"]
    assert f.severity is Severity.ERROR
    assert f.params["cc"] == "1.2" and f.params["arch"] == "Tesla" and f.params["oldest"] == "2.0"
    assert f.params["archs"] is None and f.evidence["arch list"] is None
    assert f.evidence["cc from"] == "matrix" and "moi90" in f.evidence["from"]
    [fix] = f.fixes  # no torch to install: the CPU build or a newer GPU
    assert fix.kind is FixKind.MANUAL and fix.message == "finding.manual.gpu-too-old"
    for lang in ("en", "zh"):
        detail = t("finding.gpu-arch-unsupported.detail", lang, **f.params)
        assert "1.2" in detail and "2.0" in detail and "{" not in detail
        assert "CPU" in t(fix.message or "", lang)


def test_older_than_any_build_wins_over_a_known_list(check) -> None:
    # Even where torch's own list is known, the verdict is "no torch at all", not "another build".
    snap = gpu_machine(gpu="GeForce GT 240", cc="1.2", torch="2.13.0", torch_cuda="13.0", arch_list=CU130)
    [f] = check(snap)["gpu-arch-unsupported"]
    assert f.params["archs"] == " ".join(CU130) and f.evidence["arch list"] == list(CU130)
    assert [a.kind for a in f.fixes] == [FixKind.MANUAL]


def test_fermi_had_a_build_so_another_torch_is_the_question(check) -> None:
    # cc 2.1 is above the floor (sm_20 in conda's torch 1.0.0 cuda 8.0): the ordinary verdict on this list.
    snap = gpu_machine(gpu="GeForce GTX 560 Ti", cc="2.1", torch="2.13.0", torch_cuda="13.0", arch_list=CU130)
    [f] = check(snap)["gpu-arch-unsupported"]
    assert f.params["arch"] == "Fermi"
    assert "oldest compute capability in any known torch build" not in f.evidence
    assert all(a.message != "finding.manual.gpu-too-old" for a in f.fixes)


def test_the_geforce_210_driver_is_older_than_cuda_7(check) -> None:
    found = check(_geforce_210())
    [f] = found["driver-too-old"]
    assert f.params["needed"] == "411.31" and f.params["torch_cuda"] == "10.0"


def test_cpu_torch_is_right_for_a_gpu_no_torch_supports(check, matrix: Matrix) -> None:
    cpu = _geforce_210(torch="1.2.0+cpu", torch_cuda=None)
    assert "torch-cpu-only" not in check(cpu)
    # the same CPU torch on a GPU that CUDA torch does run on is the usual error
    assert "torch-cpu-only" in check(gpu_machine(torch="2.13.0+cpu", torch_cuda=None))
    no_torch = replace(with_packages(_geforce_210(), torch=None, torchvision=None), torch=None, imports={})
    rec = recommend_torch(no_torch, matrix)
    assert rec is not None and rec.variant == "cpu"
    assert recommend_torch(no_torch, matrix, want_cuda=True) is None


def test_conda_torch_is_checked_against_the_conda_lists(check) -> None:
    conda = CondaInfo(env_name="d2l", prefix="/home/u/miniconda3/envs/d2l", managed=("pytorch",))
    # conda's pytorch 1.4.0 cuda 10.1 carries sm_35 ... sm_75 (measured), no pip list for 1.4 is known.
    pascal = gpu_machine(gpu="GeForce GTX 1080 Ti", cc="6.1", torch="1.4.0", torch_cuda="10.1", arch_list=())
    assert "gpu-arch-unsupported" not in check(replace(pascal, conda=conda))
    kepler = gpu_machine(gpu="GeForce GTX 680", cc="3.0", torch="1.4.0", torch_cuda="10.1", arch_list=())
    [f] = check(replace(kepler, conda=conda))["gpu-arch-unsupported"]
    assert f.evidence["arch list from"].startswith("moi90") and "sm_35" in f.evidence["arch list"]
    assert "gpu-arch-unsupported" not in check(kepler)  # a pip torch 1.4: no list, nothing to say
