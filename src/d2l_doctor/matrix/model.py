"""The Matrix: the validated tables of compat_matrix.yaml and the questions the rules ask of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from d2l_doctor.matrix import tables as T
from d2l_doctor.matrix import versions as V
from d2l_doctor.matrix.gpus import GpuIndex
from d2l_doctor.matrix.messages import MessageTable


@dataclass(frozen=True)
class DriverVerdict:
    """Whether a driver runs code built with a CUDA version."""

    ok: Optional[bool]  # None: the facts cannot tell
    via: Optional[str] = None  # "max-cuda" (driver's max CUDA >= it) | "minor-compat" (same major, floor met)
    needed: Optional[str] = None  # the driver that would be enough (the minor-compat floor, else Table 3)
    driver_max_cuda: Optional[str] = None


@dataclass(frozen=True)
class ArchFloor:
    """The oldest compute capability in any known arch list, and the list it comes from."""

    cc: str  # "2.0"
    cc_tuple: tuple[int, int]
    row: T.ArchList


@dataclass(frozen=True)
class Matrix:
    path: Path
    reviewed: str  # "2026-12-06": when the facts were last checked against their sources
    pytorch_index: str
    index_styles: tuple[T.IndexStyle, ...]
    torch_releases: tuple[T.TorchRelease, ...]  # newest first
    platforms: tuple[T.Platform, ...]
    no_wheels: tuple[T.NoWheels, ...]
    toolkit_drivers: tuple[T.ToolkitDriver, ...]
    minor_compat_since: int
    compat_floors: tuple[T.CompatFloor, ...]
    arch_names: tuple[T.ArchName, ...]
    binary_compat_verified: bool
    arch_lists: tuple[T.ArchList, ...]
    cudnn_rows: tuple[T.CudnnRow, ...]
    cudnn_encoding_verified: bool
    cudnn_wheels_from: str  # pip torch from this release on loads cuDNN from an nvidia-cudnn-cuXX wheel
    d2l: T.D2lTables
    breakages: Mapping[str, T.Breakage]
    numpy2_rows: tuple[T.Numpy2Row, ...]
    mirrors: Mapping[str, T.Mirror]
    links: Mapping[str, str]
    gpu_models: tuple[T.GpuModel, ...]
    gpu_index: GpuIndex
    # what the tools print and what it proves (matrix/messages.py): one table for reports, imports and smoke-gpu
    messages: MessageTable = MessageTable()

    # ---- the PyTorch wheel index ---------------------------------------------------------------------
    def pytorch_index_url(self, variant: str) -> str:
        return f"{self.pytorch_index}/{variant}"

    def index_style(self, torch_version: str) -> T.IndexStyle:
        """How variant wheels of this torch install: index-url (2.0+), extra-index-url (1.11-1.13),
        find-links (older)."""
        version = V.parse(V.base_version(torch_version))
        for style in sorted(self.index_styles, key=lambda s: V.sort_key(s.since), reverse=True):
            if version is not None and version >= V.sort_key(style.since):
                return style
        return self.index_styles[-1]

    # ---- torch releases ------------------------------------------------------------------------------
    def torch_release(self, version: Optional[str]) -> Optional[T.TorchRelease]:
        base = V.parse(V.base_version(version))
        if base is None:
            return None
        return next((r for r in self.torch_releases if V.parse(r.version) == base), None)

    def release_for_torchvision(self, torchvision: Optional[str]) -> Optional[T.TorchRelease]:
        """The torch that this torchvision release was made for (its primary pairing first)."""
        base = V.parse(V.base_version(torchvision))
        if base is None:
            return None
        return self._release_for(base, lambda r: (r.torchvision,), lambda r: r.torchvision_also)

    def release_for_torchaudio(self, torchaudio: Optional[str]) -> Optional[T.TorchRelease]:
        base = V.parse(V.base_version(torchaudio))
        if base is None:
            return None
        return self._release_for(base, lambda r: (r.torchaudio,), lambda r: r.torchaudio_also)

    def _release_for(self, base: object, primary: Any, also: Any) -> Optional[T.TorchRelease]:
        """The release that pins it, else the oldest release that admits it (a `torch>=X` companion was built
        for X, the oldest torch it admits)."""
        for release in self.torch_releases:
            if any(V.parse(v) == base for v in primary(release) if v):
                return release
        for release in reversed(self.torch_releases):
            if any(V.parse(v) == base for v in also(release) if v):
                return release
        return None

    def newest_known_torch(self) -> str:
        return self.torch_releases[0].version

    # ---- platforms -----------------------------------------------------------------------------------
    def platform_for(self, os_name: Optional[str], machine: Optional[str]) -> Optional[T.Platform]:
        os_name = _os_name(os_name)
        mach = (machine or "").lower()
        return next((p for p in self.platforms if p.os == os_name and mach in p.machines), None)

    def no_wheels_for(self, os_name: Optional[str], bits: Optional[int]) -> Optional[T.NoWheels]:
        os_name = _os_name(os_name)
        return next((n for n in self.no_wheels if n.os == os_name and n.bits == bits), None)

    def has_wheel(self, release: T.TorchRelease, python: str, platform: T.Platform) -> bool:
        """Whether release has a wheel for this Python (major.minor) on this platform."""
        if not V.in_range(python, release.python_min, release.python_max):
            return False
        version = V.parse(release.version)
        first = V.parse(platform.first_torch.get(V.python_mm(python) or "", ""))
        if first is not None and version is not None and version < first:
            return False
        last = V.parse(platform.last_torch)
        return not (last is not None and version is not None and version > last)

    # ---- drivers -------------------------------------------------------------------------------------
    def min_driver(self, cuda: str, os_name: Optional[str]) -> Optional[str]:
        """Table 3: the oldest driver listed for this CUDA major.minor on this OS (None: not listed / N/A)."""
        mm = V.major_minor(cuda)
        col = "windows" if _os_name(os_name) == "windows" else "linux"
        found: list[str] = [
            getattr(r, col) for r in self.toolkit_drivers if V.major_minor(r.cuda) == mm and getattr(r, col)
        ]
        return min(found, key=V.sort_key) if found else None

    def compat_floor(self, major: int, os_name: Optional[str]) -> Optional[str]:
        if major < self.minor_compat_since:
            return None
        col = "windows" if _os_name(os_name) == "windows" else "linux"
        return next((getattr(f, col) for f in self.compat_floors if f.major == major), None)

    def driver_max_cuda(self, driver_version: Optional[str], os_name: Optional[str]) -> Optional[str]:
        """The newest CUDA whose Table 3 driver this driver meets (when NVML's own answer is not known)."""
        driver = V.parse(driver_version)
        if driver is None:
            return None
        best: Optional[tuple[int, int]] = None
        for row in self.toolkit_drivers:
            needed = self.min_driver(row.cuda, os_name)
            mm = V.major_minor(row.cuda)
            if needed and mm and driver >= V.sort_key(needed) and (best is None or mm > best):
                best = mm
        return f"{best[0]}.{best[1]}" if best else None

    def driver_runs(
        self, driver_version: Optional[str], driver_cuda: Optional[str], cuda: str, os_name: Optional[str]
    ) -> DriverVerdict:
        """Whether a driver (version, and its max CUDA when known) runs code built with `cuda` (e.g. torch's
        torch.version.cuda): max CUDA >= it, or minor-version compatibility (same major >= 11, driver >=
        the floor of that major)."""
        want = V.major_minor(cuda)
        if want is None:
            return DriverVerdict(None)
        max_cuda = driver_cuda or self.driver_max_cuda(driver_version, os_name)
        have = V.major_minor(max_cuda)
        floor = self.compat_floor(want[0], os_name)
        needed = floor or self.min_driver(cuda, os_name)
        if have is not None and have >= want:
            return DriverVerdict(True, "max-cuda", needed, max_cuda)
        driver = V.parse(driver_version)
        if floor and driver is not None:
            if driver >= V.sort_key(floor):
                return DriverVerdict(True, "minor-compat", needed, max_cuda)
            return DriverVerdict(False, None, needed, max_cuda)
        if have is not None:  # no minor compatibility before CUDA 11: max CUDA decides
            return DriverVerdict(False, None, needed, max_cuda)
        if floor is None and needed and driver is not None and driver < V.sort_key(needed):
            # Older than every Table 3 row it could meet (so no max CUDA): before CUDA 11 the toolkit's row is
            # the minimum, and this driver is below it.
            return DriverVerdict(False, None, needed, max_cuda)
        return DriverVerdict(None, None, needed, max_cuda)

    # ---- architectures and cuDNN ---------------------------------------------------------------------
    def arch_list(
        self, torch_version: Optional[str], variant: Optional[str], channel: str = "pip"
    ) -> Optional[T.ArchList]:
        """The arch list of a torch build: pip wheels (download.pytorch.org / PyPI) or conda packages."""
        if not torch_version or not variant:
            return None
        return next(
            (
                a
                for a in self.arch_lists
                if a.channel == channel
                and variant in a.variants
                and V.specifier_contains(a.torch, torch_version)
            ),
            None,
        )

    def arch_floor(self) -> Optional[ArchFloor]:
        """The oldest compute capability that any torch build the matrix knows (pip or conda) has code for:
        a GPU below it has no torch at all. Each list's lowest entry counts (PTX compute_XY serves XY and up:
        nothing older)."""
        best: Optional[ArchFloor] = None
        for row in self.arch_lists:
            ccs = [parsed[1] for parsed in (V.arch_cc(a) for a in row.archs) if parsed is not None]
            if ccs and (best is None or min(ccs) < best.cc_tuple):
                low = min(ccs)
                best = ArchFloor(f"{low[0]}.{low[1]}", low, row)
        return best

    def below_every_arch_list(self, cc: Optional[str]) -> bool:
        """No torch build the matrix knows has code for this compute capability: it is older than all."""
        target, floor = V.cc_tuple(cc), self.arch_floor()
        return target is not None and floor is not None and target < floor.cc_tuple

    def arch_name(self, cc: Optional[str]) -> Optional[str]:
        target = V.cc_tuple(cc)
        if target is None:
            return None
        best: Optional[tuple[tuple[int, int], str]] = None
        for arch in self.arch_names:
            for known in arch.ccs:
                k = V.cc_tuple(known)
                if k == target:
                    return arch.name
                if k and k[0] == target[0] and k < target and (best is None or k > best[0]):
                    best = (k, arch.name)
        return best[1] if best else None

    def cudnn_from_wheel(self, torch_version: str) -> bool:
        """Whether pip's torch of this release takes cuDNN from the nvidia-cudnn-cu<major> wheel (else bundled)."""
        return V.sort_key(V.base_version(torch_version)) >= V.sort_key(self.cudnn_wheels_from)

    def expected_cudnn(self, torch_version: Optional[str], variant: Optional[str]) -> Optional[T.CudnnRow]:
        if not torch_version or not variant:
            return None
        return next(
            (
                c
                for c in self.cudnn_rows
                if variant in c.variants and V.specifier_contains(c.torch, torch_version)
            ),
            None,
        )

    # ---- breakages -----------------------------------------------------------------------------------
    def breakage(self, name: str) -> T.Breakage:
        return self.breakages[name]

    def numpy2_breaks(self, torch_version: Optional[str], os_name: Optional[str]) -> bool:
        """torch built against NumPy 1.x on this OS (it breaks with NumPy >= 2). With the OS unknown, only
        the rows that hold on every OS count."""
        name = _os_name(os_name)
        every = {"linux", "windows", "darwin"}
        return any(
            (name in row.os if name in every else every <= set(row.os))
            and V.specifier_contains(row.torch, torch_version)
            for row in self.numpy2_rows
        )

    # ---- d2l -----------------------------------------------------------------------------------------
    def d2l_release(self, version: Optional[str]) -> Optional[T.D2lRelease]:
        base = V.parse(version)
        return next((r for r in self.d2l.releases if V.parse(r.version) == base), None) if base else None

    def link(self, key: str) -> str:
        return self.links[key]

    # ---- GPUs ----------------------------------------------------------------------------------------
    def gpu_model(self, name: Optional[str]) -> Optional[T.GpuModel]:
        return self.gpu_index.find(name)

    def gpu_capability(self, name: Optional[str]) -> Optional[str]:
        model = self.gpu_index.find(name)
        return model.cc if model else None

    def gpu_peak(self, name: Optional[str]) -> Optional[T.GpuPeak]:
        model = self.gpu_index.find(name)
        return model.peak if model else None


def _os_name(os_name: Optional[str]) -> str:
    """Host.os / sys.platform spellings to the matrix's: linux | windows | darwin."""
    text = (os_name or "").lower()
    if text.startswith("win"):
        return "windows"
    if text in ("darwin", "macos", "mac", "osx"):
        return "darwin"
    return "linux" if text.startswith("linux") else text
