"""d2l: is it installed, and can the release pip would pick install on this Python at all (its pins may have
no wheels for it: d2l 1.0.3 pins numpy 1.23.5, which has none for Python 3.12+, and pip then fails building
it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, FixAction, FixKind, Severity, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import D2lRelease, Matrix, Platform

# The letters of the pin-wheel table: which platform a wheel is for.
_LETTER = {"linux-x86_64": "L", "windows-x86_64": "W", "macos-arm64": "A", "macos-x86_64": "X"}


@dataclass(frozen=True)
class PinCheck:
    ok: Optional[bool]  # None: this Python is outside the table (not checked)
    missing: tuple[str, ...]  # pins without a wheel
    inferred: bool = False  # newer than the table: an old pin gains no wheels later (not checked, inferred)


def check_pins(m: Matrix, release: D2lRelease, python: str, platform: Platform) -> PinCheck:
    letter = _LETTER.get(platform.name)
    checked = m.d2l.pin_wheel_pythons
    if letter is None or not checked:
        return PinCheck(None, ())
    newest = checked[-1]
    inferred = V.sort_key(python) > V.sort_key(newest)
    if V.sort_key(python) < V.sort_key(checked[0]):
        return PinCheck(None, ())
    column = newest if inferred else python
    if column not in checked:
        return PinCheck(None, ())
    table = {row.pin: row.wheels for row in m.d2l.pin_wheels}
    missing = tuple(
        pin for pin in release.requires if pin in table and letter not in table[pin].get(column, "")
    )
    if inferred and not missing:
        return PinCheck(None, ())  # wheels for the newest checked Python say nothing about newer ones
    return PinCheck(not missing, missing, inferred)


def d2l_wheel_pythons(m: Matrix, release: D2lRelease, platform: Platform) -> list[str]:
    """The checked Pythons where every pin of the release has a wheel (and Requires-Python admits)."""
    return [
        p
        for p in m.d2l.pin_wheel_pythons
        if V.specifier_contains(release.requires_python, p) and check_pins(m, release, p, platform).ok
    ]


def pip_choice(m: Matrix, python: str) -> Optional[D2lRelease]:
    """What `pip install d2l` picks: the newest release whose Requires-Python admits this Python."""
    return next((r for r in m.d2l.releases if V.specifier_contains(r.requires_python, python + ".0")), None)


def _installable(m: Matrix, python: str, platform: Platform) -> Optional[D2lRelease]:
    return next(
        (
            r
            for r in m.d2l.releases
            if V.specifier_contains(r.requires_python, python + ".0")
            and check_pins(m, r, python, platform).ok
        ),
        None,
    )


def _range(pythons: list[str]) -> Optional[str]:
    return f"{pythons[0]}-{pythons[-1]}" if pythons else None


@rule("d2l-pins-unsatisfiable", Area.D2L)
def pins_unsatisfiable(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """d2l is not installed, and the release pip would pick pins packages with no wheel for this Python."""
    if s.source == "paste":
        return _pasted_pins(s, m)
    if not F.target_known(s) or not F.package_absent(s, "d2l"):
        return None  # installed, or not known (collect_env reports never list d2l)
    python, platform = F.python_mm(s), F.target_platform(s, m)
    if python is None or platform is None:
        return None
    release = pip_choice(m, python)
    if release is None:
        return None
    check = check_pins(m, release, python, platform)
    if check.ok is not False:
        return None
    works = d2l_wheel_pythons(m, release, platform)
    fixes = (
        FixAction(FixKind.PIP_INSTALL, m.d2l.no_deps_packages, reason="current versions of what d2l imports"),
        FixAction(
            FixKind.PIP_INSTALL, (f"d2l=={release.version}",), ("--no-deps",), reason="d2l without its pins"
        ),
    )
    params = {
        "d2l": release.version,
        "python": s.python.version if s.python else python,
        "pins": ", ".join(check.missing),
        "works_on": _range(works),
    }
    evidence = {
        "d2l Requires-Dist": list(release.requires),
        "pins without a wheel": list(check.missing),
        "python": python,
        "platform": platform.name,
    }
    severity = Severity.WARNING if check.inferred else Severity.ERROR
    return F.finding("d2l-pins-unsatisfiable", severity, Area.D2L, params, evidence, fixes)


def _pasted_pins(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """A paste that names a d2l release (being installed, or asked about) and a Python: the release's pins with
    no wheel for that Python, on the paste's platform, or on every platform when the paste does not say."""
    python, wanted = F.python_mm(s), s.packages.get("d2l")
    release = next((r for r in m.d2l.releases if r.version == wanted), None)
    if python is None or release is None:
        return None
    target = F.target_platform(s, m)
    platforms = [target] if target is not None else [p for p in m.platforms if p.name in _LETTER]
    checks = [check_pins(m, release, python, p) for p in platforms]
    if not checks or any(c.ok is not False for c in checks):
        return None
    missing = tuple(dict.fromkeys(pin for c in checks for pin in c.missing))
    params = {"d2l": release.version, "python": s.python.version if s.python else python,
              "pins": ", ".join(missing), "works_on": None}  # fmt: skip
    evidence = {"d2l": release.version, "pins without a wheel": list(missing), "python": python}
    fixes = (
        FixAction(FixKind.PIP_INSTALL, m.d2l.no_deps_packages, reason="current versions of what d2l imports"),
        FixAction(
            FixKind.PIP_INSTALL, (f"d2l=={release.version}",), ("--no-deps",), reason="d2l without its pins"
        ),
    )
    severity = Severity.WARNING if any(c.inferred for c in checks) else Severity.ERROR
    return F.finding("d2l-pins-unsatisfiable", severity, Area.D2L, params, evidence, fixes)


@rule("d2l-missing", Area.D2L)
def d2l_missing(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """d2l is not installed and a release installs cleanly here (info, with the command)."""
    if not F.target_known(s) or not F.package_absent(s, "d2l"):
        return None
    python, platform = F.python_mm(s), F.target_platform(s, m)
    if python is None or platform is None:
        return None
    choice = pip_choice(m, python)
    if choice is not None and check_pins(m, choice, python, platform).ok is False:
        return None  # d2l-pins-unsatisfiable speaks
    release = _installable(m, python, platform) or choice
    if release is None:
        return None
    params = {"d2l": release.version, "python": python}
    return F.finding(
        "d2l-missing",
        Severity.INFO,
        Area.D2L,
        params,
        {"d2l": "not installed"},
        (FixAction(FixKind.PIP_INSTALL, (f"d2l=={release.version}",)),),
    )
