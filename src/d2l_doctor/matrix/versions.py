"""Small, lenient helpers over version strings as they appear in snapshots: torch local versions (+cu126),
CUDA variant names, compute capabilities and arch lists. Invalid input gives None, never an exception."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from packaging.version import Version


def parse(text: Optional[str]) -> Optional[Version]:
    from packaging.version import InvalidVersion, Version

    if not text:
        return None
    try:
        return Version(str(text).strip())
    except InvalidVersion:
        return None


def sort_key(text: Optional[str]) -> Version:
    """For sorting version strings; an unparseable one sorts first."""
    from packaging.version import Version

    return parse(text) or Version("0")


def base_version(text: Optional[str]) -> Optional[str]:
    """'2.13.0+cpu' -> '2.13.0'; '2.6.0a0+ecf3bae40a.nv25.01' -> '2.6.0a0'."""
    version = parse(text)
    return version.public if version else None


def local_variant(text: Optional[str]) -> Optional[str]:
    """The build variant in a local version: '2.13.0+cpu' -> 'cpu', '1.12.0+cu102' -> 'cu102', else None."""
    version = parse(text)
    if not version or not version.local:
        return None
    match = re.fullmatch(r"(cpu|cu\d{2,3}|rocm\d+(?:\.\d+)*|xpu)", version.local)
    return match.group(1) if match else None


def variant_cuda(variant: Optional[str]) -> Optional[str]:
    """'cu126' -> '12.6', 'cu92' -> '9.2' (download.pytorch.org: cu + major + one-digit minor)."""
    match = re.fullmatch(r"cu(\d{1,2})(\d)", variant or "")
    return f"{int(match.group(1))}.{match.group(2)}" if match else None


def cuda_variant(cuda: Optional[str]) -> Optional[str]:
    """'12.6' -> 'cu126', '12.6.3' -> 'cu126'."""
    mm = major_minor(cuda)
    return f"cu{mm[0]}{mm[1]}" if mm else None


def major_minor(text: Optional[str]) -> Optional[tuple[int, int]]:
    match = re.match(r"\s*(\d+)(?:\.(\d+))?", str(text) if text is not None else "")
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def cc_tuple(cc: Optional[str]) -> Optional[tuple[int, int]]:
    """'8.6' -> (8, 6); '12.0' -> (12, 0)."""
    match = re.fullmatch(r"\s*(\d+)\.(\d)\s*", str(cc) if cc is not None else "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def arch_cc(arch: str) -> Optional[tuple[str, tuple[int, int], bool]]:
    """'sm_86' -> ('sm', (8, 6), False); 'compute_120' -> ('compute', (12, 0), False); 'sm_90a' ->
    (…, True)."""
    match = re.fullmatch(r"(sm|compute)_(\d{1,2})(\d)([a-z]?)", arch.strip())
    if not match:
        return None
    return match.group(1), (int(match.group(2)), int(match.group(3))), bool(match.group(4))


def arch_coverage(archs: tuple[str, ...], cc: str) -> Optional[str]:
    """How an arch list serves a GPU: 'exact' (a cubin for it), 'binary' (a cubin of the same major and a
    lower minor: forward binary compatibility), 'ptx' (PTX of an older arch, JIT-compiled), or None (no
    kernel image)."""
    target = cc_tuple(cc)
    if target is None:
        return None
    best: Optional[str] = None
    for arch in archs:
        parsed = arch_cc(arch)
        if parsed is None:
            continue
        kind, arch_version, specific = parsed
        if kind == "sm" and arch_version == target:
            return "exact"
        if kind == "sm" and not specific and arch_version[0] == target[0] and arch_version[1] < target[1]:
            best = "binary"
        elif kind == "compute" and arch_version <= target and best is None:
            best = "ptx"
    return best


def python_mm(text: Optional[str]) -> Optional[str]:
    """'3.11.7' -> '3.11'."""
    mm = major_minor(text)
    return f"{mm[0]}.{mm[1]}" if mm else None


def in_range(value: str, low: str, high: str) -> bool:
    """low <= value <= high on major.minor (Python versions)."""
    v, lo, hi = major_minor(value), major_minor(low), major_minor(high)
    return v is not None and lo is not None and hi is not None and lo <= v <= hi


def specifier_contains(spec: str, version: Optional[str]) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    parsed = parse(base_version(version))
    if parsed is None:
        return False
    try:
        return SpecifierSet(spec).contains(parsed, prereleases=True)
    except InvalidSpecifier:
        return False


def short(version: str) -> str:
    """'6.2.0' -> '6.2' (how people write a bound)."""
    parts = version.split(".")
    while len(parts) > 2 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)
