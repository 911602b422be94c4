"""Headless Chromium (Debian's `chromium`) for the fleet HTML: the DOM after the page's script ran, and a
screenshot at a phone's width. Nothing leaves the machine: the page is a file:// URL and allows no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "chromium is not installed (.ci/run installs Debian's chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _argv(profile: Path, *args: str) -> list[str]:
    return [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
        f"--user-data-dir={profile}", "--disable-dev-shm-usage", *args,
    ]


def dump_dom(page: Path, profile: Path, fragment: str = "") -> str:
    url = page.resolve().as_uri() + fragment
    proc = subprocess.run(_argv(profile, "--dump-dom", url), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc.stdout.decode("utf-8")


def screenshot(page: Path, profile: Path, png: Path, width: int = 412, height: int = 900) -> None:
    proc = subprocess.run(
        _argv(profile, f"--window-size={width},{height}", f"--screenshot={png}", page.resolve().as_uri()),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0 and png.exists(), proc.stderr.decode(errors="replace")[-2000:]


class Table(HTMLParser):
    """The rows of one <table id=...> (cell texts), and whether each row is hidden by an inline style."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.rows: list[tuple[list[str], bool]] = []
        self.tags: list[str] = []
        self._cell: Optional[list[str]] = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "table" and a.get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append(([], "display: none" in (a.get("style") or "")))
        elif self.inside and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1][0].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table(dom: str, table_id: str) -> Table:
    parsed = Table(table_id)
    parsed.feed(dom)
    return parsed


def png_pixels(png: Path) -> tuple[int, int, bytes]:
    """(width, height, the raw scanlines) of a PNG, read with the standard library."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)
