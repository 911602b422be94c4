"""The typed tables of compat_matrix.yaml: frozen dataclasses, one per kind of row. Versions stay strings
(validated by `packaging` on load); `verified=False` marks facts that may only ever make a warning."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class IndexStyle:
    since: str  # first torch of the era
    style: str  # index-url | extra-index-url | find-links
    url: Optional[str] = None  # find-links: the one page of all wheels (torch_stable.html)


@dataclass(frozen=True)
class TorchRelease:
    version: str
    torchvision: Optional[str]  # the release that pins this torch (None: none released)
    torchaudio: Optional[str]
    requires_python: str  # the wheel's Requires-Python
    python_min: str  # CPython range with Linux x86_64 wheels on PyPI
    python_max: str
    variants: tuple[str, ...]  # wheel indexes on download.pytorch.org
    pypi_variant: Optional[str]  # what plain `pip install torch` gets on Linux x86_64
    torchvision_also: tuple[str, ...] = ()  # other torchvision releases that admit this torch
    torchaudio_also: tuple[str, ...] = ()
    verified: bool = True
    note: Optional[str] = None

    @property
    def torchvisions(self) -> tuple[str, ...]:
        return ((self.torchvision,) if self.torchvision else ()) + self.torchvision_also

    @property
    def torchaudios(self) -> tuple[str, ...]:
        return ((self.torchaudio,) if self.torchaudio else ()) + self.torchaudio_also


@dataclass(frozen=True)
class Platform:
    name: str  # linux-x86_64, windows-x86_64, macos-arm64, macos-x86_64
    os: str  # linux | windows | darwin
    machines: tuple[str, ...]  # platform.machine() values, lower case
    cuda: bool  # CUDA builds of torch exist for it
    pypi_variant: Optional[str]  # None: the release's pypi_variant (Linux); "cpu" on Windows and macOS
    first_torch: Mapping[str, str] = field(default_factory=dict)  # python "3.12" -> oldest torch with a wheel
    last_torch: Optional[str] = None
    note: Optional[str] = None


@dataclass(frozen=True)
class NoWheels:
    os: str
    bits: int
    verified: bool


@dataclass(frozen=True)
class ToolkitDriver:
    toolkit: str  # "12.4 Update 1"
    cuda: str  # "12.4"
    linux: Optional[str]
    windows: Optional[str]
    verified: bool = True  # False: only the driver branch is known (e.g. "615" for R615)
    source: Optional[str] = None  # where the row's own source differs from the table's


@dataclass(frozen=True)
class CompatFloor:
    major: int
    linux: Optional[str]
    windows: Optional[str]


@dataclass(frozen=True)
class ArchName:
    name: str
    ccs: tuple[str, ...]
    last_cuda: Optional[str] = None
    last_driver: Optional[str] = None
    source: Optional[str] = None  # where the row differs from the table's source


@dataclass(frozen=True)
class ArchList:
    torch: str  # specifier on the torch release
    variants: tuple[str, ...]
    archs: tuple[str, ...]  # get_arch_list() notation: sm_86, compute_120
    source: str
    verified: bool = True
    channel: str = "pip"  # pip (download.pytorch.org / PyPI wheels) | conda (the pytorch channel's packages)


@dataclass(frozen=True)
class CudnnRow:
    torch: str
    variants: tuple[str, ...]
    cudnn: str  # "9.10.2.21"
    note: Optional[str] = None


@dataclass(frozen=True)
class D2lRelease:
    version: str
    requires_python: str
    requires: tuple[str, ...]


@dataclass(frozen=True)
class PinWheels:
    pin: str  # "numpy==1.23.5"
    wheels: Mapping[str, str]  # python -> platform letters (L, W, A, X)


@dataclass(frozen=True)
class Edition:
    book: str
    tag: str
    python: str
    d2l: str
    torch: str
    torchvision: str


@dataclass(frozen=True)
class RequirementPolicy:
    """Which unmet requirements stop the book (d2l.requirements in the matrix)."""

    book_stack: tuple[str, ...] = ()  # canonical names of what the book imports
    relaxed: tuple[str, ...] = ()  # requirers whose pins are relaxed: no conflicts, a missing one warns
    conflicts_ignored_on: tuple[str, ...] = ()  # required packages whose version conflicts do not matter


@dataclass(frozen=True)
class UvMirror:
    url: str
    source: str
    verified: bool = True


@dataclass(frozen=True)
class SetupTable:
    """What `setup` installs beside d2l and torch, and the commands that get a Python (argv templates with
    {name} and {version})."""

    notebook: tuple[str, ...] = ("jupyter", "ipykernel")
    conda_python: tuple[str, ...] = ()
    uv_python: tuple[str, ...] = ()
    uv_mirror_setting: str = ""
    uv_mirrors: tuple[UvMirror, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class D2lTables:
    releases: tuple[D2lRelease, ...]
    pin_wheel_pythons: tuple[str, ...]  # the Pythons the pin table was checked for
    pin_wheels: tuple[PinWheels, ...]
    no_deps_packages: tuple[str, ...]
    editions: tuple[Edition, ...]
    source: str
    requirements: RequirementPolicy = RequirementPolicy()
    setup: SetupTable = SetupTable()


@dataclass(frozen=True)
class Breakage:
    """A known incompatibility: its version bounds (keys depend on the breakage) and the error texts that
    show it."""

    name: str
    source: str
    markers: tuple[str, ...]
    bounds: Mapping[str, str] = field(default_factory=dict)
    verified: bool = True


@dataclass(frozen=True)
class Numpy2Row:
    torch: str  # specifier
    os: tuple[str, ...]


@dataclass(frozen=True)
class CondaMirror:
    default_channels: tuple[str, ...]
    custom_channels: Mapping[str, str]
    source: str
    verified: bool = True


@dataclass(frozen=True)
class TorchWheelMirror:
    url_template: str  # contains "{variant}"
    mode: str  # index | find-links
    variants: tuple[str, ...]  # empty: every variant of download.pytorch.org
    source: str
    verified: bool = True

    def serves(self, variant: str) -> bool:
        return not self.variants or variant in self.variants

    def url(self, variant: str) -> str:
        return self.url_template.replace("{variant}", variant)


@dataclass(frozen=True)
class Mirror:
    name: str
    pypi_url: Optional[str]  # None: the user's own pip configuration ("pypi")
    source: str
    conda: Optional[CondaMirror] = None
    pytorch: Optional[TorchWheelMirror] = None
    verified: bool = True


@dataclass(frozen=True)
class GpuPeak:
    fp32_tflops: Optional[float]
    fp16_tflops: Optional[float]
    bf16_tflops: Optional[float]
    memory_bandwidth_gbs: Optional[float]
    source: str


@dataclass(frozen=True)
class GpuModel:
    name: str
    cc: str
    peak: Optional[GpuPeak] = None
