"""CUDA & cuDNN: a system CUDA toolkit newer than the driver (it matters only for compiling extensions: pip
and conda torch bring their own CUDA runtime), and a cuDNN that is not the one torch's build expects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, FixAction, FixKind, Severity, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix


@rule("cuda-toolkit-newer-than-driver", Area.CUDA)
def toolkit_newer_than_driver(s: Snapshot, m: Matrix) -> list[Finding]:
    if s.driver is None or not s.known("cuda_toolkits"):
        return []
    os_name = F.target_os(s)
    out = []
    for toolkit in s.cuda_toolkits:
        verdict = m.driver_runs(s.driver.version, s.driver.cuda_version, toolkit.version, os_name)
        if verdict.ok is not False:
            continue
        params = {
            "toolkit": toolkit.version,
            "path": F.known_path(toolkit.path),
            "driver": s.driver.version,
            "driver_cuda": verdict.driver_max_cuda,
            "needed": verdict.needed,
            "torch_cuda": s.torch.cuda if s.torch else None,
        }
        evidence = {
            "toolkit": toolkit.version,
            "nvcc": toolkit.nvcc or toolkit.path,
            "driver": s.driver.version,
            "driver max CUDA": verdict.driver_max_cuda,
        }
        fix = FixAction(FixKind.MANUAL, url=m.link("nvidia_driver"), message="finding.manual.install-driver")
        out.append(
            F.finding("cuda-toolkit-newer-than-driver", Severity.WARNING, Area.CUDA, params, evidence, (fix,))
        )
    return out


def cudnn_major(value: int) -> int:
    """torch.backends.cudnn.version(): 7.x/8.x are major*1000+minor*100+patch, 9.x
    major*10000+minor*100+patch."""
    return value // 10000 if value >= 90000 else value // 1000


@rule("cudnn-mismatch", Area.CUDA)
def cudnn_mismatch(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """torch loads a cuDNN of another major than its build was made with (a stray nvidia-cudnn-cuXX wheel or a
    system cuDNN on the library path)."""
    if s.torch is None or s.torch.cudnn is None:
        return None
    variant = F.torch_variant(s, m)
    row = m.expected_cudnn(s.torch.version, variant)
    if row is None:
        return None
    expected = V.major_minor(row.cudnn)
    loaded = cudnn_major(s.torch.cudnn)
    if expected is None or loaded == expected[0]:
        return None
    cuda_mm = V.major_minor(s.torch.cuda)
    fixes: tuple[FixAction, ...] = ()
    if cuda_mm and m.cudnn_from_wheel(s.torch.version) and not F.conda_managed(s, "pytorch"):
        # pip's torch loads cuDNN from the nvidia-cudnn-cu<major> wheel that its metadata pins: reinstall that one.
        fixes = (
            FixAction(
                FixKind.PIP_INSTALL,
                (f"nvidia-cudnn-cu{cuda_mm[0]}=={row.cudnn}",),
                reason=f"cuDNN for torch {s.torch.version}",
            ),
        )
    params = {
        "torch": s.torch.version,
        "loaded": s.torch.cudnn,
        "loaded_major": loaded,
        "expected": row.cudnn,
        "system": ", ".join(c.version for c in s.cudnn_system) or None,
    }
    evidence = {
        "torch.backends.cudnn.version()": s.torch.cudnn,
        "expected cuDNN": row.cudnn,
        "system cuDNN": [f"{c.version} ({c.path})" for c in s.cudnn_system],
    }
    # The version encoding is not checked against cuDNN's header: a warning at most.
    return F.finding("cudnn-mismatch", Severity.WARNING, Area.CUDA, params, evidence, fixes)
