"""Can this Python run the book? The book's first cell (payload/book_cell.py) and the requirements of every
installed distribution, read from their metadata as `pip check` reads them.

A failed step of the cell is an error whatever its cause; when another finding explains it (torchvision not
installed, a requirement missing, torch not importable), the cell's finding names that one, which carries the
fix.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from d2l_doctor.models import (
    Area,
    BookStep,
    Finding,
    FixAction,
    FixKind,
    Severity,
    Snapshot,
    UnmetRequirement,
)
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

_NO_MODULE = re.compile(r"No module named '([A-Za-z0-9_.]+)'")
# Import names whose distribution is spelled otherwise.
_DISTRIBUTION = {"PIL": "pillow", "sklearn": "scikit-learn", "yaml": "pyyaml"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def missing_module(text: Optional[str]) -> Optional[str]:
    """The top-level module an error says is missing ("No module named 'sympy'"), else None."""
    match = _NO_MODULE.search(text or "")
    return match.group(1).split(".")[0] if match else None


def _distribution(module: str) -> str:
    return _DISTRIBUTION.get(module, canonical(module))


def _failed_step(s: Snapshot) -> Optional[BookStep]:
    return next((step for step in s.book if not step.ok and not step.skipped), None)


def _explained_by(s: Snapshot, step: BookStep) -> Optional[str]:
    """The finding that carries the fix for this failure, where one does."""
    module = missing_module(step.error)
    if module is None:
        return None
    dist = _distribution(module)
    if dist == "torch":
        return "torch-missing"
    if dist == "torchvision" and F.package_absent(s, "torchvision"):
        return "torchvision-missing"
    if any(r.name == dist and r.installed is None for r in s.requirements or ()):
        return "requirements-missing"
    return None


@rule("book-cell-failed", Area.D2L)
def book_cell_failed(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """The book's first cell fails in the target: from d2l import torch as d2l, a tensor on d2l.try_gpu(),
    one optimizer step, a figure saved with Agg."""
    step = _failed_step(s)
    if step is None:
        return None
    how = "timeout" if step.timed_out else step.signal or "error"
    error = (step.error or "").strip().splitlines()
    explained = _explained_by(s, step)
    fixes: tuple[FixAction, ...] = ()
    module = missing_module(step.error)
    if explained is None and module is not None:
        fixes = (FixAction(FixKind.PIP_INSTALL, (_distribution(module),), reason=f"{module} is missing"),)
    params = {
        "step": step.name,
        "error": error[-1][:300] if error else None,
        "how": how,
        "see": explained,
    }
    text = " ".join(x for x in (step.error_type, step.error) if x) or step.signal or None
    evidence = {"book step": step.name, "book error": text}
    return F.finding("book-cell-failed", Severity.ERROR, Area.D2L, params, evidence, fixes)


def _stack(m: Matrix) -> tuple[str, ...]:
    return m.d2l.requirements.book_stack


def _install(unmet: list[UnmetRequirement]) -> tuple[str, ...]:
    """One requirement per package, as the requirer wrote it (the first requirer's words)."""
    seen: dict[str, str] = {}
    for r in unmet:
        seen.setdefault(r.name, r.requirement)
    return tuple(seen.values())


@rule("requirements-missing", Area.PYTHON)
def requirements_missing(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """Installed packages need packages that are not installed (torch installed with --no-deps: no sympy)."""
    unmet = [r for r in s.requirements or () if r.installed is None]
    if not unmet:
        return None
    relaxed = m.d2l.requirements.relaxed
    stops_book = any(canonical(r.package) in _stack(m) and canonical(r.package) not in relaxed for r in unmet)
    params = {
        "missing": ", ".join(sorted({r.name for r in unmet})),
        "needed_by": ", ".join(sorted({f"{r.package} {r.version}" for r in unmet})),
    }
    evidence = {"missing requirements": [f"{r.package} {r.version}: {r.requirement}" for r in unmet]}
    fix = FixAction(FixKind.PIP_INSTALL, _install(unmet), reason="what the installed packages require")
    severity = Severity.ERROR if stops_book else Severity.WARNING
    return F.finding("requirements-missing", severity, Area.PYTHON, params, evidence, (fix,))


@rule("requirements-conflict", Area.PYTHON)
def requirements_conflict(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """Installed versions outside what other installed packages require (pip check's "has requirement")."""
    policy = m.d2l.requirements
    unmet = [
        r
        for r in s.requirements or ()
        if r.installed is not None
        and canonical(r.package) not in policy.relaxed
        and r.name not in policy.conflicts_ignored_on
    ]
    if not unmet:
        return None
    params = {"conflicts": ", ".join(f"{r.package} → {r.requirement} ({r.installed})" for r in unmet[:4])}
    evidence = {
        "version conflicts": [f"{r.package} {r.version}: {r.requirement}, {r.installed}" for r in unmet]
    }
    fix = FixAction(FixKind.PIP_INSTALL, _install(unmet), reason="versions the installed packages accept")
    return F.finding("requirements-conflict", Severity.WARNING, Area.PYTHON, params, evidence, (fix,))
