"""Pillow, NumPy 2, and other failing imports."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.models import CondaInfo, FixKind, ImportResult, Severity
from tests.rules.snap import cpu_machine, gpu_machine, with_imports, with_packages
from tests.support.snapshots import failed

IMAGING = "cannot import name '_imaging' from 'PIL' (/venv/lib/python3.11/site-packages/PIL/__init__.py)"


def test_damaged_pillow(check) -> None:
    found = check(with_imports(cpu_machine(), failed("PIL", IMAGING)))
    [f] = found["pillow-broken"]
    assert f.severity is Severity.ERROR and IMAGING in f.evidence["import PIL"]
    uninstall, install = f.fixes
    assert (uninstall.kind, uninstall.packages) == (FixKind.PIP_UNINSTALL, ("pillow",))
    assert (install.kind, install.packages) == (FixKind.PIP_INSTALL, ("pillow",))
    assert "import-failed" not in found


def test_seed_case_torchvision_dll_load_failed_in_pil(check) -> None:
    error = "ImportError: DLL load failed while importing _imaging: The specified module could not be found."
    snap = with_imports(cpu_machine(), failed("torchvision", error))
    [f] = check(snap)["pillow-broken"]
    assert "import torchvision" in f.evidence


def test_pillow_in_conda_is_reinstalled_by_conda(check) -> None:
    snap = replace(
        with_imports(cpu_machine(), failed("PIL", IMAGING)),
        conda=CondaInfo(env_name="d2l", prefix="/c/envs/d2l", managed=("pillow",)),
    )
    [f] = check(snap)["pillow-broken"]
    assert [x.kind for x in f.fixes] == [FixKind.CONDA_INSTALL]


def test_healthy_pillow(check) -> None:
    assert "pillow-broken" not in check(cpu_machine())


def test_pillow_version_for_old_torchvision(check) -> None:
    snap = with_packages(cpu_machine(), torchvision="0.4.2", pillow="7.0.0", torch="1.3.1")
    [f] = check(snap)["torchvision-pillow-version"]
    assert f.fixes[0].packages == ("pillow<7",)
    text = "ImportError: cannot import name 'PILLOW_VERSION' from 'PIL'"
    found = check(with_imports(cpu_machine(), failed("torchvision", text)))
    assert "torchvision-pillow-version" in found and "pillow-broken" not in found


def test_numpy2_with_torch_2_2(check) -> None:
    snap = with_packages(gpu_machine(torch="2.2.2", torch_cuda="12.1", arch_list=("sm_86",)), numpy="2.0.1")
    [f] = check(snap)["numpy-abi-mismatch"]
    assert f.severity is Severity.ERROR and f.fixes[0].packages == ("numpy<2",)


def test_numpy2_per_os(check) -> None:
    linux = with_packages(gpu_machine(torch="2.3.1", torch_cuda="12.1", arch_list=("sm_86",)), numpy="2.0.1")
    assert "numpy-abi-mismatch" not in check(linux)
    windows = with_packages(
        gpu_machine(
            os="windows",
            torch="2.4.0+cu121",
            torch_cuda="12.1",
            arch_list=("sm_86",),
            driver="551.61",
            driver_cuda="12.4",
        ),
        numpy="2.0.1",
    )
    assert "numpy-abi-mismatch" in check(windows)
    fixed = with_packages(
        gpu_machine(
            os="windows",
            torch="2.4.1+cu121",
            torch_cuda="12.1",
            arch_list=("sm_86",),
            driver="551.61",
            driver_cuda="12.4",
        ),
        numpy="2.0.1",
    )
    assert "numpy-abi-mismatch" not in check(fixed)


def test_numpy1_with_old_torch_is_fine(check) -> None:
    snap = with_packages(gpu_machine(torch="2.2.2", torch_cuda="12.1", arch_list=("sm_86",)), numpy="1.26.4")
    assert "numpy-abi-mismatch" not in check(snap)


def test_numpy_abi_from_the_error_text(check) -> None:
    error = "AttributeError: _ARRAY_API not found"
    snap = with_imports(replace(cpu_machine(), torch=None), failed("torch", error, "AttributeError"))
    found = check(snap)
    assert "numpy-abi-mismatch" in found and "torch-import-failed" not in found


def test_unexplained_import_failure(check) -> None:
    snap = with_imports(cpu_machine(), ImportResult("numpy", ok=False, signal="SIGILL"))
    [f] = check(snap)["import-failed"]
    assert f.params["module"] == "numpy" and f.params["how"] == "SIGILL"
    assert f.fixes[0].packages == ("numpy==2.1.0",)


def test_numpy2_with_old_torch_on_an_unknown_os(check) -> None:
    # A report that names no OS: torch <= 2.2 breaks with NumPy 2 on every OS, 2.3 only on Windows.
    for torch, broken in (("2.2.2", True), ("2.3.1", False)):
        machine = gpu_machine(torch=torch, torch_cuda="12.1", arch_list=("sm_86",))
        snap = with_packages(replace(machine, host=None, python=None), numpy="2.0.1")
        assert ("numpy-abi-mismatch" in check(snap)) is broken, torch


def test_torchvision_dll_failure_without_pil_is_reported(check) -> None:
    error = "DLL load failed while importing _C: The specified module could not be found."
    found = check(
        with_imports(
            gpu_machine(
                os="windows",
                driver="551.61",
                driver_cuda="12.4",
                torch="2.6.0+cu124",
                torch_cuda="12.4",
                arch_list=("sm_86",),
            ),
            failed("torchvision", error),
        )
    )
    [f] = found["import-failed"]
    assert (
        f.params["module"] == "torchvision"
        and f.fixes[0].index_url == "https://download.pytorch.org/whl/cu124"
    )
    assert "pillow-broken" not in found


def test_pillow_not_installed_is_not_broken(check) -> None:
    absent = ImportResult(
        "PIL",
        ok=False,
        error_type="ModuleNotFoundError",
        error="No module named 'PIL'",
        skipped="not installed",
    )
    snap = with_imports(with_packages(cpu_machine(), pillow=None, torchvision=None), absent)
    assert "pillow-broken" not in check(snap)
    # ...unless torchvision needs it
    snap = with_imports(
        with_packages(cpu_machine(), pillow=None),
        absent,
        failed("torchvision", "No module named 'PIL'", "ModuleNotFoundError"),
    )
    [f] = check(snap)["pillow-broken"]
    assert [x.kind for x in f.fixes] == [FixKind.PIP_INSTALL]
