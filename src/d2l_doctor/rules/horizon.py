"""Past the matrix's horizon: a torch, torchvision, torchaudio, driver or GPU newer than compat_matrix.yaml knows
is not "unknown, so fine". This rule says the table is older than what is installed (with the table's review
date and the newest torch it knows), and which facts came from the packages' own metadata instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, Severity, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.declared import declared_torch
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

COMPANIONS = ("torchvision", "torchaudio")
_ITEMS = ("torch_new", "torchvision_new", "torchaudio_new", "driver_new", "driver_cuda_new", "gpu_cc_new")


def _newer(version: Optional[str], known: list[str]) -> bool:
    """version is a release newer than every known one."""
    mine = V.parse(V.base_version(version))
    parsed = [p for p in (V.parse(k) for k in known) if p is not None]
    return mine is not None and bool(parsed) and mine > max(parsed)


def _newest_cuda(m: Matrix) -> Optional[tuple[int, int]]:
    found = [mm for mm in (V.major_minor(t.cuda) for t in m.toolkit_drivers) if mm is not None]
    return max(found) if found else None


def _newest_cc(m: Matrix) -> Optional[tuple[int, int]]:
    found = [cc for cc in (V.cc_tuple(c) for a in m.arch_names for c in a.ccs) if cc is not None]
    return max(found) if found else None


def past_horizon(s: Snapshot, m: Matrix) -> dict[str, Any]:
    """What is installed here and newer than the matrix: {"torch_new": "2.16.0", "driver_new": …}."""
    out: dict[str, Any] = {}
    torch = F.torch_version(s)
    if _newer(torch, [r.version for r in m.torch_releases]):
        out["torch_new"] = V.base_version(torch)
    for name in COMPANIONS:
        version = s.packages.get(name)
        known = [
            v for r in m.torch_releases for v in (r.torchvisions if name == "torchvision" else r.torchaudios)
        ]
        if _newer(version, known):
            out[f"{name}_new"] = V.base_version(version)
    driver, newest_cuda = s.driver, _newest_cuda(m)
    cuda = V.major_minor(driver.cuda_version) if driver else None
    if driver is not None and cuda is not None and newest_cuda is not None and cuda > newest_cuda:
        out["driver_new"], out["driver_cuda_new"] = driver.version, driver.cuda_version
    newest_cc = _newest_cc(m)
    ccs = [g.compute_capability for g in s.gpus if g.compute_capability]
    ccs += list(s.torch.device_capabilities if s.torch else ())
    newer_ccs = sorted({c for c in ccs if newest_cc and (V.cc_tuple(c) or (0, 0)) > newest_cc})
    if newer_ccs:
        out["gpu_cc_new"] = ", ".join(str(c) for c in newer_ccs)
    return out


@rule("matrix-behind", Area.TORCH, also=())
def matrix_behind(s: Snapshot, m: Matrix) -> Optional[Finding]:
    newer = past_horizon(s, m)
    if not newer:
        return None
    declared = {n: d for n in COMPANIONS if s.packages.get(n) and (d := declared_torch(s, n)) is not None}
    params: dict[str, Any] = {
        **dict.fromkeys(_ITEMS),  # what is not newer stays unknown: its clause drops out of the words
        "reviewed": m.reviewed,
        "newest_torch": m.newest_known_torch(),
        "declared_by": ", ".join(declared) or None,
        **newer,
    }
    evidence: dict[str, Any] = {
        "matrix reviewed": m.reviewed,
        "newest torch in the matrix": m.newest_known_torch(),
    }
    if declared:
        # The facts the torch stack's checks took from the packages' own metadata rather than the matrix.
        evidence["from metadata"] = [f"{n}: {d.line}" for n, d in declared.items()]
    only_hardware = not any(k in newer for k in ("torch_new", "torchvision_new", "torchaudio_new"))
    return F.finding(
        "matrix-behind", Severity.INFO, Area.GPU if only_hardware else Area.TORCH, params, evidence
    )
