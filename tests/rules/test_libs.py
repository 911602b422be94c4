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


# ---- what an import printed (ImportResult.warnings) ----------------------------------------------------------
ARRAY_API = (
    "UserWarning: Failed to initialize NumPy: _ARRAY_API not found (Triggered internally at numpy.cpp:84.)"
)
NUMPY_SAYS = (
    "A module that was compiled using NumPy 1.x cannot be run in NumPy 2.0.0 as it may crash. To support both "
    "1.x and 2.x versions of NumPy, modules must be compiled with NumPy 2.0."
)
IMAGE_EXT = (
    "UserWarning: Failed to load image Python extension: 'libc10.so: cannot open shared object file: No such "
    "file or directory'If you don't plan on using image functionality from `torchvision.io`, you can ignore this "
    "warning."
)


def warned(module: str, *warnings: str) -> ImportResult:
    return ImportResult(module, ok=True, seconds=0.5, warnings=warnings)


def test_numpy_abi_from_the_import_warning_of_a_torch_the_table_does_not_know(check) -> None:
    # A source build: the table says PyPI's 2.5 wheels are NumPy-2-ready; only what `import torch` printed tells
    # that this one was compiled against NumPy 1.
    machine = with_packages(cpu_machine(), numpy="2.0.1", torch="2.5.0a0+git1234")
    snap = with_imports(replace(machine, torch=None), warned("torch", NUMPY_SAYS, ARRAY_API))
    [f] = check(snap)["numpy-abi-mismatch"]
    assert f.severity is Severity.ERROR
    assert f.evidence["import torch"] == NUMPY_SAYS  # the first line that shows it, as printed
    assert f.fixes[0].packages == ("numpy<2",)


def test_numpy_abi_needs_the_warning_or_the_table(check) -> None:
    # The same build without the warning: nothing says it breaks, so nothing is claimed.
    machine = with_packages(cpu_machine(), numpy="2.0.1", torch="2.5.0a0+git1234")
    quiet = with_imports(replace(machine, torch=None), warned("torch", "UserWarning: something unrelated"))
    assert "numpy-abi-mismatch" not in check(quiet)
    # The warning alone, with the NumPy version not known (a cut-off report), still settles it.
    report = with_imports(with_packages(cpu_machine(), numpy=None), warned("torch", ARRAY_API))
    [f] = check(report)["numpy-abi-mismatch"]
    assert f.params["numpy"] is None and f.evidence["import torch"] == ARRAY_API


def test_torchvision_image_extension_is_a_warning_with_the_matching_torchvision(check) -> None:
    snap = with_imports(cpu_machine(), warned("torchvision", IMAGE_EXT))
    found = check(snap)
    [f] = found["torchvision-image-extension"]
    assert f.severity is Severity.WARNING
    assert f.params["error"] == "libc10.so: cannot open shared object file: No such file or directory"
    assert f.evidence["import torchvision"] == IMAGE_EXT
    [fix] = f.fixes
    assert (
        fix.packages == ("torchvision==0.28.0",) and fix.index_url == "https://download.pytorch.org/whl/cpu"
    )
    assert not ({"pillow-broken", "torchvision-mismatch", "import-failed"} & set(found))


def test_torchvision_image_extension_under_a_mismatch_is_the_mismatchs_evidence(check) -> None:
    snap = with_imports(
        with_packages(cpu_machine(), torchvision="0.17.2+cpu"), warned("torchvision", IMAGE_EXT)
    )
    found = check(snap)
    [f] = found["torchvision-mismatch"]
    assert f.evidence["import torchvision"] == IMAGE_EXT
    assert "torchvision-image-extension" not in found
