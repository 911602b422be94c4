"""Facts a snapshot does not know (a report from another machine lists them in Snapshot.unknown, key by key)
are never read as "absent", "failed" or "32-bit": the rules say nothing, where the live probe's answer would
have made them speak."""

from __future__ import annotations

from dataclasses import replace

import pytest

from d2l_doctor.models import CondaInfo, FixKind, Host, ImportResult, Problem, Snapshot
from d2l_doctor.rules import facts as F
from tests.rules.snap import cpu_machine, gpu_machine, python, with_imports, with_packages
from tests.support.snapshots import failed


def _as_report(snap: Snapshot, *unknown: str) -> Snapshot:
    return replace(snap, source="collect_env", unknown=tuple(unknown))


# ---- the helpers ---------------------------------------------------------------------------------


def test_package_state() -> None:
    snap = cpu_machine()
    assert F.package_state(snap, "torch") == "2.13.0+cpu"
    assert F.package_state(snap, "jupyterlab") is F.ABSENT and F.package_absent(snap, "jupyterlab")
    one_key = _as_report(snap, "packages.jupyterlab")
    assert F.package_state(one_key, "jupyterlab") is F.UNKNOWN and not F.package_absent(one_key, "jupyterlab")
    assert F.package_state(one_key, "matplotlib") is F.ABSENT  # only the listed key is unknown
    no_list = _as_report(snap, "packages")
    assert F.package_state(no_list, "jupyterlab") is F.UNKNOWN
    assert F.package_state(no_list, "torch") == "2.13.0+cpu"  # what is listed is there
    dead = replace(
        snap, packages={}, problems={"target": Problem("ui.why.python_not_found", {"python": "python"})}
    )
    assert F.package_state(dead, "torch") is F.UNKNOWN


def test_import_state() -> None:
    snap = cpu_machine()
    assert isinstance(F.import_state(snap, "torch"), ImportResult)
    assert F.import_state(snap, "nbconvert") is F.ABSENT  # the live probe did not attempt it
    assert F.import_state(_as_report(snap, "imports.nbconvert"), "nbconvert") is F.UNKNOWN
    assert F.import_state(_as_report(replace(snap, imports={}), "imports"), "torch") is F.UNKNOWN
    broken = with_imports(snap, failed("PIL", "ImportError: DLL load failed"))
    assert F.import_failure(broken, "PIL") is not None and F.import_failure(broken, "numpy") is None


@pytest.mark.parametrize(
    ("bits", "unknown", "expected"), [(32, (), 32), (64, (), 64), (0, (), None), (32, ("python.bits",), None)]
)
def test_python_bits(bits: int, unknown: tuple[str, ...], expected: int | None) -> None:
    snap = replace(cpu_machine(), python=python(bits=bits), unknown=unknown)
    assert F.python_bits(snap) == expected


def test_python_machine_and_conda_platform() -> None:
    snap = replace(cpu_machine(), conda=CondaInfo(env_name="d2l", prefix="/c/envs/d2l", platform="win-32"))
    assert F.python_machine(snap) == "x86_64" and F.conda_platform(snap) == "win-32"
    blank = replace(snap, python=python(machine=""), unknown=("conda.platform",))
    assert F.python_machine(blank) is None and F.conda_platform(blank) is None
    assert F.python_machine(replace(snap, unknown=("python.machine",))) is None


# ---- the rules -----------------------------------------------------------------------------------


def test_torchvision_missing_needs_a_known_absence(check) -> None:
    snap = with_packages(gpu_machine(), torchvision=None)
    assert "torchvision-missing" in check(snap)
    assert "torchvision-missing" not in check(_as_report(snap, "packages.torchvision"))
    assert "torchvision-missing" not in check(_as_report(snap, "packages"))


@pytest.mark.parametrize("unknown", ["packages.d2l", "packages"])
def test_d2l_rules_need_a_known_absence(check, unknown: str) -> None:
    # 3.12 + d2l 1.0.3: pins-unsatisfiable when d2l is known to be absent; 3.11: d2l-missing.
    pins = with_packages(gpu_machine(py="3.12.4"), d2l=None)
    missing = with_packages(gpu_machine(), d2l=None)
    assert "d2l-pins-unsatisfiable" in check(pins) and "d2l-missing" in check(missing)
    for snap in (pins, missing):
        found = check(_as_report(snap, unknown))
        assert "d2l-pins-unsatisfiable" not in found and "d2l-missing" not in found


def test_torch_missing_on_reports(check) -> None:
    no_torch = replace(cpu_machine(), torch=None, packages={"numpy": "2.1.0"}, imports={})
    # collect_env says "PyTorch version: N/A" and lists no torch: known absent, though no import is known.
    assert "torch-missing" in check(_as_report(no_torch, "imports"))
    # the report says nothing of torch at all (no version line, no package list): undecided, so silent.
    assert "torch-missing" not in check(_as_report(no_torch, "imports", "torch", "packages"))
    assert "torch-missing" not in check(_as_report(no_torch, "packages.torch"))


def test_bitness_unknown_is_not_32bit(check) -> None:
    win = replace(cpu_machine(), host=Host(os="windows", machine="x86"))
    bits32 = replace(win, python=python(os="windows", bits=32, machine="x86"), torch=None, packages={})
    assert "python-32bit" in check(bits32)
    for snap in (
        replace(bits32, python=python(os="windows", bits=0, machine="x86")),
        _as_report(bits32, "python.bits"),
    ):
        found = check(snap)
        assert "python-32bit" not in found and "python-unsupported" not in found


def test_conda_platform_unknown_is_not_32bit(check) -> None:
    conda = CondaInfo(env_name="base", prefix="C:\\miniconda3", is_base=True, platform="win-32")
    snap = replace(cpu_machine(), conda=conda)
    assert "conda-32bit" in check(snap)
    assert "conda-32bit" not in check(_as_report(snap, "conda.platform"))


def test_rosetta_needs_a_known_machine(check) -> None:
    mac = replace(
        cpu_machine(),
        host=Host(os="darwin", machine="arm64"),
        python=python(os="darwin", machine="x86_64"),
    )
    assert "python-x86-on-arm64" in check(mac)
    assert "python-x86-on-arm64" not in check(_as_report(mac, "python.machine"))


def test_pillow_fix_when_its_presence_is_unknown(check) -> None:
    snap = with_imports(
        with_packages(gpu_machine(), pillow=None),
        failed("torchvision", "ImportError: DLL load failed while importing _imaging"),
    )
    [absent] = check(snap)["pillow-broken"]
    assert [a.kind for a in absent.fixes] == [FixKind.PIP_INSTALL] and absent.params["pillow"] is None
    [unknown] = check(_as_report(snap, "packages.pillow"))["pillow-broken"]
    [fix] = unknown.fixes
    assert fix.kind is FixKind.PIP_INSTALL and "--force-reinstall" in fix.flags
    assert unknown.params["pillow"] is None and unknown.evidence["pillow"] is None
