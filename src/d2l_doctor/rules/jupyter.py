"""Jupyter: the target env is not a kernel Jupyter can start, kernelspecs whose interpreter is gone, and the
nbconvert < 6.2 + Jinja2 >= 3.1 break (`cannot import name 'contextfilter' from 'jinja2'`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, FixAction, FixKind, Severity, Snapshot
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


@rule("jupyter-kernel-missing", Area.JUPYTER)
def kernel_missing(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """Jupyter or ipykernel is in the target, but no kernelspec starts the target interpreter: a Jupyter
    started from another env (base) will not list it."""
    if not F.target_known(s) or s.jupyter is None or not s.known("jupyter") or s.python is None:
        return None
    present = [p for p in _JUPYTER if p in s.packages]
    if not present:
        return None
    exe, prefix = s.python.executable, s.python.prefix
    if exe is None:
        return None
    if any(F.same_interpreter(k.argv0, exe, prefix) for k in s.jupyter.kernelspecs):
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
    params = {
        "python": exe,
        "name": name,
        "display_name": display,
        "installed": ", ".join(present),
    }
    evidence = {
        "installed": present,
        "kernelspecs": [f"{k.name}: {k.argv0}" if k.argv0 else k.name for k in s.jupyter.kernelspecs],
        "target": exe,
    }
    return F.finding("jupyter-kernel-missing", Severity.WARNING, Area.JUPYTER, params, evidence, tuple(fixes))


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
    requirement = f"nbconvert>={_short(fixed)}"
    if F.conda_managed(s, "nbconvert"):
        fix = FixAction(FixKind.CONDA_INSTALL, (requirement,), reason="the seeds' `conda update nbconvert`")
    else:
        fix = FixAction(FixKind.PIP_INSTALL, (requirement,), reason="nbconvert that works with Jinja2 3.1")
    params = {
        "nbconvert": nbconvert,
        "jinja2": jinja2,
        "fixed": _short(fixed),
        "jinja2_from": _short(breakage.bounds["jinja2_from"]),
    }
    evidence: dict[str, object] = {"nbconvert": nbconvert, "jinja2": jinja2}
    if marker:
        evidence["import nbconvert"] = text
    return F.finding("nbconvert-jinja2-contextfilter", Severity.ERROR, Area.JUPYTER, params, evidence, (fix,))


def _short(version: str) -> str:
    """'6.2.0' -> '6.2' (how people write the bound)."""
    parts = version.split(".")
    while len(parts) > 2 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)
