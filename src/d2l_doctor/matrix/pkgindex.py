"""A small reader of a Python package index, for the maintainers' `refresh`: a project's files (PEP 691 JSON, else
the PEP 503 HTML page) and each file's core metadata (the PEP 658 `.metadata` file, else the wheel's own METADATA).

Only stdlib networking: the doctor has no HTTP dependency, and this runs on a maintainer's machine or in CI.
"""

from __future__ import annotations

import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from html.parser import HTMLParser
from typing import Any, Optional

from d2l_doctor.errors import UsageError

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
# A wheel is read whole only when its index offers no .metadata file: never a multi-gigabyte torch wheel.
MAX_WHEEL_BYTES = 64 * 1024 * 1024


class PackageIndexError(UsageError):
    """The package index cannot be read (unreachable, not an index, a broken file): one line, exit 2."""

    status: Optional[int] = None  # the HTTP status, when the server answered


@dataclass(frozen=True)
class IndexFile:
    filename: str
    url: str  # absolute
    requires_python: Optional[str]  # PEP 503 data-requires-python / PEP 691 requires-python
    metadata_url: Optional[str]  # PEP 658/714: the file's core metadata, when the index serves it


@dataclass(frozen=True)
class CoreMetadata:
    name: str
    version: str
    requires_python: Optional[str]
    requires_dist: tuple[str, ...]


def _get(url: str, timeout: float, accept: Optional[str] = None, tries: int = 3) -> tuple[bytes, str]:
    """The body and Content-Type of url; a dropped connection or a server error is tried again (CI runs this
    against PyPI, where one lost packet must not fail the build)."""
    for attempt in range(1, tries + 1):
        try:
            return _get_once(url, timeout, accept)
        except PackageIndexError as exc:
            if attempt == tries or (exc.status is not None and exc.status < 500):
                raise
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def _get_once(url: str, timeout: float, accept: Optional[str]) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) index URLs
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        error = PackageIndexError(f"{url}: HTTP {exc.code} {exc.reason}")
        error.status = exc.code
        raise error from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PackageIndexError(f"{url}: {getattr(exc, 'reason', exc)}") from None


def project_files(index_url: str, project: str, timeout: float = 30.0) -> tuple[IndexFile, ...]:
    """Every file the index lists for a project (an absent project: no files)."""
    page = f"{index_url.rstrip('/')}/{project}/"
    try:
        body, content_type = _get(page, timeout, ACCEPT)
    except PackageIndexError as exc:
        if exc.status == 404:
            return ()
        raise
    if content_type.split(";")[0].strip() == JSON_TYPE:
        return _from_json(page, body)
    return _from_html(page, body.decode("utf-8", "replace"))


def _metadata_url(url: str, flag: Any) -> Optional[str]:
    # PEP 658: a value of true or a hash mapping says the .metadata file exists; false or absent says not.
    return url + ".metadata" if flag not in (None, False, "false") else None


def _from_json(page: str, body: bytes) -> tuple[IndexFile, ...]:
    try:
        data = json.loads(body)
        files = data["files"]
    except (ValueError, KeyError, TypeError):
        raise PackageIndexError(f"{page}: not a PEP 691 project page") from None
    out = []
    for item in files:
        if not isinstance(item, dict) or not item.get("filename") or not item.get("url"):
            continue
        url = urllib.parse.urljoin(page, str(item["url"]))
        flag = item.get("core-metadata", item.get("dist-info-metadata"))
        out.append(
            IndexFile(str(item["filename"]), url, item.get("requires-python"), _metadata_url(url, flag))
        )
    return tuple(out)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[str, str, dict[str, Optional[str]]]] = []
        self._open: Optional[dict[str, Optional[str]]] = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if tag == "a":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.anchors.append((self._open.get("href") or "", "".join(self._text).strip(), self._open))
            self._open = None


def _from_html(page: str, text: str) -> tuple[IndexFile, ...]:
    parser = _Anchors()
    parser.feed(text)
    out = []
    for href, label, attrs in parser.anchors:
        if not href:
            continue
        url = urllib.parse.urljoin(page, href).split("#", 1)[0]
        filename = label or urllib.parse.unquote(url.rsplit("/", 1)[-1])
        flag: Any = attrs.get("data-core-metadata", attrs.get("data-dist-info-metadata", None))
        flag = True if flag == "" else flag  # a bare attribute (no value) means "it exists"
        out.append(IndexFile(filename, url, attrs.get("data-requires-python"), _metadata_url(url, flag)))
    return tuple(out)


def core_metadata(file: IndexFile, timeout: float = 30.0) -> CoreMetadata:
    """The file's METADATA: the .metadata file the index serves, else read from the wheel itself."""
    if file.metadata_url:
        body, _ = _get(file.metadata_url, timeout)
        return _parse_metadata(body.decode("utf-8", "replace"), file.metadata_url)
    if not file.filename.endswith(".whl"):
        raise PackageIndexError(f"{file.url}: no .metadata file and not a wheel")
    body, _ = _get(file.url, timeout)
    if len(body) > MAX_WHEEL_BYTES:
        raise PackageIndexError(f"{file.url}: no .metadata file and the wheel is too large to read")
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as wheel:
            name = next(
                n for n in wheel.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")
            )
            return _parse_metadata(wheel.read(name).decode("utf-8", "replace"), file.url)
    except (zipfile.BadZipFile, StopIteration, KeyError):
        raise PackageIndexError(f"{file.url}: not a wheel with a .dist-info/METADATA") from None


def _parse_metadata(text: str, where: str) -> CoreMetadata:
    headers = HeaderParser().parsestr(text)
    name, version = headers.get("Name"), headers.get("Version")
    if not name or not version:
        raise PackageIndexError(f"{where}: metadata without Name and Version")
    return CoreMetadata(
        str(name),
        str(version),
        headers.get("Requires-Python"),
        tuple(str(r) for r in headers.get_all("Requires-Dist") or ()),
    )
