"""Readers of single collect_env values: status words, versions, the OS, GPU names, cuDNN files, packages.

Each takes the text collect_env printed and returns plain facts, or None when the text does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from d2l_doctor.ingest import headings as H

# platform.machine() values, as collect_env prints them after the OS and inside the Python platform string.
MACHINES = ("x86_64", "amd64", "aarch64", "arm64", "ppc64le", "s390x", "i686", "i386", "x86", "armv7l")


def status(value: Optional[str]) -> str:
    """missing (no such heading) | empty | not_collected | na | no_cuda | none | value."""
    if value is None:
        return "missing"
    word = value.strip().rstrip(".").lower()
    if not word:
        return "empty"
    return {
        H.NOT_COLLECTED: "not_collected",
        H.NOT_APPLICABLE: "na",
        H.NO_CUDA: "no_cuda",
        H.NONE: "none",
    }.get(word, "value")


def parse_bool(value: Optional[str]) -> Optional[bool]:
    word = (value or "").strip().lower()
    if word in H.TRUE_WORDS:
        return True
    if word in H.FALSE_WORDS:
        return False
    return None


def leading_version(value: Optional[str], parts: int = 2) -> Optional[str]:
    """The version a value starts with, with at least `parts` numbers: "2.0.1+cu117" -> "2.0.1+cu117"."""
    if not value:
        return None
    match = re.match(r"^v?(\d+(?:\.\d+){" + str(parts - 1) + r",}[\w.+\-]*)", value.strip())
    return match.group(1) if match else None


def major_minor(value: Optional[str]) -> Optional[str]:
    """ "12.4.131" -> "12.4" (nvcc's release), "10.1.243" -> "10.1"."""
    match = re.match(r"^(\d+)\.(\d+)", (value or "").strip())
    return f"{match.group(1)}.{match.group(2)}" if match else None


# ------------------------------------------------------------------------------------------------------------
# Python


@dataclass(frozen=True)
class PythonFacts:
    version: Optional[str]
    bits: Optional[int]
    implementation: str
    from_conda: bool  # sys.version says Anaconda/conda-forge built this interpreter
    machine: Optional[str] = None  # Windows builds name it: "[MSC v.1916 64 bit (AMD64)]"


_RUNTIME_BITS = re.compile(r"\((\d{2})-bit runtime\)")
_MSC_BITS = re.compile(r"\b(32|64) bit \((Intel|AMD64|ARM64|ARM)\)")  # sys.version of Windows builds
_CONDA_BUILD = re.compile(
    r"packaged by (?:Anaconda|conda-forge)|Anaconda, Inc\.|Continuum Analytics", re.IGNORECASE
)


def python_facts(value: Optional[str]) -> PythonFacts:
    text = value or ""
    version = None
    match = re.match(r"^(\d+\.\d+(?:\.\d+)?(?:(?:a|b|rc)\d+)?)", text.strip())
    if match:
        version = match.group(1)
    bits_match = _RUNTIME_BITS.search(text) or _MSC_BITS.search(text)
    msc = _MSC_BITS.search(text)
    # A 64-bit build runs on a machine that platform.machine() calls AMD64/ARM64; a 32-bit build
    # ("Intel") may run on either kind of Windows, so it does not say.
    machine = msc.group(2) if msc and msc.group(1) == "64" else None
    return PythonFacts(
        version=version,
        bits=int(bits_match.group(1)) if bits_match else None,
        implementation="pypy" if "pypy" in text.lower() else "cpython",
        from_conda=bool(_CONDA_BUILD.search(text)),
        machine=machine,
    )


# ------------------------------------------------------------------------------------------------------------
# Host


@dataclass(frozen=True)
class HostFacts:
    os: Optional[str]  # linux | windows | darwin
    os_release: Optional[str]
    machine: Optional[str]
    kernel: Optional[str]
    wsl: bool


def _machine_in(parts: list[str]) -> Optional[int]:
    for index, part in enumerate(parts):
        if part.lower() in MACHINES:
            return index
    return None


def host_facts(os_value: Optional[str], platform_value: Optional[str]) -> HostFacts:
    """From "OS: Ubuntu 22.04.4 LTS (x86_64)" and "Python platform:
    Linux-5.15.0-107-generic-x86_64-with-glibc2.35"."""
    os_text = os_value if status(os_value) == "value" else None
    platform_text = platform_value if status(platform_value) == "value" else None
    release, machine = None, None
    if os_text:
        release = os_text.strip()
        suffix = re.search(r"\s*\(([\w]+)\)\s*$", release)
        if suffix and suffix.group(1).lower() in MACHINES:
            machine = suffix.group(1)
            release = release[: suffix.start()].strip()
    kind, kernel, wsl = None, None, False
    if platform_text:
        parts = platform_text.strip().split("-")
        first = parts[0].lower()
        kind = {"linux": "linux", "windows": "windows", "macos": "darwin", "darwin": "darwin"}.get(first)
        at = _machine_in(parts)
        if at is not None and machine is None:
            machine = parts[at]
        if kind == "linux" and at is not None and at > 1:
            kernel = "-".join(parts[1:at])
        wsl = kind == "linux" and "microsoft" in platform_text.lower()
        if kind == "windows" and release and len(parts) >= 3 and re.match(r"^\d+\.\d+\.\d+$", parts[2]):
            release = f"{release} ({parts[2]})"
    if kind is None and release:
        lower = release.lower()
        if "windows" in lower:
            kind = "windows"
        elif lower.startswith(("mac", "os x")) or "darwin" in lower:
            kind = "darwin"
        else:
            kind = "linux"
    return HostFacts(kind, release, machine, kernel, wsl)


def cpu_facts(block: tuple[str, ...]) -> tuple[Optional[str], Optional[int]]:
    """(model name, logical CPUs) from the CPU section: lscpu ("Model name:", "CPU(s):") or wmic ("Name=")."""
    name, count = None, None
    for line in block:
        key, sep, value = _split(line)
        if not sep or not value:
            continue
        if key.lower() in ("model name", "name") and name is None:
            name = value
        elif key == "CPU(s)" and value.isdigit() and count is None:
            count = int(value)
    if name is None and len(block) == 1 and not _split(block[0])[1]:
        name = block[0]  # macOS: the brand string alone ("Apple M1")
    return name, count


def _split(line: str) -> tuple[str, str, str]:
    match = re.match(r"^([^:=]+?)\s*([:=])\s*(.*)$", line)
    return (match.group(1), match.group(2), match.group(3).strip()) if match else (line, "", "")


# ------------------------------------------------------------------------------------------------------------
# GPUs

_GPU_LINE = re.compile(r"^GPU\s*(\d+)\s*:\s*(.+)$", re.IGNORECASE)
_UUID = re.compile(r"\s*\(UUID:[^)]*\)?", re.IGNORECASE)
_NOT_NVIDIA = re.compile(
    r"\b(AMD|Radeon|Instinct|gfx\d\w*|Intel|Apple)\b|^Device [0-9a-f]{4}$", re.IGNORECASE
)


def gpu_names(value: str, block: tuple[str, ...]) -> list[str]:
    """NVIDIA GPU names from `nvidia-smi -L` lines ("GPU 0: NVIDIA GeForce RTX 3090") or a single name."""
    names: list[str] = []
    lines = ([value] if value else []) + list(block)
    for number, text in enumerate(lines):
        match = _GPU_LINE.match(text)
        if match:
            name = _UUID.sub("", match.group(2)).strip()
        elif number == 0 and value:
            name = _UUID.sub("", value).strip()  # macOS and older scripts print torch.cuda.get_device_name()
        else:
            continue
        if name and re.search(r"[A-Za-z]", name) and not _NOT_NVIDIA.search(name):
            names.append(name)
    return names


# ------------------------------------------------------------------------------------------------------------
# cuDNN: collect_env lists the libcudnn files on the system (ldconfig, `where` in %CUDA_PATH%\bin,
# CUDNN_LIBRARY), not the cuDNN that torch loads (pytorch/pytorch#78489).

_PATH_START = re.compile(r"^(/|[A-Za-z]:[\\/]|\\\\)")
_CUDNN_MAIN = re.compile(
    r"^(?:libcudnn\.so\.(?P<so>[\d.]+)|cudnn64_(?P<dll>\d+)\.dll|libcudnn\.(?P<dylib>[\d.]+)\.dylib)$"
)
_CUDNN_PART = re.compile(
    r"^(?:lib)?cudnn\w*?(?:64_(?P<dll>\d+)\.dll|\.so\.(?P<so>[\d.]+)|\.(?P<dylib>[\d.]+)\.dylib)$"
)


@dataclass(frozen=True)
class CudnnFile:
    version: str
    path: str
    main: bool  # libcudnn.so.* / cudnn64_*.dll, not one of the split libraries of cuDNN 8+


def cudnn_files(value: str, block: tuple[str, ...]) -> list[CudnnFile]:
    paths: list[str] = []
    for text in ([value] if value else []) + list(block):
        text = text.strip()
        if _PATH_START.match(text):
            paths.append(text)
        elif paths and text and " " not in text and ":" not in text:
            paths[-1] += text  # a long Windows path wrapped by the console ("...\bin\cudn" / "n64_7.dll")
    files = []
    for path in paths:
        base = re.split(r"[\\/]", path)[-1]
        main = _CUDNN_MAIN.match(base)
        match = main or _CUDNN_PART.match(base)
        if match:
            version = next(v for v in match.groupdict().values() if v)
            files.append(CudnnFile(version.strip("."), path, main is not None))
    return files


def system_cudnn(files: list[CudnnFile]) -> list[tuple[str, str]]:
    """(version, path) per folder: its main library when there is one, else the first split library."""
    by_folder: dict[str, list[CudnnFile]] = {}
    for f in files:
        by_folder.setdefault(re.split(r"[\\/][^\\/]*$", f.path)[0], []).append(f)
    out = []
    for group in by_folder.values():
        chosen = [f for f in group if f.main] or group
        best = max(chosen, key=lambda f: f.version.count("."))  # "8.9.2" says more than "8"
        out.append((best.version, best.path))
    return out


# ------------------------------------------------------------------------------------------------------------
# Packages

# conda package names that are the doctor's pip names under another name (the pytorch channel).
CONDA_NAMES = {"pytorch": "torch", "pytorch-cpu": "torch", "torchvision-cpu": "torchvision"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def pip_package(text: str) -> Optional[tuple[str, str]]:
    """ "torch==2.0.1+cu117" -> ("torch", "2.0.1+cu117"); None for "name @ url", "-e ..." and status words."""
    match = re.match(r"^([A-Za-z0-9][\w.\-]*)\s*===?\s*(\S+)$", text.strip())
    # pip < 9 (`pip list` before the columns format) printed "torch (0.4.0)"
    match = match or re.match(r"^([A-Za-z0-9][\w.\-]*)\s*\((\d[^)\s]*)\)$", text.strip())
    return (canonical(match.group(1)), match.group(2)) if match else None


@dataclass(frozen=True)
class CondaPackage:
    name: str  # canonical, with the pytorch channel's names mapped: pytorch -> torch
    conda_name: str  # conda's own name, lower case: "pytorch" (what CondaInfo.managed lists)
    version: str
    build: Optional[str]
    channel: Optional[str]  # None: the default channels; "pypi": installed by pip

    @property
    def by_pip(self) -> bool:
        return self.channel == "pypi" or (self.build or "").startswith("pypi_")


def conda_package(text: str) -> Optional[CondaPackage]:
    """A `conda list` row (name, version, build, channel): pytorch 1.13.1 py3.9_cuda11.7_cudnn8_0 pytorch"""
    parts = text.split()
    if len(parts) < 2 or not re.match(r"^\d", parts[1]):
        return None
    name = canonical(parts[0])
    build = parts[2] if len(parts) > 2 else None
    channel = parts[3] if len(parts) > 3 else None
    return CondaPackage(CONDA_NAMES.get(name, name), parts[0].lower(), parts[1], build, channel)


def cudnn_int(version: str) -> Optional[int]:
    """A cuDNN release as torch.backends.cudnn.version() reports it: 8.9.2.26 -> 8902, 9.1.0.70 -> 90100.

    cudnn.h's CUDNN_VERSION is major*1000 + minor*100 + patch up to cuDNN 8, and major*10000 + minor*100 +
    patch from cuDNN 9 on.
    """
    numbers = [int(n) for n in re.findall(r"\d+", version)[:3]]
    if not numbers:
        return None
    major, minor, patch = (numbers + [0, 0])[:3]
    return major * (10000 if major >= 9 else 1000) + minor * 100 + patch
