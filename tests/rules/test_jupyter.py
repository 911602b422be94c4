"""Jupyter kernels and the nbconvert/Jinja2 break."""

from __future__ import annotations

from dataclasses import replace

from d2l_doctor.models import CondaInfo, FixKind, JupyterInfo, Severity
from tests.rules.snap import cpu_machine, python, with_imports, with_packages
from tests.support.snapshots import failed, kernelspec

EXE = "/home/u/miniconda3/envs/d2l/bin/python"


def _jupyter(*specs, **pkgs):  # type: ignore[no-untyped-def]
    snap = with_packages(cpu_machine(), **pkgs)
    return replace(
        snap,
        conda=CondaInfo(env_name="d2l", prefix="/home/u/miniconda3/envs/d2l"),
        jupyter=JupyterInfo(kernelspecs=tuple(specs)),
    )


def test_env_not_registered(check) -> None:
    [f] = check(_jupyter(kernelspec("python3", "/usr/bin/python3"), ipykernel="6.29.5"))[
        "jupyter-kernel-missing"
    ]
    assert f.severity is Severity.WARNING
    [fix] = f.fixes
    assert fix.kind is FixKind.KERNEL_INSTALL and fix.name == "d2l" and fix.display_name == "Python (d2l)"


def test_jupyter_without_ipykernel_installs_it_first(check) -> None:
    [f] = check(_jupyter(notebook="7.2.0"))["jupyter-kernel-missing"]
    assert [x.kind for x in f.fixes] == [FixKind.PIP_INSTALL, FixKind.KERNEL_INSTALL]
    assert f.fixes[0].packages == ("ipykernel",)


def test_registered_env(check) -> None:
    assert "jupyter-kernel-missing" not in check(_jupyter(kernelspec("d2l", EXE), ipykernel="6.29.5"))
    # python3.11 in the same bin folder is the same environment
    assert "jupyter-kernel-missing" not in check(
        _jupyter(kernelspec("d2l", EXE + "3.11"), ipykernel="6.29.5")
    )


def test_bare_python_kernel_does_not_count(check) -> None:
    # ipykernel's own kernelspec says "python": whatever Jupyter's PATH finds, not this env.
    assert "jupyter-kernel-missing" in check(_jupyter(kernelspec("python3", "python"), ipykernel="6.29.5"))


def test_windows_paths_compare_case_insensitively(check) -> None:
    exe = "C:\\Users\\u\\miniconda3\\envs\\d2l\\python.exe"
    snap = replace(
        _jupyter(kernelspec("d2l", "c:\\users\\u\\Miniconda3\\envs\\d2l\\python.exe"), ipykernel="6.0"),
        python=python(os="windows", executable=exe),
    )
    assert "jupyter-kernel-missing" not in check(snap)


def test_name_clash_is_avoided(check) -> None:
    snap = _jupyter(kernelspec("d2l", "/other/env/bin/python"), ipykernel="6.29.5")
    [f] = check(snap)["jupyter-kernel-missing"]
    assert f.fixes[-1].name == "d2l-py311"


def test_no_jupyter_no_finding(check) -> None:
    assert "jupyter-kernel-missing" not in check(_jupyter())


def test_stale_kernels(check) -> None:
    found = check(
        _jupyter(
            kernelspec("old", "/gone/bin/python", False),
            kernelspec("ok", EXE, True),
            kernelspec("bare", "python", None),
        )
    )
    [f] = found["jupyter-kernel-stale"]
    assert f.params["name"] == "old"
    assert (f.fixes[0].kind, f.fixes[0].name) == (FixKind.KERNEL_REMOVE, "old")


def test_unknown_jupyter_section(check) -> None:
    snap = replace(_jupyter(kernelspec("old", "/gone", False), ipykernel="6.0"), unknown=("jupyter",))
    found = check(snap)
    assert "jupyter-kernel-stale" not in found and "jupyter-kernel-missing" not in found


def test_nbconvert_jinja2(check) -> None:
    [f] = check(with_packages(cpu_machine(), nbconvert="6.1.0", jinja2="3.1.4"))[
        "nbconvert-jinja2-contextfilter"
    ]
    assert f.severity is Severity.ERROR
    assert (f.fixes[0].kind, f.fixes[0].packages) == (FixKind.PIP_INSTALL, ("nbconvert>=6.2",))
    assert "nbconvert-jinja2-contextfilter" not in check(
        with_packages(cpu_machine(), nbconvert="6.2.0", jinja2="3.1.4")
    )
    assert "nbconvert-jinja2-contextfilter" not in check(
        with_packages(cpu_machine(), nbconvert="5.6.1", jinja2="3.0.3")
    )


def test_nbconvert_from_error_and_conda(check) -> None:
    error = (
        "ImportError: cannot import name 'contextfilter' from 'jinja2' (/c/lib/python3.9/jinja2/__init__.py)"
    )
    snap = replace(
        with_imports(cpu_machine(), failed("nbconvert", error)),
        conda=CondaInfo(env_name=None, prefix="/c", is_base=True, managed=("nbconvert",)),
    )
    [f] = check(snap)["nbconvert-jinja2-contextfilter"]
    assert f.fixes[0].kind is FixKind.CONDA_INSTALL and error in f.evidence["import nbconvert"]


def test_matplotlib_before_3_9_with_ipython_9_16_cannot_plot_in_a_kernel(check) -> None:
    """d2l 1.0.3's pin (matplotlib 3.7.2) beside today's IPython: the first plot in a notebook fails."""
    [f] = check(with_packages(cpu_machine(), matplotlib="3.7.2", ipython="9.19.1"))[
        "matplotlib-ipython-backend2gui"
    ]
    assert f.severity is Severity.ERROR
    [fix] = f.fixes
    assert fix.kind is FixKind.PIP_INSTALL and fix.packages == ("ipython<9.16",)
    assert "matplotlib-ipython-backend2gui" not in check(
        with_packages(cpu_machine(), matplotlib="3.9.0", ipython="9.19.1")
    )
    assert "matplotlib-ipython-backend2gui" not in check(
        with_packages(cpu_machine(), matplotlib="3.7.2", ipython="9.15.0")
    )


def test_the_backend2gui_error_in_a_notebook_cell_points_to_the_finding() -> None:
    from d2l_doctor.notebook.report import cause_of

    error = "ImportError: cannot import name 'backend2gui' from 'IPython.core.pylabtools' (/e/pylabtools.py)"
    kind, finding, _ = cause_of(error)
    assert (kind, finding) == ("message:ipython-backend2gui", "matplotlib-ipython-backend2gui")
