"""Jupyter: the target env is not a kernel Jupyter can start, kernelspecs whose interpreter is gone, and the
nbconvert < 6.2 + Jinja2 >= 3.1 break (`cannot import name 'contextfilter' from 'jinja2'`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, FixAction, FixKind, Kernelspec, Severity, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

_JUPYTER = ("jupyter", "notebook", "jupyterlab", "ipykernel")


def kernel_name(s: Snapshot) -> str:
    """A kernel name for the target: the conda env's name, else the venv's folder name, else python3."""
    raw = ""
    if s.conda is not None and s.conda.env_name and not s.conda.is_base:
        raw = s.conda.env_name
    elif s.python is not None and s.python.is_venv and s.python.prefix:
        raw = re.split(r"[\\/]", s.python.prefix.rstrip("\\/"))[-1]
        if (
            raw.lower() in (".venv", "venv", "env")
            and len(re.split(r"[\\/]", s.python.prefix.rstrip("\\/"))) > 1
        ):
            raw = re.split(r"[\\/]", s.python.prefix.rstrip("\\/"))[-2] + "-" + raw.lstrip(".")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-.").lower()
    return name or "python3"


# What a Jupyter installed in the target itself brings: a kernelspec in the env's share/jupyter is seen by it.
_FRONTENDS = ("jupyter", "notebook", "jupyterlab", "jupyter-server", "nbclassic")


def starts_target(k: Kernelspec, s: Snapshot) -> bool:
    """Whether kernel k starts the target interpreter for a Jupyter that can see it."""
    assert s.python is not None
    exe = s.python.executable
    if exe is None or not F.same_interpreter(k.python or k.argv0, exe, s.python.prefix):
        return False
    # A kernelspec in the env's own share/jupyter is seen only by a Jupyter running from that env.
    own = (
        any(F.same_interpreter(p, exe, s.python.prefix) for p in s.jupyter.frontends)
        if s.jupyter
        else False
    )
    return k.scope != "env" or own or any(p in s.packages for p in _FRONTENDS)


def _other_jupyter(s: Snapshot) -> Optional[str]:
    """The Python of a Jupyter that runs from another environment (base, the system), if one was found."""
    assert s.python is not None and s.jupyter is not None
    exe = s.python.executable
    if exe is None:
        return None
    return next((p for p in s.jupyter.frontends if not F.same_interpreter(p, exe, s.python.prefix)), None)


@rule("jupyter-kernel-missing", Area.JUPYTER)
def kernel_missing(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """Jupyter or ipykernel is in the target (or torch is, and a Jupyter runs from elsewhere), but no
    kernelspec starts the target interpreter: a Jupyter started from another env (base) will not list it."""
    if not F.target_known(s) or s.jupyter is None or not s.known("jupyter") or s.python is None:
        return None
    present = [p for p in _JUPYTER if p in s.packages]
    elsewhere = _other_jupyter(s)
    if not present and not (elsewhere and ("torch" in s.packages or "d2l" in s.packages)):
        return None
    exe = s.python.executable
    if exe is None:
        return None
    if any(starts_target(k, s) for k in s.jupyter.kernelspecs):
        return None
    name = kernel_name(s)
    if any(
        k.name == name for k in s.jupyter.kernelspecs
    ):  # never overwrite a kernel that starts another Python
        name = f"{name}-py{(F.python_mm(s) or '3').replace('.', '')}"
    display = f"Python ({name})"
    fixes: list[FixAction] = []
    if "ipykernel" not in s.packages:
        kind = FixKind.CONDA_INSTALL if s.conda is not None and s.conda.managed else FixKind.PIP_INSTALL
        fixes.append(FixAction(kind, ("ipykernel",), reason="needed to register the kernel"))
    fixes.append(FixAction(FixKind.KERNEL_INSTALL, name=name, display_name=display))
    conda_env = s.conda is not None and not s.conda.is_base
    params = {
        "python": exe,
        "name": name,
        "display_name": display,
        "installed": ", ".join(present),
        "jupyter": elsewhere,
        "conda_alt": "nb_conda_kernels" if conda_env else None,
    }
    evidence = {
        "installed": present,
        "kernelspecs": [
            f"{k.name}: {k.python or k.argv0}" if (k.python or k.argv0) else k.name
            for k in s.jupyter.kernelspecs
        ],
        "target": exe,
    }
    if elsewhere:
        evidence["jupyter runs from"] = elsewhere
    return F.finding("jupyter-kernel-missing", Severity.WARNING, Area.JUPYTER, params, evidence, tuple(fixes))


@rule("jupyter-kernel-no-torch", Area.JUPYTER)
def kernel_no_torch(s: Snapshot, m: Matrix) -> list[Finding]:
    """A kernel whose interpreter has no torch: the book's first line fails in it. A warning when the
    kernel looks meant for d2l (its name says d2l, or it is named like the target), else a note."""
    if s.jupyter is None or not s.known("jupyter"):
        return []
    target_name = kernel_name(s) if s.python is not None else None
    out = []
    for k in s.jupyter.kernelspecs:
        if k.python_version is None or "torch" in k.packages or not k.interpreter_exists:
            continue
        meant = "d2l" in f"{k.name} {k.display_name}".lower() or k.name == target_name
        params = {"name": k.name, "display_name": k.display_name, "python": k.python}
        evidence = {"kernelspec": k.resource_dir, "kernel python": k.python, "torch": "not installed"}
        severity = Severity.WARNING if meant else Severity.INFO
        out.append(F.finding("jupyter-kernel-no-torch", severity, Area.JUPYTER, params, evidence))
    return out


@rule("jupyter-kernel-stale", Area.JUPYTER)
def kernel_stale(s: Snapshot, m: Matrix) -> list[Finding]:
    """A kernelspec whose interpreter no longer exists (a deleted env): Jupyter lists it, and it never
    starts."""
    if s.jupyter is None or not s.known("jupyter"):
        return []
    out = []
    for spec in s.jupyter.kernelspecs:
        if spec.interpreter_exists is not False:
            continue
        params = {
            "name": spec.name,
            "display_name": spec.display_name,
            "argv0": spec.argv0,
            "resource_dir": spec.resource_dir,
        }
        out.append(
            F.finding(
                "jupyter-kernel-stale",
                Severity.WARNING,
                Area.JUPYTER,
                params,
                {"kernelspec": spec.resource_dir, "argv[0]": spec.argv0, "exists": False},
                (FixAction(FixKind.KERNEL_REMOVE, name=spec.name),),
            )
        )
    return out


@rule("nbconvert-jinja2-contextfilter", Area.JUPYTER)
def nbconvert_jinja2(s: Snapshot, m: Matrix) -> Optional[Finding]:
    breakage = m.breakage("nbconvert_jinja2")
    nbconvert, jinja2 = s.packages.get("nbconvert"), s.packages.get("jinja2")
    text = F.error_text(F.import_failure(s, "nbconvert"))
    marker = F.matches(text, F.words(m, "nbconvert-jinja2-contextfilter"))
    fixed = breakage.bounds["nbconvert_fixed"]
    by_version = (
        V.parse(nbconvert) is not None
        and V.parse(jinja2) is not None
        and V.sort_key(nbconvert) < V.sort_key(fixed)
        and V.sort_key(jinja2) >= V.sort_key(breakage.bounds["jinja2_from"])
    )
    if not (marker or by_version):
        return None
    requirement = f"nbconvert>={V.short(fixed)}"
    if F.conda_managed(s, "nbconvert"):
        fix = FixAction(FixKind.CONDA_INSTALL, (requirement,), reason="the seeds' `conda update nbconvert`")
    else:
        fix = FixAction(FixKind.PIP_INSTALL, (requirement,), reason="nbconvert that works with Jinja2 3.1")
    params = {
        "nbconvert": nbconvert,
        "jinja2": jinja2,
        "fixed": V.short(fixed),
        "jinja2_from": V.short(breakage.bounds["jinja2_from"]),
    }
    evidence: dict[str, object] = {"nbconvert": nbconvert, "jinja2": jinja2}
    if marker:
        evidence["import nbconvert"] = text
    return F.finding("nbconvert-jinja2-contextfilter", Severity.ERROR, Area.JUPYTER, params, evidence, (fix,))


def ipython_before(m: Matrix) -> str:
    """The IPython that matplotlib before 3.9 still plots with in a kernel: 'ipython<9.16'."""
    return f"ipython<{V.short(m.breakage('matplotlib_ipython').bounds['ipython_from'])}"


def matplotlib_needs_old_ipython(m: Matrix, matplotlib: Optional[str]) -> bool:
    """This matplotlib imports what IPython removed (the matrix's matplotlib_ipython breakage)."""
    fixed = m.breakage("matplotlib_ipython").bounds["matplotlib_fixed"]
    return V.parse(matplotlib) is not None and V.sort_key(matplotlib) < V.sort_key(fixed)


@rule("matplotlib-ipython-backend2gui", Area.JUPYTER)
def matplotlib_ipython(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """matplotlib < 3.9 beside IPython >= 9.16: pyplot imports fine in a terminal and fails in every kernel (the
    book's first plot). The way out keeps d2l's matplotlib pin: an IPython from before the removal."""
    breakage = m.breakage("matplotlib_ipython")
    matplotlib, ipython = s.packages.get("matplotlib"), s.packages.get("ipython")
    fixed, removed = breakage.bounds["matplotlib_fixed"], breakage.bounds["ipython_from"]
    if not matplotlib_needs_old_ipython(m, matplotlib) or V.parse(ipython) is None:
        return None
    if V.sort_key(ipython) < V.sort_key(removed):
        return None
    reason = "an IPython that matplotlib before 3.9 works with"
    fix = FixAction(FixKind.PIP_INSTALL, (ipython_before(m),), reason=reason)
    params = {"matplotlib": matplotlib, "ipython": ipython, "fixed": V.short(fixed), "removed": V.short(removed)}
    evidence = {"matplotlib": matplotlib, "ipython": ipython}
    return F.finding("matplotlib-ipython-backend2gui", Severity.ERROR, Area.JUPYTER, params, evidence, (fix,))
