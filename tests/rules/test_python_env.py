"""Python & conda: 32-bit Python, 32-bit conda, Rosetta, a Python no torch supports."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.models import CondaInfo, FixKind, Host, Severity
from tests.rules.snap import cpu_machine, gpu_machine, python


def _bare(snap, **changes):  # type: ignore[no-untyped-def]
    """The same machine with nothing installed in the target."""
    return replace(snap, torch=None, packages={}, imports={}, **changes)


def test_32bit_python_on_windows(check) -> None:
    snap = _bare(
        cpu_machine(),
        host=Host(os="windows", machine="AMD64"),
        python=python("3.8.10", os="windows", bits=32, machine="AMD64"),
    )
    found = check(snap)
    [f] = found["python-32bit"]
    assert f.severity is Severity.ERROR
    assert f.fixes[0].kind is FixKind.MANUAL and f.fixes[0].url == "https://www.python.org/downloads/windows/"
    # No torch to recommend for it: the other torch findings stay quiet.
    assert "torch-missing" not in found and "python-unsupported" not in found


def test_32bit_python_on_linux_only_warns(check) -> None:
    snap = _bare(cpu_machine(), python=python("3.8.10", bits=32, machine="i686"))
    [f] = check(snap)["python-32bit"]
    assert f.severity is Severity.WARNING  # only win32 was checked


def test_win32_conda(check) -> None:
    snap = _bare(
        cpu_machine(),
        host=Host(os="windows", machine="AMD64"),
        conda=CondaInfo(env_name="d2l", prefix="C:\\mc\\envs\\d2l", platform="win-32"),
        python=python("3.9.7", os="windows", bits=32, machine="AMD64"),
    )
    found = check(snap)
    [f] = found["conda-32bit"]
    assert f.severity is Severity.ERROR and f.params["platform"] == "win-32"
    assert f.params["mirror_url"].startswith("https://mirrors.tuna.tsinghua.edu.cn/")
    assert f.fixes[0].url == "https://repo.anaconda.com/miniconda/Miniconda3-latest-Windows-x86_64.exe"
    assert "python-32bit" not in found  # one finding for one mistake


def test_64bit_conda_is_fine(check) -> None:
    snap = replace(gpu_machine(), conda=CondaInfo(env_name="d2l", prefix="/c/envs/d2l", platform="linux-64"))
    found = check(snap)
    assert "conda-32bit" not in found and "python-32bit" not in found


def test_rosetta_python(check) -> None:
    snap = replace(
        cpu_machine(), host=Host(os="darwin", machine="arm64"), python=python("3.11.4", os="darwin")
    )
    [f] = check(snap)["python-x86-on-arm64"]
    assert f.params["last_torch"] == "2.2.2"


def test_python_too_new_for_any_torch(check) -> None:
    found = check(_bare(cpu_machine(), python=python("3.16.0")))
    [f] = found["python-unsupported"]
    assert f.severity is Severity.ERROR
    assert f.params["suggested"] == "3.11"  # newest torch supports 3.10-3.14, d2l 1.0.3 installs on <= 3.11
    assert "torch-missing" not in found


def test_python_3_15_has_an_unverified_torch(check) -> None:
    # torch 2.15.0 (an unverified row) has cp315 wheels: no false alarm.
    assert "python-unsupported" not in check(_bare(cpu_machine(), python=python("3.15.0")))


def test_windows_cp314_needs_torch_2_9(check) -> None:
    snap = _bare(
        cpu_machine(), host=Host(os="windows", machine="AMD64"), python=python("3.14.0", os="windows")
    )
    assert "python-unsupported" not in check(snap)


def test_working_torch_means_supported(check) -> None:
    # An old, unusual Python with a torch that imports: nothing to say about the Python.
    assert "python-unsupported" not in check(replace(cpu_machine(), python=python("3.16.0")))
