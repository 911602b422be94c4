"""Which package index a plan goes through: `--mirror NAME|URL|auto`, resolved against the matrix's catalogue.

The catalogue (names, URLs, conda channels, PyTorch wheel mirrors, each with its source) lives in
compat_matrix.yaml; this module only validates a choice, measures the mirrors for `auto`, and picks the
PyTorch wheel index. It reads the catalogue through small Protocols so that it needs neither the matrix loader
nor YAML at import time.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Optional, Protocol
from urllib.parse import urlsplit

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t

AUTO = "auto"
# "pypi" is the user's own pip configuration: no -i, whatever URL the catalogue gives it for measuring.
USER_CONFIG = "pypi"


@dataclass(frozen=True)
class PipIndex:
    """Where pip takes packages from: `-i url` (plus --trusted-host for plain-http loopback servers)."""

    url: str
    trusted_host: Optional[str] = None
    find_links: bool = False  # a flat page of wheels (Aliyun's pytorch-wheels): `-f url` instead of `-i url`

    def args(self) -> tuple[str, ...]:
        out: tuple[str, ...] = ("-f", self.url) if self.find_links else ("-i", self.url)
        if self.trusted_host:
            out += ("--trusted-host", self.trusted_host)
        return out


class CondaMirrorLike(Protocol):
    @property
    def default_channels(self) -> tuple[str, ...]: ...
    @property
    def custom_channels(self) -> Mapping[str, str]: ...


class TorchWheelMirrorLike(Protocol):
    @property
    def url_template(self) -> str: ...  # contains "{variant}"
    @property
    def mode(self) -> str: ...  # "index" | "find-links"
    @property
    def variants(self) -> tuple[str, ...]: ...  # empty: every variant of download.pytorch.org


class MirrorLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def pypi_url(self) -> Optional[str]: ...
    @property
    def conda(self) -> Optional[CondaMirrorLike]: ...
    @property
    def pytorch(self) -> Optional[TorchWheelMirrorLike]: ...


@dataclass(frozen=True)
class MirrorTiming:
    """One mirror's answer to the `auto` measurement."""

    name: str
    url: str  # what was requested
    seconds: Optional[float]  # None: no usable answer
    final_url: Optional[str] = None  # after redirects
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.seconds is not None


@dataclass(frozen=True)
class MirrorChoice:
    label: str  # a catalogue name or the URL given
    pypi: Optional[PipIndex]  # None: the user's own pip configuration
    conda: Optional[CondaMirrorLike] = None
    pytorch: Optional[TorchWheelMirrorLike] = None
    timings: tuple[MirrorTiming, ...] = ()  # `auto`: every mirror measured, fastest first
    auto_fell_back: bool = False  # `auto` found no mirror that answered
    torch_timings: tuple[MirrorTiming, ...] = ()  # `auto`: the PyTorch-wheel mirrors (and the official index)


# A fetch returns (final URL, seconds) or raises; tests inject one, the default uses urllib.
Fetch = Callable[[str, float], tuple[str, float]]


def resolve_mirror(
    spec: str,
    catalogue: Mapping[str, MirrorLike],
    *,
    timeout: float = 3.0,
    fetch: Optional[Fetch] = None,
    lang: str = "en",
    official_torch: Optional[str] = None,
) -> MirrorChoice:
    """`--mirror` → a MirrorChoice. official_torch: the official PyTorch index page `auto` measures beside the
    PyTorch-wheel mirrors. Unknown names and unsafe or malformed URLs are a UsageError naming the
    choices."""
    spec = spec.strip()
    if spec.lower() == AUTO:
        return choose_fastest(catalogue, timeout=timeout, fetch=fetch, official_torch=official_torch)
    if spec.lower() in catalogue:
        return from_catalogue(catalogue[spec.lower()])
    if "://" in spec:
        return MirrorChoice(label=spec, pypi=index_from_url(spec, catalogue, lang))
    raise UsageError(t("fix.mirror.unknown", lang, name=spec, names=_known(catalogue)))


def from_catalogue(mirror: MirrorLike) -> MirrorChoice:
    pypi = None if mirror.name == USER_CONFIG or not mirror.pypi_url else index_at(mirror.pypi_url)
    return MirrorChoice(label=mirror.name, pypi=pypi, conda=mirror.conda, pytorch=mirror.pytorch)


def index_from_url(url: str, catalogue: Mapping[str, MirrorLike], lang: str = "en") -> PipIndex:
    """A PEP 503 `…/simple` URL: https anywhere, plain http only on this machine (then with
    --trusted-host)."""
    names = _known(catalogue)
    if any(c.isspace() for c in url) or any(ord(c) < 32 for c in url):
        raise UsageError(t("fix.mirror.bad_url", lang, url=url.strip(), names=names))
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise UsageError(t("fix.mirror.bad_url", lang, url=url, names=names)) from None
    path_ok = parts.path.rstrip("/").endswith("/simple")
    if not host or not path_ok or parts.query or parts.fragment or parts.username or parts.password:
        raise UsageError(t("fix.mirror.bad_url", lang, url=url, names=names))
    scheme = parts.scheme.lower()
    if scheme == "https":
        return PipIndex(url)
    if scheme == "http":
        if not is_loopback(host):
            raise UsageError(t("fix.mirror.http_remote", lang, url=url, names=names))
        return PipIndex(url, trusted_host=_host_port(host, port))
    raise UsageError(t("fix.mirror.bad_url", lang, url=url, names=names))


def index_at(url: str) -> PipIndex:
    """`-i url`; a plain-http loopback URL (a local mirror, a test's) also gets --trusted-host, which pip
    needs before it reads a page over http. The matrix validates its own URLs."""
    parts = urlsplit(url)
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return PipIndex(url, trusted_host=_host_port(parts.hostname, parts.port))
    return PipIndex(url)


def _host_port(host: str, port: Optional[int]) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port else shown


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def choose_fastest(
    catalogue: Mapping[str, MirrorLike],
    *,
    timeout: float = 3.0,
    fetch: Optional[Fetch] = None,
    official_torch: Optional[str] = None,
) -> MirrorChoice:
    """Measure every mirror at once and take the fastest that answered; with none, the user's own
    configuration. The PyTorch-wheel mirrors are measured too (beside the official index): the fastest that
    answered serves torch, whichever PyPI mirror won."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = pool.submit(measure_torch, catalogue, timeout=timeout, fetch=fetch, official=official_torch)
        timings = measure(catalogue, timeout=timeout, fetch=fetch)
        torch_timings = pending.result()
    answered = [m for m in timings if m.ok]
    if answered:
        base = from_catalogue(catalogue[answered[0].name])
    else:
        fallback = catalogue.get(USER_CONFIG)
        base = from_catalogue(fallback) if fallback is not None else MirrorChoice(label=USER_CONFIG, pypi=None)
    fastest = next((m for m in torch_timings if m.ok), None)
    pytorch = base.pytorch
    label = base.label
    if fastest is not None and fastest.name in catalogue and fastest.name != base.label:
        pytorch = catalogue[fastest.name].pytorch
        label = f"{base.label} + {fastest.name} (PyTorch)"
    elif fastest is not None and fastest.name not in catalogue:
        pytorch = None  # the official index answered first
    return MirrorChoice(label, base.pypi, base.conda, pytorch, tuple(timings), not answered, torch_timings)


def measure_torch(
    catalogue: Mapping[str, MirrorLike],
    *,
    timeout: float = 3.0,
    fetch: Optional[Fetch] = None,
    official: Optional[str] = None,
    variant: str = "cpu",
) -> tuple[MirrorTiming, ...]:
    """Time the `variant` page of every PyTorch-wheel mirror (and of the official index), fastest first."""
    targets = [
        (m.name, m.pytorch.url_template.format(variant=variant))
        for m in catalogue.values()
        if m.pytorch is not None and (not m.pytorch.variants or variant in m.pytorch.variants)
    ]
    if official:
        targets.append((urlsplit(official).netloc or official, official))
    return _timed(targets, timeout, fetch)


def measure(
    catalogue: Mapping[str, MirrorLike], *, timeout: float = 3.0, fetch: Optional[Fetch] = None
) -> tuple[MirrorTiming, ...]:
    """Time a small request (the index page of `pip`) on every mirror that has a URL, concurrently.

    Sorted fastest first; mirrors that failed follow in catalogue order."""
    targets = [(m.name, probe_url(m.pypi_url)) for m in catalogue.values() if m.pypi_url]
    return _timed(targets, timeout, fetch)


def _timed(
    targets: Sequence[tuple[str, str]], timeout: float, fetch: Optional[Fetch]
) -> tuple[MirrorTiming, ...]:
    get = fetch or urllib_fetch
    if not targets:
        return ()

    def one(target: tuple[str, str]) -> MirrorTiming:
        name, url = target
        try:
            final, seconds = get(url, timeout)
        except Exception as exc:  # noqa: BLE001 - any failure is a fact about that mirror
            return MirrorTiming(name, url, None, error=short_error(exc))
        return MirrorTiming(name, url, seconds, final_url=final)

    with ThreadPoolExecutor(max_workers=min(16, len(targets))) as pool:
        results = list(pool.map(one, targets))
    order = {name: i for i, (name, _) in enumerate(targets)}
    return tuple(sorted(results, key=lambda r: (not r.ok, r.seconds or 0.0, order[r.name])))


def probe_url(simple_url: str) -> str:
    # The project page of `pip` is small on every mirror; the /simple/ root lists all of PyPI (tens of MB).
    return simple_url.rstrip("/") + "/pip/"


def urllib_fetch(url: str, timeout: float) -> tuple[str, float]:
    """GET url, following redirects; read the first bytes so a server that stalls mid-answer counts as
    slow."""
    import urllib.request

    start = time.monotonic()
    request = urllib.request.Request(url, headers={"User-Agent": "d2l-doctor (mirror speed test)"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked above
        response.read(16384)
        final = response.geturl()
    return final, time.monotonic() - start


def torch_wheel_index(
    choice: MirrorChoice, variant: Optional[str], official_url: Optional[str]
) -> Optional[PipIndex]:
    """Where torch/torchvision/torchaudio of `variant` come from: the chosen mirror's PyTorch wheel mirror
    where it carries that variant, else the official PyTorch index. Never a PyPI mirror: PyPI's torch is one
    CUDA build on Linux and CPU-only on Windows."""
    mirror = choice.pytorch
    if variant and mirror is not None and (not mirror.variants or variant in mirror.variants):
        url = mirror.url_template.format(variant=variant)
        index = index_at(url)
        return PipIndex(index.url, index.trusted_host, find_links=mirror.mode == "find-links")
    return index_at(official_url) if official_url else None


def _known(catalogue: Mapping[str, MirrorLike]) -> str:
    return ", ".join([*catalogue, AUTO])


def short_error(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)  # URLError wraps the socket error
    text = str(reason if reason is not None else exc) or type(exc).__name__
    code = getattr(exc, "code", None)  # HTTPError: the status says more than its phrase
    if isinstance(code, int):
        text = f"HTTP {code} {text}"
    return " ".join(text.split())[:120]
