"""recommend_torch: the newest torch/torchvision/torchaudio triple this machine can run, with the exact index.

A CUDA variant qualifies when the driver runs it (its max CUDA, or minor-version compatibility) and the
variant's arch list covers every GPU; the release must have a wheel for this Python on this OS/arch. macOS
gets PyPI's wheels, a machine with no usable NVIDIA GPU the `cpu` index. Among the variants of one release,
one the driver runs at its full CUDA version is preferred to one that needs minor-version compatibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import FixAction, FixKind, Snapshot
from d2l_doctor.rules import facts as F

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix, Platform, TorchRelease


@dataclass(frozen=True)
class TorchRecommendation:
    torch: str
    torchvision: Optional[str]
    torchaudio: Optional[str]
    variant: str  # "cu126", "cpu"
    index_url: Optional[str]  # None: PyPI (macOS)
    style: str  # index-url | extra-index-url | find-links | pypi
    via: Optional[str] = None  # how the driver runs the variant: max-cuda | minor-compat
    verified: bool = True

    @property
    def label(self) -> str:
        """ "torch 2.14.1+cu126" (PyPI builds have no local version)."""
        return f"torch {self.torch}+{self.variant}" if self.style != "pypi" else f"torch {self.torch}"

    def packages(self, which: tuple[str, ...] = ("torch", "torchvision", "torchaudio")) -> tuple[str, ...]:
        """Pinned requirements; local versions (+cu126) pin the build where a variant index serves it."""
        local = f"+{self.variant}" if self.style != "pypi" else ""
        versions = {"torch": self.torch, "torchvision": self.torchvision, "torchaudio": self.torchaudio}
        return tuple(f"{name}=={versions[name]}{local}" for name in which if versions.get(name))

    def fix(
        self, which: tuple[str, ...] = ("torch", "torchvision", "torchaudio"), flags: tuple[str, ...] = ()
    ) -> FixAction:
        return install_action(
            self.packages(which), self.variant, self.index_url, self.style, flags, self.label
        )


def rec_params(rec: Optional[TorchRecommendation], m: Matrix) -> dict[str, Optional[str]]:
    """Message params for a recommendation; without one (None), the words point at PyTorch's own selector page
    (selector_url)."""
    selector = m.link("pytorch_get_started")
    if rec is None:
        return {"recommended": None, "index_url": None, "selector_url": selector}
    return {"recommended": rec.label, "index_url": rec.index_url or "PyPI", "selector_url": selector}


def install_action(
    packages: tuple[str, ...],
    variant: Optional[str],
    index_url: Optional[str],
    style: str,
    flags: tuple[str, ...] = (),
    reason: Optional[str] = None,
) -> FixAction:
    """A pip install from the PyTorch wheel index in the era's style (index-url carries `index_url` so a
    mirror of the index can stand in; the older styles pass the page as pip flags)."""
    if style == "index-url":
        return FixAction(FixKind.PIP_INSTALL, packages, flags, index_url, variant, reason=reason)
    if style == "extra-index-url" and index_url:
        return FixAction(
            FixKind.PIP_INSTALL,
            packages,
            (*flags, "--extra-index-url", index_url),
            None,
            variant,
            reason=reason,
        )
    if style == "find-links" and index_url:
        return FixAction(
            FixKind.PIP_INSTALL, packages, (*flags, "-f", index_url), None, variant, reason=reason
        )
    return FixAction(FixKind.PIP_INSTALL, packages, flags, None, variant, reason=reason)


def index_for(
    m: Matrix, torch_version: str, variant: str, platform: Optional[Platform]
) -> tuple[Optional[str], str]:
    """(index URL, style) that serves this torch build; macOS wheels come from PyPI."""
    if platform is not None and not platform.cuda:
        return None, "pypi"
    style = m.index_style(torch_version)
    if style.style == "find-links":
        return style.url, "find-links"
    return m.pytorch_index_url(variant), style.style


def candidate_releases(m: Matrix, python: str, platform: Platform) -> list[TorchRelease]:
    """Releases with a known torchvision and a wheel for this Python and platform, newest first (verified
    only: an install command must not rest on an unverified row)."""
    return [r for r in m.torch_releases if r.verified and r.torchvision and m.has_wheel(r, python, platform)]


def has_torch_wheels(s: Snapshot, m: Matrix) -> bool:
    """Whether any torch release has a wheel for this interpreter: False for a 32-bit Python where that is
    verified, or a Python no release supports (unverified rows count for it: never a false alarm)."""
    if s.python is None:
        return True  # unknown: do not claim there are none
    none = m.no_wheels_for(F.target_os(s), F.python_bits(s))
    if none is not None and none.verified:
        return False
    python = F.python_mm(s)
    platform = F.target_platform(s, m)
    if python is None or platform is None:
        return True
    return any(m.has_wheel(r, python, platform) for r in m.torch_releases)


def recommend_torch(
    s: Snapshot, m: Matrix, want_cuda: Optional[bool] = None
) -> Optional[TorchRecommendation]:
    """The best torch for this machine, or None when the facts cannot decide or nothing fits.

    want_cuda: None = CUDA when a usable NVIDIA GPU is there; False = the CPU build; True = CUDA or nothing.
    """
    python = F.python_mm(s)
    platform = F.target_platform(s, m)
    if python is None or platform is None or not has_torch_wheels(s, m):
        return None
    releases = candidate_releases(m, python, platform)
    if not releases:
        return None
    if not platform.cuda:  # macOS: PyPI's wheels (MPS on Apple silicon)
        return None if want_cuda else _make(m, releases[0], "cpu", platform)
    # A GPU older than every torch build is no reason for CUDA: the CPU build is what runs there.
    cuda_gpu = F.usable_nvidia(s) and not F.gpus_older_than_any_torch(s, m)
    use_cuda = cuda_gpu if want_cuda is None else want_cuda
    if not use_cuda:
        release = next((r for r in releases if "cpu" in r.variants), None)
        return _make(m, release, "cpu", platform) if release else None
    return _best_cuda(s, m, releases, platform)


def _best_cuda(
    s: Snapshot, m: Matrix, releases: list[TorchRelease], platform: Platform
) -> Optional[TorchRecommendation]:
    if s.driver is None:
        return None
    os_name = platform.os
    ccs = [g.cc for g in F.nvidia_gpus(s, m)]
    if not ccs or any(cc is None for cc in ccs):
        return None  # a GPU whose architecture is unknown: cannot choose safely
    for release in releases:
        cuda_variants = sorted(
            (v for v in release.variants if V.variant_cuda(v)),
            key=lambda v: V.major_minor(V.variant_cuda(v)) or (0, 0),
            reverse=True,
        )
        fits: list[tuple[str, str, bool]] = []
        for variant in cuda_variants:
            verdict = m.driver_runs(
                s.driver.version, s.driver.cuda_version, V.variant_cuda(variant) or "", os_name
            )
            if not verdict.ok or verdict.via is None:
                continue
            arch = m.arch_list(release.version, variant)
            if arch is None or any(V.arch_coverage(arch.archs, cc) is None for cc in ccs if cc):
                continue
            fits.append((variant, verdict.via, arch.verified))
        if fits:
            variant, via, verified = next((f for f in fits if f[1] == "max-cuda"), fits[0])
            return _make(m, release, variant, platform, via, verified)
    return None


def _make(
    m: Matrix,
    release: TorchRelease,
    variant: str,
    platform: Platform,
    via: Optional[str] = None,
    verified: bool = True,
) -> TorchRecommendation:
    index_url, style = index_for(m, release.version, variant, platform)
    return TorchRecommendation(
        release.version,
        release.torchvision,
        release.torchaudio,
        variant,
        index_url,
        style,
        via,
        verified and release.verified,
    )


def recommend_python(s: Snapshot, m: Matrix) -> Optional[str]:
    """The Python to use instead: the newest that the newest torch (with a torchvision) has wheels for on this
    platform and that the newest d2l installs on from wheels; else the newest that torch supports."""
    platform = F.target_platform(s, m)
    if platform is None:
        return None
    from d2l_doctor.rules.d2l import d2l_wheel_pythons

    newest_d2l = m.d2l.releases[0] if m.d2l.releases else None
    d2l_ok = set(d2l_wheel_pythons(m, newest_d2l, platform)) if newest_d2l else set()
    for release in m.torch_releases:
        if not release.verified or not release.torchvision:
            continue
        low, high = V.major_minor(release.python_min), V.major_minor(release.python_max)
        if low is None or high is None:
            continue
        pythons = [f"{low[0]}.{minor}" for minor in range(high[1], low[1] - 1, -1)]
        pythons = [p for p in pythons if m.has_wheel(release, p, platform)]
        if pythons:
            return next((p for p in pythons if p in d2l_ok), pythons[0])
    return None
