"""Past the matrix's horizon: newer torch, torchvision, driver or GPU than the matrix knows are said so, and the
torch stack's pairing comes from what the installed packages declare in their metadata."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.models import Snapshot
from tests.rules.snap import cpu_machine, gpu_machine, with_packages


def _newer(snap: Snapshot, torch: str, **declared: tuple[str, ...]) -> Snapshot:
    """torch `torch` (newer than the matrix), with the companions' Requires-Dist lines."""
    snap = with_packages(snap, torch=torch)
    snap = replace(snap, torch=replace(snap.torch, version=torch), requires=dict(declared))  # type: ignore[arg-type]
    return snap


def test_a_torch_newer_than_the_matrix_pairs_by_metadata(check, matrix) -> None:
    snap = with_packages(cpu_machine(), torchvision="0.31.0")
    snap = _newer(snap, "2.16.0", torchvision=("numpy", "torch==2.16.0", "pillow!=8.3.*,>=5.3.0"))
    found = check(snap)
    assert "torchvision-mismatch" not in found
    [behind] = found["matrix-behind"]
    assert behind.params["reviewed"] == matrix.reviewed
    assert behind.params["newest_torch"] == matrix.newest_known_torch() == "2.15.0"
    assert behind.params["torch_new"] == "2.16.0" and behind.params["torchvision_new"] == "0.31.0"
    assert behind.evidence["from metadata"] == ["torchvision: torch==2.16.0"]


def test_metadata_names_the_torch_a_newer_torchvision_was_built_for(check) -> None:
    snap = with_packages(cpu_machine(), torchvision="0.32.0")
    snap = _newer(snap, "2.16.0", torchvision=("torch==2.17.0",))
    [f] = check(snap)["torchvision-mismatch"]
    assert f.severity.value == "error"  # the package itself declares another torch
    assert f.params["paired_torch"] == "2.17.0"
    assert f.evidence["torchvision built for torch"] == "2.17.0"
    assert f.evidence["torchvision declares"] == "torch==2.17.0"


def test_a_local_pin_speaks_of_its_release(check) -> None:
    # torchvision 0.11.0's wheels on PyPI pin torch==1.10.0+cu102: the release is 1.10.0.
    snap = gpu_machine(torch="1.10.0+cu102", torch_cuda="10.2", py="3.8.10", arch_list=("sm_37", "sm_70"))
    snap = replace(
        with_packages(snap, torchvision="0.11.0+cu102"), requires={"torchvision": ("torch==1.10.0+cu102",)}
    )
    assert "torchvision-mismatch" not in check(snap)


def test_without_metadata_the_matrix_decides_as_before(check) -> None:
    snap = with_packages(gpu_machine(torch="2.13.0", torch_cuda="13.0"), torchvision="0.27.0")
    assert "torchvision-mismatch" in check(snap)
    assert "matrix-behind" not in check(gpu_machine())


def test_a_driver_and_a_gpu_newer_than_the_matrix(check) -> None:
    snap = gpu_machine(driver="620.10", driver_cuda="13.6", cc="13.0")
    [behind] = check(snap)["matrix-behind"]
    assert behind.area.value == "gpu"
    assert behind.params["driver_new"] == "620.10" and behind.params["driver_cuda_new"] == "13.6"
    assert behind.params["gpu_cc_new"] == "13.0"
    assert behind.params["torch_new"] is None
