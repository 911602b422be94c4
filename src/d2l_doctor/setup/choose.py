"""Which Python and which torch build a new d2l environment gets. Pure: facts and the matrix in, a choice out.

The Python must let the chosen d2l release install from wheels (its exact pins: d2l 1.0.3 pins numpy 1.23.5,
whose newest wheels are for 3.11) and must have a torch build for this machine. Among those, the one that
gets the newest torch wins, then the newest Python; an interpreter already on the machine beats one that
would have to be installed first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Optional

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.matrix import versions as V
from d2l_doctor.models import PythonInfo, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.d2l import d2l_wheel_pythons
from d2l_doctor.rules.recommend import TorchRecommendation, recommend_torch

if TYPE_CHECKING:
    from d2l_doctor.matrix import D2lRelease, Matrix
    from d2l_doctor.setup.pythons import FoundPython


@dataclass(frozen=True)
class Fit:
    """One Python version the book can use here, with the torch it would get."""

    python: str  # "3.11"
    torch: TorchRecommendation


@dataclass(frozen=True)
class SetupChoice:
    book: str  # the d2l release
    python: str  # the X.Y the environment gets
    base: Optional[FoundPython]  # the interpreter that builds it (None: a person must install one first)
    torch: TorchRecommendation
    d2l_pythons: tuple[str, ...]  # where every pin of the release has a wheel, oldest first
    fits: tuple[Fit, ...]  # those with a torch build for this machine, best first
    unusable: tuple[tuple[FoundPython, str], ...] = ()  # found interpreters of a fitting version, and why not


def book_release(m: Matrix, version: Optional[str], lang: str) -> D2lRelease:
    """The d2l release to install: the one named, else the newest the matrix knows."""
    if version is None:
        return m.d2l.releases[0]
    release = m.d2l_release(version)
    if release is None:
        known = ", ".join(r.version for r in m.d2l.releases)
        raise UsageError(t("setup.error.book_version", lang, version=version, known=known))
    return release


def fits(m: Matrix, release: D2lRelease, host: Snapshot) -> tuple[tuple[str, ...], tuple[Fit, ...]]:
    """(the Pythons the release installs on from wheels, those with a torch for this machine best first)."""
    platform = F.target_platform(_with_python(host, "3.11"), m)
    if platform is None:
        return (), ()
    d2l_ok = tuple(d2l_wheel_pythons(m, release, platform))
    out = []
    for python in d2l_ok:
        facts = _with_python(host, python)
        # A GPU whose driver or architecture no CUDA build runs on still learns on the CPU build: the plan says
        # why (cuda_fallback), and a setup after a driver update moves the env to the CUDA build.
        rec = recommend_torch(facts, m) or recommend_torch(facts, m, want_cuda=False)
        if rec is not None:
            out.append(Fit(python, rec))
    out.sort(key=lambda f: (V.sort_key(f.torch.torch), V.sort_key(f.python)), reverse=True)
    return d2l_ok, tuple(out)


def choose(
    m: Matrix,
    release: D2lRelease,
    host: Snapshot,
    found: Sequence[FoundPython],
    wanted: Optional[str],
    lang: str,
) -> SetupChoice:
    """The Python and torch for the new environment. Raises UsageError when --python-version cannot work (it
    says which versions can) or when no Python fits this machine at all."""
    d2l_ok, good = fits(m, release, host)
    if not good:
        raise UsageError(t("setup.error.no_fit", lang, book=release.version, pythons=span(d2l_ok) or "-"))
    if wanted is not None:
        minor = ".".join(wanted.strip().split(".")[:2])
        picked = [f for f in good if f.python == minor]
        if not picked:
            why = "setup.error.python_pins" if minor not in d2l_ok else "setup.error.python_torch"
            raise UsageError(
                t(why, lang, python=minor, book=release.version, pythons=span(d2l_ok), fits=_names(good))
            )
        good = tuple(picked)
    usable: list[FoundPython] = []
    unusable: list[tuple[FoundPython, str]] = []
    for py in found:
        if py.minor not in {f.python for f in good}:
            continue
        problem = _unusable(py)
        if problem:
            unusable.append((py, problem))
        else:
            usable.append(py)
    for fit in good:
        base = next((py for py in usable if py.minor == fit.python), None)
        if base is not None:
            return SetupChoice(release.version, fit.python, base, fit.torch, d2l_ok, good, tuple(unusable))
    best = good[0]
    return SetupChoice(release.version, best.python, None, best.torch, d2l_ok, good, tuple(unusable))


def _unusable(py: FoundPython) -> Optional[str]:
    if py.implementation != "cpython":
        return "setup.python.not_cpython"
    if py.bits == 32:
        return "setup.python.32bit"
    if not py.can_venv:
        return "setup.python.no_venv"
    return None


def _with_python(host: Snapshot, python: str) -> Snapshot:
    machine = host.host.machine if host.host else None
    system = host.host.os if host.host else None
    platform = {"windows": "win32", "darwin": "darwin"}.get(system or "", "linux")
    info = PythonInfo(None, f"{python}.0", 64, machine, platform=platform)
    return replace(host, python=info)


def span(pythons: Sequence[str]) -> str:
    """'3.8–3.11' (one version alone as it is; none: an empty string)."""
    return f"{pythons[0]}–{pythons[-1]}" if len(pythons) > 1 else (pythons[0] if pythons else "")


def _names(good: Sequence[Fit]) -> str:
    return ", ".join(sorted((f.python for f in good), key=V.sort_key))
