"""d2l: pins without wheels for this Python, and the install that works."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.models import FixKind, Host, Severity
from tests.rules.snap import cpu_machine, python, with_packages


def _without_d2l(version: str, os: str = "linux"):  # type: ignore[no-untyped-def]
    snap = with_packages(cpu_machine(), d2l=None)
    host = Host(os=os, machine="AMD64" if os == "windows" else ("arm64" if os == "darwin" else "x86_64"))
    machine = host.machine or "x86_64"
    return replace(snap, host=host, python=python(version, os=os, machine=machine))


def test_d2l_1_0_3_on_python_3_12(check) -> None:
    found = check(_without_d2l("3.12.4"))
    [f] = found["d2l-pins-unsatisfiable"]
    assert f.severity is Severity.ERROR
    assert f.params["d2l"] == "1.0.3" and f.params["works_on"] == "3.8-3.11"
    assert "numpy==1.23.5" in f.params["pins"]
    deps, d2l = f.fixes
    assert deps.kind is FixKind.PIP_INSTALL and "numpy" in deps.packages
    assert d2l.packages == ("d2l==1.0.3",) and d2l.flags == ("--no-deps",)
    assert "d2l-missing" not in found


def test_python_newer_than_the_table_only_warns(check) -> None:
    [f] = check(_without_d2l("3.14.0"))["d2l-pins-unsatisfiable"]
    assert f.severity is Severity.WARNING


def test_d2l_installs_on_3_11(check) -> None:
    found = check(_without_d2l("3.11.9"))
    assert "d2l-pins-unsatisfiable" not in found
    [f] = found["d2l-missing"]
    assert f.severity is Severity.INFO and f.fixes[0].packages == ("d2l==1.0.3",)


def test_python_3_7_gets_0_17_6(check) -> None:
    [f] = check(_without_d2l("3.7.16"))["d2l-missing"]
    assert f.params["d2l"] == "0.17.6"


def test_macos_arm64(check) -> None:
    assert "d2l-pins-unsatisfiable" not in check(_without_d2l("3.11.4", os="darwin"))


def test_installed_d2l_is_left_alone(check) -> None:
    snap = replace(cpu_machine(), python=python("3.12.4"))
    found = check(snap)
    assert "d2l-pins-unsatisfiable" not in found and "d2l-missing" not in found


def test_unknown_packages_say_nothing(check) -> None:
    snap = replace(_without_d2l("3.12.4"), unknown=("packages",))
    found = check(snap)
    assert "d2l-pins-unsatisfiable" not in found and "d2l-missing" not in found
