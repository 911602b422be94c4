"""CUDA toolkits (every nvcc to be found) and system cuDNN headers.

These matter only for compiling extensions: pip and conda builds of torch carry their own CUDA runtime.
Toolkits are deduplicated by real path; an `nvcc` that is only a wrapper script (e.g. /usr/local/bin/nvcc
exec-ing the real one) counts once, as the toolkit it runs.
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from d2l_doctor import runner
from d2l_doctor.models import CudaToolkit, Cudnn

_NVCC_RELEASE = re.compile(r"release (\d+\.\d+)")
_VERSION_TXT = re.compile(r"CUDA Version (\d+\.\d+)")
_CUDNN_DEFINE = re.compile(r"#define\s+CUDNN_(MAJOR|MINOR|PATCHLEVEL)\s+(\d+)")


@dataclass(frozen=True)
class CudaFacts:
    toolkits: tuple[CudaToolkit, ...]
    cudnn: tuple[Cudnn, ...]


def probe(
    env: Mapping[str, str], *, system: Optional[str] = None, fs_root: str = "/", timeout: float = 10.0
) -> CudaFacts:
    """`system` (linux | windows | darwin) and `fs_root` (where /usr lives) are injectable for tests."""
    system = (system or platform.system()).lower()
    roots = toolkit_roots(env, system, fs_root)
    toolkits = find_toolkits(env, system, roots, timeout)
    return CudaFacts(
        toolkits, find_cudnn(env, system, [Path(t.path) for t in toolkits if t.path] + roots, fs_root)
    )


def toolkit_roots(env: Mapping[str, str], system: str, fs_root: str = "/") -> list[Path]:
    """Where toolkits are installed, from the environment and the usual folders."""
    roots: list[Path] = []
    for var in ("CUDA_HOME", "CUDA_PATH"):
        if env.get(var):
            roots.append(Path(env[var]))
    # CUDA_PATH_V12_4, set by each Windows installer.
    roots += [
        Path(env[var]) for var in sorted(env, reverse=True) if var.startswith("CUDA_PATH_V") and env[var]
    ]
    if system == "windows":
        program_files = Path(env.get("ProgramFiles", r"C:\Program Files"))
        roots += sorted((program_files / "NVIDIA GPU Computing Toolkit" / "CUDA").glob("v*"), reverse=True)
    else:
        roots += sorted((Path(fs_root) / "usr" / "local").glob("cuda*"), reverse=True)
    return roots


def _is_toolkit_root(root: Path) -> bool:
    return any(
        p.exists()
        for p in (root / "include" / "cuda.h", root / "version.json", root / "version.txt", root / "nvvm")
    )


def _version_file(root: Path) -> Optional[str]:
    try:
        data = json.loads((root / "version.json").read_text())
        full = str(data["cuda"]["version"])  # {"cuda": {"name": "CUDA SDK", "version": "12.4.1"}, ...}
        return ".".join(full.split(".")[:2])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        match = _VERSION_TXT.search((root / "version.txt").read_text())  # "CUDA Version 10.2.89"
        return match.group(1) if match else None
    except OSError:
        return None


def _nvcc_candidates(env: Mapping[str, str], system: str, roots: list[Path]) -> Iterator[Path]:
    exe = "nvcc.exe" if system == "windows" else "nvcc"
    for folder in env.get("PATH", env.get("Path", "")).split(";" if system == "windows" else ":"):
        if folder:
            yield Path(folder) / exe
    for root in roots:
        yield root / "bin" / exe


def find_toolkits(
    env: Mapping[str, str], system: str, roots: list[Path], timeout: float = 10.0
) -> tuple[CudaToolkit, ...]:
    found: dict[str, CudaToolkit] = {}  # real root -> toolkit
    banners: dict[str, str] = {}  # real root -> `nvcc --version` output, to spot wrapper scripts
    wrappers: list[tuple[CudaToolkit, str]] = []
    seen_nvcc: set[str] = set()
    for nvcc in _nvcc_candidates(env, system, roots):
        if not nvcc.is_file():
            continue
        real = os.path.realpath(nvcc)
        if real in seen_nvcc:
            continue
        seen_nvcc.add(real)
        result = runner.run([str(nvcc), "--version"], timeout, env)
        match = _NVCC_RELEASE.search(result.stdout)
        root = Path(real).parent.parent
        version = match.group(1) if match else _version_file(root)
        if version is None:
            continue
        toolkit = CudaToolkit(version=version, path=str(root), nvcc=str(nvcc))
        if _is_toolkit_root(root):
            found.setdefault(str(root), toolkit)
            banners.setdefault(str(root), result.stdout.strip())
        else:
            wrappers.append((toolkit, result.stdout.strip()))
    for toolkit, banner in wrappers:
        if not banner or banner not in banners.values():
            found.setdefault(toolkit.path or "", toolkit)
    for root in roots:  # a toolkit without nvcc (runtime-only installs) still has a version file
        real = os.path.realpath(root)
        if real not in found and root.is_dir():
            version = _version_file(root)
            if version:
                found[real] = CudaToolkit(version=version, path=real, nvcc=None)
    return tuple(found.values())


def _cudnn_headers(env: Mapping[str, str], system: str, roots: list[Path], fs_root: str) -> Iterator[Path]:
    for root in roots:
        yield root / "include" / "cudnn_version.h"
        yield root / "include" / "cudnn.h"
    if system == "windows":
        # The standalone cuDNN 9 installer: ...\NVIDIA\CUDNN\v9.1\include\12.4\cudnn_version.h
        base = Path(env.get("ProgramFiles", r"C:\Program Files")) / "NVIDIA" / "CUDNN"
        yield from sorted(base.glob("v*/include/*/cudnn_version.h"), reverse=True)
        yield from sorted(base.glob("v*/include/cudnn_version.h"), reverse=True)
    else:
        include = Path(fs_root) / "usr" / "include"
        yield include / "cudnn_version.h"
        yield include / "cudnn.h"
        # Debian/Ubuntu packages: /usr/include/x86_64-linux-gnu/cudnn_version_v9.h
        yield from sorted(include.glob("*-linux-gnu/cudnn_version*.h"), reverse=True)


def parse_cudnn_header(text: str) -> Optional[str]:
    values = dict(_CUDNN_DEFINE.findall(text))
    if "MAJOR" not in values or "MINOR" not in values:
        return None  # cuDNN 8+'s cudnn.h only includes cudnn_version.h
    return f"{values['MAJOR']}.{values['MINOR']}.{values.get('PATCHLEVEL', '0')}"


def find_cudnn(
    env: Mapping[str, str], system: str, roots: list[Path], fs_root: str = "/"
) -> tuple[Cudnn, ...]:
    found: dict[str, Cudnn] = {}
    versions_by_dir: dict[str, str] = {}
    for header in _cudnn_headers(env, system, roots, fs_root):
        real = os.path.realpath(header)
        if real in found or not os.path.isfile(real):
            continue
        try:
            version = parse_cudnn_header(Path(real).read_text(errors="replace"))
        except OSError:
            continue
        folder = os.path.dirname(real)
        if version is None or versions_by_dir.get(folder) == version:  # cudnn.h beside cudnn_version.h
            continue
        versions_by_dir[folder] = version
        found[real] = Cudnn(version=version, path=real)
    return tuple(found.values())
