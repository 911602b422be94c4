"""Python & conda: a 32-bit interpreter or conda, an x86_64 Python under Rosetta on Apple silicon, and a
Python that no torch release has wheels for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from d2l_doctor.models import Area, Finding, FixAction, FixKind, Severity, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.recommend import has_torch_wheels, recommend_python
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

_CONDA_32 = {"win-32": "windows", "linux-32": "linux"}


def _conda_is_32bit(s: Snapshot) -> bool:
    return F.conda_platform(s) in _CONDA_32


@rule("conda-32bit", Area.PYTHON)
def conda_32bit(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """conda installed for x86 (win-32): the seeds' "installed 32-bit Miniconda by mistake"."""
    platform = F.conda_platform(s)
    if s.conda is None or platform not in _CONDA_32:
        return None
    os_name = _CONDA_32[platform]
    row = m.no_wheels_for(os_name, 32)
    url = m.link(f"miniconda_{os_name}_x86_64")  # the exact 64-bit installer
    fix = FixAction(FixKind.MANUAL, url=url, message="finding.manual.install-miniconda64")
    params = {
        "platform": platform,
        "url": url,
        "mirror_url": m.link("miniconda_tuna"),
    }
    evidence: dict[str, object] = {
        "conda platform": platform,
        "conda": s.conda.conda_exe or s.conda.prefix,
    }
    if F.python_bits(s):
        evidence["python bits"] = F.python_bits(s)
    severity = F.weaken(Severity.ERROR, row is not None and row.verified)
    return F.finding("conda-32bit", severity, Area.PYTHON, params, evidence, (fix,))


@rule("python-32bit", Area.PYTHON)
def python_32bit(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """A 32-bit interpreter: no torch wheel exists for it (conda-32bit covers a 32-bit conda)."""
    if s.python is None or F.python_bits(s) != 32 or _conda_is_32bit(s):
        return None  # 64-bit, or the bitness is not known (reports before torch 1.7)
    os_name = F.target_os(s)
    row = m.no_wheels_for(os_name, 32)
    url = m.link("python_windows" if os_name == "windows" else "python_downloads")
    fix = FixAction(FixKind.MANUAL, url=url, message="finding.manual.install-python64")
    params = {
        "python": s.python.version,
        "executable": F.python_executable(s),
        "machine": F.python_machine(s),
        "url": url,
    }
    evidence = {"python bits": 32, "python machine": F.python_machine(s)}
    severity = F.weaken(Severity.ERROR, row is not None and row.verified)
    return F.finding("python-32bit", severity, Area.PYTHON, params, evidence, (fix,))


@rule("python-x86-on-arm64", Area.PYTHON)
def python_x86_on_arm64(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """An x86_64 Python (or osx-64 conda) running under Rosetta on Apple silicon: torch stops at the last
    macOS x86_64 release."""
    machine = F.python_machine(s)
    if s.python is None or s.host is None or machine is None or F.target_os(s) != "darwin":
        return None
    host = (s.host.machine or "").lower()
    if host not in ("arm64", "aarch64") or machine.lower() != "x86_64":
        return None
    platform = F.target_platform(s, m)
    last = platform.last_torch if platform else None
    fix = FixAction(FixKind.MANUAL, url=m.link("miniconda"), message="finding.manual.install-miniconda-arm64")
    params = {
        "python": s.python.version,
        "last_torch": last,
        "conda_platform": F.conda_platform(s),
    }
    evidence = {"host machine": s.host.machine, "python machine": machine}
    return F.finding("python-x86-on-arm64", Severity.WARNING, Area.PYTHON, params, evidence, (fix,))


@rule("python-unsupported", Area.PYTHON)
def python_unsupported(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """No torch release has a wheel for this Python on this platform (and torch is not already working)."""
    if (
        s.python is None
        or F.python_bits(s) == 32
        or (s.torch is not None and F.import_failure(s, "torch") is None)
    ):
        return None
    python = F.python_mm(s)
    platform = F.target_platform(s, m)
    if python is None or platform is None:
        return None
    if has_torch_wheels(s, m):  # unverified rows count: no false alarm
        return None
    suggested = recommend_python(s, m)
    supported = [r for r in m.torch_releases if r.verified]
    newest = supported[0] if supported else None
    params = {
        "python": s.python.version,
        "platform": platform.name,
        "suggested": suggested,
        "newest_torch": newest.version if newest else None,
        "newest_range": f"{newest.python_min}-{newest.python_max}" if newest else None,
    }
    url = m.link("python_windows" if platform.os == "windows" else "python_downloads")
    fix = FixAction(FixKind.MANUAL, url=url, message="finding.manual.use-python")
    evidence = {"python": s.python.version, "platform": platform.name}
    return F.finding("python-unsupported", Severity.ERROR, Area.PYTHON, params, evidence, (fix,))
