"""Is the target a conda environment, and what does conda know about it?

Read cheaply from the environment's own files first: `conda-meta/*.json` (one record per package conda
installed) gives the env's platform (subdir) and the packages conda manages, so the fixer uses conda, not pip,
for those. Then `conda info --json` adds the configured channels, within a short timeout that never holds up
the check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Optional

from d2l_doctor import runner
from d2l_doctor.models import CondaInfo

_SUBDIR = re.compile(r'"subdir"\s*:\s*"([^"]+)"')
_CREDENTIALS = re.compile(r"//[^/@\s]+@")  # user:password@ in a channel URL must not reach a report
# Conda package names whose Python distribution is called otherwise (the fixer asks by the pip name).
_PIP_NAMES = {"pytorch": "torch", "pytorch-cpu": "torch", "pytorch-gpu": "torch"}


@dataclass(frozen=True)
class CondaFacts:
    info: Optional[CondaInfo]  # None: the target is not a conda environment
    problem: Optional[str] = None  # why `conda info` could not add its part


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def is_conda_env(prefix: str) -> bool:
    return (Path(prefix) / "conda-meta").is_dir()


def _records(meta: Path) -> list[tuple[str, str, str]]:
    """(name, version, build) of each record, from the file names: `numpy-1.26.4-py311h64a7726_0.json`."""
    records = []
    for path in meta.glob("*.json"):
        parts = path.stem.rsplit("-", 2)
        if len(parts) == 3:
            records.append((parts[0], parts[1], parts[2]))
    return sorted(records)


def managed_packages(records: list[tuple[str, str, str]]) -> tuple[str, ...]:
    names: set[str] = set()
    for name, _, build in records:
        if build.startswith("pypi"):  # pip's packages that conda only lists ("pypi_0")
            continue
        names.add(canonical(name))
        if canonical(name) in _PIP_NAMES:
            names.add(_PIP_NAMES[canonical(name)])
    return tuple(sorted(names))


def env_subdir(meta: Path, records: list[tuple[str, str, str]]) -> Optional[str]:
    """The env's platform from its python record (most others are noarch or agree with it)."""
    ordered = sorted(records, key=lambda r: r[0] != "python")
    for name, version, build in ordered[:20]:
        try:
            text = (meta / f"{name}-{version}-{build}.json").read_text(errors="replace")
        except OSError:
            continue
        match = _SUBDIR.search(text)
        if match and match.group(1) != "noarch":
            return match.group(1)
    return None


def _base_of(prefix: Path, is_base: bool) -> Optional[Path]:
    if is_base:
        return prefix
    if prefix.parent.name == "envs":
        return prefix.parent.parent
    return None


def _conda_exe(env: Mapping[str, str], base: Optional[Path]) -> Optional[str]:
    if env.get("CONDA_EXE"):
        return env["CONDA_EXE"]
    if base is None:
        return None
    for candidate in (
        base / "bin" / "conda",
        base / "Scripts" / "conda.exe",
        base / "condabin" / "conda.bat",
    ):
        if candidate.is_file():
            return str(candidate)
    return None


def _conda_version(base: Optional[Path]) -> Optional[str]:
    if base is None:
        return None
    for name, version, _ in _records(base / "conda-meta"):
        if name == "conda":
            return version
    return None


def _channels(urls: Any) -> tuple[str, ...]:
    """Channel URLs without their subdir suffix and credentials, in conda's order."""
    seen: list[str] = []
    for url in urls if isinstance(urls, list) else []:
        text = _CREDENTIALS.sub("//", str(url)).rstrip("/")
        head, _, tail = text.rpartition("/")
        if head and (tail == "noarch" or re.match(r"^(linux|win|osx)-[0-9a-z_]+$", tail)):
            text = head
        if text not in seen:
            seen.append(text)
    return tuple(seen)


def probe(prefix: str, env: Mapping[str, str], *, timeout: float = 5.0, run_info: bool = True) -> CondaFacts:
    root = Path(prefix)
    meta = root / "conda-meta"
    if not meta.is_dir():
        return CondaFacts(None)
    # The base env holds conda itself (condabin/) and the other envs (envs/).
    is_base = (root / "condabin").is_dir() or (root / "envs").is_dir()
    records = _records(meta)
    base = _base_of(root, is_base)
    info = CondaInfo(
        env_name="base" if is_base else root.name,
        prefix=str(root),
        is_base=is_base,
        platform=env_subdir(meta, records),
        conda_version=_conda_version(base),
        conda_exe=_conda_exe(env, base),
        managed=managed_packages(records),
    )
    if not run_info or info.conda_exe is None:
        return CondaFacts(info)
    result = runner.run([info.conda_exe, "info", "--json"], timeout, env)
    if not result.ok:
        why = (
            f"timed out after {timeout:g} s"
            if result.timed_out
            else (result.error or f"exit {result.returncode}")
        )
        return CondaFacts(info, f"conda info --json: {why}")
    try:
        data = json.loads(result.stdout)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return CondaFacts(info, "conda info --json: not a JSON object")
    return CondaFacts(
        replace(
            info,
            platform=info.platform or data.get("platform"),
            conda_version=data.get("conda_version") or info.conda_version,
            channels=_channels(data.get("channels")),
        )
    )
