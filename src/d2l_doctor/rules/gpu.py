"""GPU & driver: is there an NVIDIA GPU, does a driver run it, is the driver new enough for torch's CUDA, and
does torch carry kernels for the GPU's architecture."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, FixAction, FixKind, Severity, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.recommend import rec_params, recommend_torch
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import ArchFloor, Matrix


def _driver_fix(m: Matrix) -> FixAction:
    return FixAction(FixKind.MANUAL, url=m.link("nvidia_driver"), message="finding.manual.install-driver")


@rule("nvidia-driver-missing", Area.GPU)
def driver_missing(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """An NVIDIA GPU on the bus, and no driver answering for it."""
    if not s.known("driver") or not s.known("pci_gpus") or s.driver is not None or s.gpus:
        return None
    if not s.pci_gpus:
        return None
    names = [p.name or p.device_id or p.pci_bus_id for p in s.pci_gpus]
    kernel = sorted({p.kernel_driver for p in s.pci_gpus if p.kernel_driver})
    evidence: dict[str, object] = {"pci_gpus": names, "kernel_driver": kernel or None}
    for probe in ("nvml", "nvidia-smi"):
        if probe in s.problems:
            evidence[probe] = F.problem_words(s, probe)
    params = {
        "gpus": ", ".join(str(n) for n in names),
        "kernel_driver": ", ".join(kernel) or None,
        "seen": None,  # the bus shows the GPU (a paste's finding names what it saw instead: rules/stated.py)
    }
    # A driver that did not answer in time may be there: say so, and do not fail the check on it.
    hung = any(
        word in (F.problem_words(s, p) or "").lower()
        for p in ("nvml", "nvidia-smi")
        for word in ("timed out", "timeout")
    )
    severity = Severity.WARNING if hung else Severity.ERROR
    return F.finding(
        "nvidia-driver-missing", severity, Area.GPU, params, evidence, (_driver_fix(m),), undecided=hung
    )


@rule("no-nvidia-gpu", Area.GPU)
def no_nvidia_gpu(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """No NVIDIA GPU at all: fine for the d2l chapters on CPU (info)."""
    if not s.known("driver") or not s.known("gpus") or s.driver is not None or s.gpus or s.pci_gpus:
        return None
    bus_unknown = not s.known("pci_gpus")
    evidence = {k: F.problem_words(s, k) for k in s.problems if k in ("nvml", "nvidia-smi", "pci")}
    os_name = F.target_os(s)
    params = {"os": os_name}
    return F.finding("no-nvidia-gpu", Severity.INFO, Area.GPU, params, evidence, undecided=bus_unknown)


@rule("driver-too-old", Area.GPU)
def driver_too_old(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """torch's CUDA needs a newer driver than the one installed (max CUDA, then minor-version
    compatibility)."""
    torch_cuda = s.torch.cuda if s.torch else V.variant_cuda(F.torch_variant(s, m))
    warning = s.torch.init_warning if s.torch else None
    marker = F.matches(warning, F.words(m, "driver-too-old"))
    if not torch_cuda or (s.driver is None and not marker):
        return None
    os_name = F.target_os(s)
    evidence: dict[str, object] = {"torch.version.cuda": torch_cuda}
    if warning and marker:
        evidence["torch warning"] = warning
    if s.driver is not None:
        evidence["driver"] = s.driver.version
        verdict = m.driver_runs(s.driver.version, s.driver.cuda_version, torch_cuda, os_name)
        if verdict.ok is not False and not marker:
            return None
        needed, max_cuda = verdict.needed, verdict.driver_max_cuda
        # The same value the cause names (read from the driver, or known from its version): never "not known"
        # beside a cause that states it.
        evidence["driver max CUDA"] = max_cuda
    else:
        needed, max_cuda = None, None
    fixes: list[FixAction] = []
    best = recommend_torch(s, m, want_cuda=True)
    if best is not None and V.variant_cuda(best.variant) != torch_cuda:
        fixes.append(best.fix())
    fixes.append(_driver_fix(m))
    params = {
        "driver": s.driver.version if s.driver else None,
        "driver_cuda": max_cuda,
        "torch": F.torch_version(s),
        "torch_cuda": torch_cuda,
        "needed": needed,
        **rec_params(best, m),
    }
    return F.finding("driver-too-old", Severity.ERROR, Area.GPU, params, evidence, tuple(fixes))


@rule("gpu-arch-unsupported", Area.GPU, also=("gpu-arch-unknown",))
def gpu_arch_unsupported(s: Snapshot, m: Matrix) -> list[Finding]:
    """A GPU whose architecture the installed torch has no kernels for ("no kernel image is available"), or
    one older than every torch build the matrix knows (then no torch at all can use it)."""
    variant = F.torch_variant(s, m)
    version = F.torch_version(s)
    if not F.is_cuda_variant(variant) or not version or not s.known("gpus"):
        return []
    archs, source, verified = _torch_archs(s, m, version, variant or "")
    floor = m.arch_floor()
    out = []
    best = None
    for g in F.nvidia_gpus(s, m):
        base = {"gpu": g.gpu.name, "torch": version, "archs": " ".join(archs) or None}
        if floor is not None and g.cc is not None and m.below_every_arch_list(g.cc):
            out.append(_older_than_any_torch(m, g.cc, floor, base, archs, _gpu_evidence(s, m, g)))
            continue
        if not archs:
            continue  # this build's list is unknown: nothing to check against
        if g.cc is None:
            # A report that names a card the matrix does not know: say what could not be checked.
            unknown = {"gpu": g.gpu.name, "compute capability": None}
            out.append(F.finding("gpu-arch-unknown", Severity.INFO, Area.GPU, base, unknown, undecided=True))
            continue
        if V.arch_coverage(archs, g.cc) is not None:
            continue
        best = best or recommend_torch(s, m, want_cuda=True)
        evidence: dict[str, object] = {
            **_gpu_evidence(s, m, g),
            "arch list": list(archs),
            "arch list from": source,
        }
        params = {**base, **_gpu_params(m, g.cc), **rec_params(best, m)}
        severity = F.weaken(Severity.ERROR, verified)
        out.append(
            F.finding(
                "gpu-arch-unsupported", severity, Area.GPU, params, evidence, (best.fix(),) if best else ()
            )
        )
    return out


def _torch_archs(s: Snapshot, m: Matrix, version: str, variant: str) -> tuple[tuple[str, ...], str, bool]:
    """(the installed torch's arch list, where it comes from, whether it is a verified fact); () when
    unknown. torch's own answer first, else the matrix's list for this build (pip wheel or conda package)."""
    if s.torch is not None and s.torch.arch_list:
        return s.torch.arch_list, "torch.cuda.get_arch_list()", True
    channel = "conda" if F.conda_managed(s, "pytorch") else "pip"
    row = m.arch_list(version, variant, channel)
    if row is None:
        return (), "", False
    # The lists are Linux build facts; Windows builds may differ.
    return row.archs, row.source, row.verified and F.target_os(s) == "linux"


def _gpu_params(m: Matrix, cc: str) -> dict[str, Optional[str]]:
    floor = m.arch_floor()
    return {
        "cc": cc,
        "arch": m.arch_name(cc),
        "sm": "sm_" + cc.replace(".", ""),
        "oldest": floor.cc if floor else None,
    }


def _gpu_evidence(s: Snapshot, m: Matrix, g: F.GpuFacts) -> dict[str, object]:
    evidence: dict[str, object] = {"gpu": g.gpu.name, "compute capability": g.cc, "cc from": g.cc_source}
    warning = s.torch.init_warning if s.torch else None
    if F.matches(warning, F.words(m, "gpu-arch-unsupported")):
        evidence["torch warning"] = warning
    return evidence


def _older_than_any_torch(
    m: Matrix,
    cc: str,
    floor: ArchFloor,
    base: dict[str, Optional[str]],
    archs: tuple[str, ...],
    gpu_evidence: dict[str, object],
) -> Finding:
    """No torch build has code for this GPU: there is no torch to recommend; the CPU build or a newer GPU."""
    evidence: dict[str, object] = {
        **gpu_evidence,
        "arch list": list(archs) if archs else None,
        "oldest compute capability in any known torch build": floor.cc,
        "that build": f"torch {floor.row.torch} {'/'.join(floor.row.variants)} ({floor.row.channel})",
        "from": floor.row.source,
    }
    fix = FixAction(FixKind.MANUAL, url=m.link("pytorch_get_started"), message="finding.manual.gpu-too-old")
    params = {**base, **_gpu_params(m, cc), **rec_params(None, m)}
    severity = F.weaken(Severity.ERROR, floor.row.verified)
    return F.finding("gpu-arch-unsupported", severity, Area.GPU, params, evidence, (fix,))
