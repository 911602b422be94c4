"""Local HTTP servers on 127.0.0.1 standing in for package mirrors: a folder served as a PEP 503 simple index,
and small servers that answer late, fail, or redirect (for `--mirror auto`)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass


@contextlib.contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve root over http://127.0.0.1:PORT; yields the base URL. A folder's listing is a page of links,
    which is all pip needs from a simple index's project page."""
    handler = functools.partial(_Quiet, directory=str(root))
    with _running(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)) as base:
        yield base


def _behaving(delay: float, status: int, location: Optional[str]) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
            time.sleep(delay)
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            body = b"<html><body><a href='pip-1.0.tar.gz'>pip-1.0.tar.gz</a></body></html>"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


@contextlib.contextmanager
def mirror_server(delay: float = 0.0, status: int = 200, location: Optional[str] = None) -> Iterator[str]:
    """A server answering every GET after `delay` seconds with `status` (and a Location when given)."""
    with _running(
        http.server.ThreadingHTTPServer(("127.0.0.1", 0), _behaving(delay, status, location))
    ) as base:
        yield base


@contextlib.contextmanager
def _running(server: http.server.ThreadingHTTPServer) -> Iterator[str]:
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build_simple_index(wheels: Path, root: Path) -> Path:
    """Lay wheels out as root/simple/<canonical project>/<file>: served by http.server, that is a PEP 503
    index."""
    simple = root / "simple"
    for dist in sorted(wheels.iterdir()):
        if dist.name.endswith(".whl"):
            name = parse_wheel_filename(dist.name)[0]
        elif dist.name.endswith((".tar.gz", ".zip")):
            name = parse_sdist_filename(dist.name)[0]
        else:
            continue
        target = simple / canonicalize_name(name)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(dist, target / dist.name)
    return simple
