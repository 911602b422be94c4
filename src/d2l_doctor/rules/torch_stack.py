"""The PyTorch stack: torch missing, not importable, crashing, CPU-only on a GPU machine; torchvision and
torchaudio that do not match the installed torch (by version, by build variant, or by the error their import
gives)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, FixAction, FixKind, ImportResult, Severity, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.declared import declared_torch
from d2l_doctor.rules.recommend import (
    has_torch_wheels,
    index_for,
    install_action,
    rec_params,
    recommend_torch,
)
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix


@rule("torch-missing", Area.TORCH)
def torch_missing(s: Snapshot, m: Matrix) -> Optional[Finding]:
    if not F.target_known(s) or s.torch is not None or not F.package_absent(s, "torch"):
        return None
    if not has_torch_wheels(s, m):
        return None  # python-32bit / python-unsupported explain why there is no torch to install
    result = F.import_state(s, "torch")
    if result is F.UNKNOWN and not s.known("torch"):
        return None  # a report that neither lists torch nor says what importing it gave
    if isinstance(result, ImportResult) and (result.ok or result.signal or result.timed_out):
        return None  # importable from elsewhere, or it crashed: other rules speak
    rec = recommend_torch(s, m)
    evidence: dict[str, object] = {
        "torch": "not installed",
        "python": s.python.executable if s.python else None,
    }
    # The kernels' interpreters that have torch: perhaps the environment the user meant to examine.
    elsewhere = sorted(
        {
            f"{k.python} (torch {k.packages['torch']})"
            for k in (s.jupyter.kernelspecs if s.jupyter else ())
            if k.python and "torch" in k.packages
        }
    )
    if elsewhere:
        evidence["torch elsewhere"] = elsewhere
    return F.finding(
        "torch-missing",
        Severity.ERROR,
        Area.TORCH,
        {"python": F.python_mm(s), "elsewhere": "; ".join(elsewhere) or None, **rec_params(rec, m)},
        evidence,
        (rec.fix(),) if rec else (),
    )


@rule("torch-import-crashed", Area.TORCH)
def torch_import_crashed(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """`import torch` killed the interpreter (a segfault, an illegal instruction) or hung."""
    result = s.imports.get("torch")
    if result is None or result.ok or not (result.signal or result.timed_out):
        return None
    how = "timeout" if result.timed_out else result.signal
    evidence = {"import torch": how, "seconds": result.seconds, "output": result.error}
    version = F.torch_version(s)
    fixes = _reinstall_torch(s, m) if version else ()
    params = {
        "how": how,
        "torch": version,
        "seconds": result.seconds,
    }
    return F.finding("torch-import-crashed", Severity.ERROR, Area.TORCH, params, evidence, fixes)


@rule("torch-import-failed", Area.TORCH)
def torch_import_failed(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """`import torch` raised. A NumPy ABI error is numpy-abi-mismatch's to explain."""
    result = F.import_failure(s, "torch")
    if result is None or result.signal or result.timed_out:
        return None
    text = F.error_text(result)
    if F.matches(text, F.words(m, "numpy-abi-mismatch")):
        return None
    dll = F.matches(text, F.words(m, row="dll-load-failed"))
    params = {
        "torch": F.torch_version(s),
        "error": (result.error or "").splitlines()[0][:300] if result.error else result.error_type,
    }
    fixes = list(_reinstall_torch(s, m)) if F.torch_version(s) else []
    if dll and F.target_os(s) == "windows":
        fixes.append(
            FixAction(FixKind.MANUAL, url=m.link("msvc_redist"), message="finding.manual.msvc-redist")
        )
    return F.finding(
        "torch-import-failed", Severity.ERROR, Area.TORCH, params, {"import torch": text}, tuple(fixes)
    )


def _reinstall_torch(s: Snapshot, m: Matrix) -> tuple[FixAction, ...]:
    """Reinstall the same torch build from where it came (its variant's index)."""
    version = V.base_version(F.torch_version(s))
    variant = F.torch_variant(s, m)
    if not version:
        return ()
    if not variant or F.conda_managed(s, "pytorch"):
        return (FixAction(FixKind.PIP_INSTALL, (f"torch=={version}",), ("--force-reinstall", "--no-deps")),)
    index, style = index_for(m, version, variant, F.target_platform(s, m))
    return (
        install_action(
            (f"torch=={version}",),
            variant,
            index,
            style,
            ("--force-reinstall", "--no-deps"),
            f"torch {version}+{variant}",
        ),
    )


@rule("torch-cpu-only", Area.TORCH)
def torch_cpu_only(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """A CPU-only torch on a machine whose NVIDIA GPU and driver could run CUDA."""
    if s.torch is None or F.torch_variant(s, m) != "cpu":
        return None
    # A GPU known (a driver runs it, or a report names it): an error. Not known (a paste that does not show
    # the GPU): a warning that says how to check, since the one who asks expected a GPU.
    gpu_known = F.usable_nvidia(s) or bool(s.gpus)
    gpu_unknown = (
        not gpu_known and s.source in F.PASTED and not s.known("gpus") and F.target_os(s) != "darwin"
    )
    if not (gpu_known or gpu_unknown):
        return None
    if F.gpus_older_than_any_torch(s, m):
        return None  # no CUDA torch runs on these GPUs: the CPU build is the right one
    platform = F.target_platform(s, m)
    if platform is not None and not platform.cuda:
        return None
    rec = recommend_torch(s, m, want_cuda=True)
    evidence: dict[str, object] = {
        "torch": s.torch.version,
        "torch.version.cuda": s.torch.cuda,
        "torch.cuda.is_available()": s.torch.cuda_available,
        "gpus": [g.name for g in s.gpus] if gpu_known else None,
        "driver": s.driver.version if s.driver else None,
    }
    if V.local_variant(s.torch.version) is None and F.target_os(s) == "windows":
        evidence["wheel from"] = "PyPI"  # no local version: not from download.pytorch.org
    params = {
        "torch": s.torch.version,
        "gpu": s.gpus[0].name if s.gpus else None,
        "check": "gpu_unknown" if gpu_unknown else None,
        **rec_params(rec, m),
    }
    severity = Severity.ERROR if gpu_known else Severity.WARNING
    fixes = (rec.fix(),) if rec and gpu_known else ()
    return F.finding("torch-cpu-only", severity, Area.TORCH, params, evidence, fixes, undecided=gpu_unknown)


@rule("cuda-not-available", Area.TORCH)
def cuda_not_available(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """torch says CUDA is not available on a machine with an NVIDIA GPU, and what is known does not say which
    build is installed (a paste that names the version only). The two usual causes are told apart by one
    command; never guessed."""
    if s.torch is None or s.torch.cuda_available is not False or F.torch_variant(s, m) is not None:
        return None
    if not (s.gpus or s.driver is not None) or F.target_os(s) == "darwin":
        return None
    rec = recommend_torch(s, m, want_cuda=True)
    params = {"torch": s.torch.version, "gpu": s.gpus[0].name if s.gpus else None, **rec_params(rec, m)}
    evidence: dict[str, object] = {
        "torch": s.torch.version,
        "torch.cuda.is_available()": False,
        "gpus": [g.name for g in s.gpus] or None,
        "driver": s.driver.version if s.driver else None,
    }
    return F.finding("cuda-not-available", Severity.WARNING, Area.TORCH, params, evidence, undecided=True)


# ---- torchvision / torchaudio --------------------------------------------------------------------


def _companion_variant(s: Snapshot, m: Matrix, name: str, torch_version: Optional[str]) -> Optional[str]:
    """The build variant of an installed torchvision/torchaudio. A PyPI wheel (no local version) is the PyPI
    default build: of the installed torch's release when the two belong together, else of its own torch."""
    version = s.packages.get(name)
    local = V.local_variant(version)
    if local:
        return local
    if s.source in F.PASTED:
        return None  # a version without a local tag in a paste says nothing of its build
    own = m.torch_release(F.release_version(torch_version))
    companions = (own.torchvisions if name == "torchvision" else own.torchaudios) if own else ()
    if V.base_version(version) in companions:
        return F.pypi_variant(s, m, torch_version)
    release = (
        m.release_for_torchvision(version) if name == "torchvision" else m.release_for_torchaudio(version)
    )
    return F.pypi_variant(s, m, release.version if release else torch_version)


def _variant_clash(torch_variant: Optional[str], other: Optional[str]) -> Optional[bool]:
    """None: same or unknown; True: a clash that breaks (CPU vs CUDA, another CUDA major); False: the
    CUDA minor differs only."""
    if not torch_variant or not other or torch_variant == other:
        return None
    a, b = V.major_minor(V.variant_cuda(torch_variant)), V.major_minor(V.variant_cuda(other))
    return not (a is not None and b is not None and a[0] == b[0])


def _companion(s: Snapshot, m: Matrix, name: str, markers: F.Words) -> Optional[Finding]:
    version = s.packages.get(name)
    torch_version = F.torch_version(s)
    if not version or not torch_version:
        return None
    failure = F.import_failure(s, name)
    text = F.error_text(failure)
    marker = F.matches(text, markers)
    release = m.torch_release(F.release_version(torch_version))
    expected = (release.torchvisions if name == "torchvision" else release.torchaudios) if release else ()
    paired = (
        m.release_for_torchvision(version) if name == "torchvision" else m.release_for_torchaudio(version)
    )
    # What the installed package itself declares (its metadata's torch requirement) is an observation and
    # settles the pairing, also for releases newer than the matrix. Without it, a version clash needs both
    # ends known to the matrix: an unknown release is not guessed.
    # A torchaudio that only admits this torch (2.11.1: torch>=2.11, pure Python, next to a torch no torchaudio
    # pins) is not a pairing to hold others to, nor to offer as the fix: whether the build's own index carries
    # it is not known, and d2l does not need torchaudio.
    has_pair = bool(expected) if name == "torchvision" else bool(release and release.torchaudio)
    offer = expected[0] if expected and has_pair else None
    declared = declared_torch(s, name)
    if declared is not None and declared.admits(torch_version) is not None:
        version_bad, pairing_known = not declared.admits(torch_version), True
    else:
        declared = None
        version_bad = release is not None and paired is not None and V.base_version(version) not in expected
        # A release with no paired companion at all (torchaudio after 2.11) is unknown ground: a warning.
        pairing_known = (
            has_pair
            and release is not None
            and release.verified
            and paired is not None
            and paired.verified
        )
    torch_variant = F.torch_variant(s, m)
    other_variant = _companion_variant(s, m, name, torch_version)
    clash = _variant_clash(torch_variant, other_variant)
    if not (version_bad or clash is not None or marker):
        return None
    # Errors: an import that shows it, CPU vs CUDA or another CUDA major, or a pairing known to exclude it.
    hard = marker is not None or clash is True or (version_bad and (pairing_known or failure is not None))
    severity = Severity.ERROR if hard else Severity.WARNING
    evidence: dict[str, object] = {"torch": torch_version, name: version}
    built_for = declared.pinned if declared is not None else (paired.version if paired is not None else None)
    if built_for is not None:
        # A stable key (no version in it): the companion's own version is under `name` just above.
        evidence[f"{name} built for torch"] = built_for
    if declared is not None:
        evidence[f"{name} declares"] = declared.line  # from its installed metadata, not from the matrix
    if failure:
        evidence[f"import {name}"] = text
    elif warning := F.import_warnings(s, name, F.words(m, "torchvision-image-extension")):
        evidence[f"import {name}"] = warning  # the symptom a mismatched torchvision shows at import
    params = {
        "name": name,
        "version": version,
        "torch": torch_version,
        "variant": other_variant,
        "torch_variant": torch_variant,
        "expected": offer,
        "paired_torch": built_for,
    }
    fix = matching_companion(s, m, name, offer, torch_variant)
    return F.finding(f"{name}-mismatch", severity, Area.TORCH, params, evidence, (fix,) if fix else ())


def matching_companion(
    s: Snapshot,
    m: Matrix,
    name: str,
    expected: Optional[str],
    torch_variant: Optional[str],
    flags: tuple[str, ...] = ("--force-reinstall", "--no-deps"),
) -> Optional[FixAction]:
    """Install the torchvision/torchaudio release `expected` of the installed torch's build (variant), from
    the index that build comes from. The default flags replace a wrong one and leave torch alone."""
    torch_version = V.base_version(F.torch_version(s)) or ""
    if expected is None:
        # No release pairs with this torch (torchaudio after 2.11): d2l does not need it.
        return FixAction(FixKind.PIP_UNINSTALL, (name,)) if name == "torchaudio" else None
    if F.conda_managed(s, "pytorch"):
        return FixAction(FixKind.CONDA_INSTALL, (f"{name}={expected}",))
    if not torch_variant:
        return FixAction(FixKind.PIP_INSTALL, (f"{name}=={expected}",), flags)
    index, style = index_for(m, torch_version, torch_variant, F.target_platform(s, m))
    pin = f"{name}=={expected}" + (f"+{torch_variant}" if style in ("find-links", "extra-index-url") else "")
    return install_action((pin,), torch_variant, index, style, flags, f"match torch {F.torch_version(s)}")


@rule("torchvision-missing", Area.TORCH)
def torchvision_missing(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """torch is there and torchvision is not: `from d2l import torch as d2l` imports torchvision."""
    if not F.target_known(s) or s.torch is None or not F.package_absent(s, "torchvision"):
        return None  # installed, or not known (a cut-off package list)
    release = m.torch_release(s.torch.version)
    expected = release.torchvision if release else None
    # Its own dependencies (Pillow) are wanted; the pinned torch is the installed one, so pip keeps it.
    fix = (
        matching_companion(s, m, "torchvision", expected, F.torch_variant(s, m), flags=())
        if expected
        else None
    )
    params = {"torch": s.torch.version, "expected": expected}
    # A note, like d2l-missing, where torch stands alone; with d2l installed it stops the book's first line.
    return F.finding(
        "torchvision-missing",
        Severity.ERROR if F.package(s, "d2l") else Severity.INFO,
        Area.TORCH,
        params,
        {"torchvision": "not installed"},
        (fix,) if fix else (),
    )


@rule("torchvision-mismatch", Area.TORCH)
def torchvision_mismatch(s: Snapshot, m: Matrix) -> Optional[Finding]:
    return _companion(s, m, "torchvision", F.words(m, "torchvision-mismatch"))


@rule("torchaudio-mismatch", Area.TORCH)
def torchaudio_mismatch(s: Snapshot, m: Matrix) -> Optional[Finding]:
    return _companion(s, m, "torchaudio", F.words(m, "torchaudio-mismatch"))
