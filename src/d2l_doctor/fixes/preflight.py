"""Before anything changes: ask every host the plan downloads from for the package's own page, all at once,
with a short timeout. A host that does not answer blocks the transactions that need it (they would only fail
after pip's retries, perhaps half-way), and each blocked one gets the way round: a PyTorch-wheel mirror that
serves the same variant and answered, or PyPI through the chosen mirror where PyPI's own torch is the build
this machine needs (Linux with the release's default CUDA variant; Windows and macOS, CPU).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

from d2l_doctor.fixes.conda_steps import requirement_name
from d2l_doctor.fixes.run import Reason
from d2l_doctor.fixes.transaction import Transaction
from d2l_doctor.mirrors import Fetch, MirrorLike, short_error, urllib_fetch
from d2l_doctor.models import PlanStep

PREFLIGHT_TIMEOUT_S = 3.0
OFFICIAL_HOST = "download.pytorch.org"
_VALUE_OPTIONS = {
    "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "-d", "--dest",
    "--timeout", "--retries", "-c", "--constraint", "-r", "--requirement", "--progress-bar", "--platform",
    "--python-version", "--only-binary", "--no-binary", "--prefix", "--target", "--root", "--src",
}  # fmt: skip


@dataclass(frozen=True)
class Source:
    """A page one step downloads from."""

    url: str  # the index (`-i`) or the page of wheels (`-f`)
    mode: str  # index | find-links
    package: Optional[str]  # the first requirement's canonical name: its page is what is asked for

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc or self.url

    @property
    def probe_url(self) -> str:
        if self.mode == "find-links" or not self.package:
            return self.url
        return f"{self.url.rstrip('/')}/{self.package}/"


@dataclass(frozen=True)
class HostCheck:
    url: str  # what was asked
    host: str
    seconds: Optional[float]  # None: no answer
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.seconds is not None


@dataclass(frozen=True)
class WayRound:
    kind: str  # torch-mirror | pypi
    name: str  # the mirror's name, or "pypi"
    url: Optional[str]
    mode: str  # index | find-links
    verified: bool


@dataclass(frozen=True)
class Preflight:
    checks: tuple[HostCheck, ...]
    blocked: Mapping[str, Reason]  # transaction id -> why, with the way round in its params
    seconds: float


def step_sources(step: PlanStep, default_index: Optional[str] = None) -> list[Source]:
    """The pages a pip install/download step reads (none for --no-index). default_index: the index pip uses
    when the step names none (PIP_INDEX_URL); None: the user's own configuration, not asked."""
    argv = step.argv
    if "pip" not in argv or not ({"install", "download"} & set(argv)) or "--no-index" in argv:
        return []
    start = next(i for i, a in enumerate(argv) if a in ("install", "download")) + 1
    indexes: list[tuple[str, str]] = []
    packages: list[str] = []
    i = start
    while i < len(argv):
        arg = argv[i]
        if arg in _VALUE_OPTIONS and i + 1 < len(argv):
            value = argv[i + 1]
            if arg in ("-i", "--index-url", "--extra-index-url"):
                indexes.append((value, "index"))
            elif arg in ("-f", "--find-links"):
                indexes.append((value, "find-links"))
            i += 2
            continue
        if not arg.startswith("-"):
            packages.append(requirement_name(arg))
        i += 1
    if default_index and not any(a in ("-i", "--index-url") for a in argv):
        indexes.append((default_index, "index"))
    first = packages[0] if packages else None
    return [Source(url, mode, first) for url, mode in indexes if url.startswith(("http://", "https://"))]


def run_preflight(
    txs: Sequence[Transaction],
    *,
    default_index: Optional[str],
    catalogue: Mapping[str, MirrorLike],
    pypi_torch_variant: Optional[str],
    chosen_pypi: Optional[str],
    timeout: float = PREFLIGHT_TIMEOUT_S,
    fetch: Optional[Fetch] = None,
) -> Preflight:
    """pypi_torch_variant: the variant PyPI's own torch is for this machine (None: PyPI's is not it)."""
    started = time.monotonic()
    wanted: dict[str, Source] = {}
    for tx in txs:
        for step in tx.steps:
            for source in step_sources(step, default_index):
                wanted.setdefault(source.probe_url, source)
    variants = {s.action.torch_variant for tx in txs for s in tx.steps if s.action.torch_variant}
    candidates = _torch_candidates(catalogue, variants)
    for url in candidates.values():
        wanted.setdefault(url, Source(url, "index", None))
    checks = probe_all(list(wanted.values()), timeout=timeout, fetch=fetch)
    by_url = {c.url: c for c in checks}
    blocked: dict[str, Reason] = {}
    for tx in txs:
        dead = [
            by_url[s.probe_url]
            for step in tx.steps
            for s in step_sources(step, default_index)
            if not by_url[s.probe_url].ok
        ]
        if not dead:
            continue
        variant = next((s.action.torch_variant for s in tx.steps if s.action.torch_variant), None)
        way = way_round(variant, dead[0].host, catalogue, by_url, candidates, pypi_torch_variant, chosen_pypi)
        params = {"host": dead[0].host, "error": dead[0].error or "-", "way": way}
        blocked[tx.id] = Reason("fix.preflight.blocked", params)
    return Preflight(checks, blocked, time.monotonic() - started)


def probe_all(
    sources: Sequence[Source], *, timeout: float = PREFLIGHT_TIMEOUT_S, fetch: Optional[Fetch] = None
) -> tuple[HostCheck, ...]:
    """GET each page at once; an answer within timeout is a live host."""
    get = fetch or urllib_fetch

    def one(source: Source) -> HostCheck:
        try:
            _, seconds = get(source.probe_url, timeout)
        except Exception as exc:  # noqa: BLE001 - any failure is a fact about that host
            return HostCheck(source.probe_url, source.host, None, short_error(exc))
        return HostCheck(source.probe_url, source.host, seconds)

    if not sources:
        return ()
    with ThreadPoolExecutor(max_workers=min(16, len(sources))) as pool:
        return tuple(pool.map(one, sources))


def way_round(
    variant: Optional[str],
    dead_host: str,
    catalogue: Mapping[str, MirrorLike],
    checks: Mapping[str, HostCheck],
    candidates: Mapping[str, str],
    pypi_torch_variant: Optional[str],
    chosen_pypi: Optional[str],
) -> Optional[WayRound]:
    """Where the same wheels can come from when dead_host does not answer (None: nowhere known)."""
    if variant is None:
        return None
    for name, url in candidates.items():
        mirror = catalogue[name].pytorch
        check = checks.get(url)
        if mirror is None or check is None or not check.ok or urlsplit(url).netloc == dead_host:
            continue
        if mirror.variants and variant not in mirror.variants:
            continue
        verified = bool(getattr(mirror, "verified", True)) and bool(getattr(catalogue[name], "verified", True))
        return WayRound("torch-mirror", name, mirror.url_template.format(variant=variant), mirror.mode, verified)
    if pypi_torch_variant == variant:
        return WayRound("pypi", "pypi", chosen_pypi, "index", True)
    return None


def _torch_candidates(catalogue: Mapping[str, MirrorLike], variants: set[str]) -> dict[str, str]:
    """mirror name -> the page to ask, for every PyTorch-wheel mirror that serves a wanted variant."""
    out: dict[str, str] = {}
    for variant in sorted(variants):
        for name, mirror in catalogue.items():
            wheels = mirror.pytorch
            if wheels is None or name in out or (wheels.variants and variant not in wheels.variants):
                continue
            # The variant's own page: a page of wheels, or the index's root, which lists its projects.
            out[name] = wheels.url_template.format(variant=variant)
    return out

