"""Package hosts on 127.0.0.1 that misbehave as the real ones do behind a firewall: a port that refuses, a
server that accepts and never answers, a slow one, a "PyTorch index" that serves the wrong wheel; and small
wheels built here (a stand-in torchvision 0.28.0+cpu), so that no test needs download.pytorch.org."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.fix.servers import _running, build_simple_index, serve_directory


@contextlib.contextmanager
def refusing() -> Iterator[str]:
    """A base URL whose port refuses connections."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nobody listens there now
    yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def silent() -> Iterator[str]:
    """A base URL whose server accepts every connection and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        server.close()


@contextlib.contextmanager
def slow_directory(root: Path, seconds: float) -> Iterator[str]:
    """Serve root as serve_directory does, but stretch every wheel's download over `seconds`: the window in
    which a test interrupts pip."""

    class Slow(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def copyfile(self, source: Any, outputfile: Any) -> None:
            if not self.path.endswith(".whl"):
                return super().copyfile(source, outputfile)
            data = source.read()
            chunks = 20
            size = max(1, len(data) // chunks + 1)
            for i in range(0, len(data), size):
                outputfile.write(data[i : i + size])
                outputfile.flush()
                time.sleep(seconds / chunks)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    with _running(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)) as base:
        yield base


def wheel(folder: Path, name: str, version: str, body: str) -> Path:
    """A pure-Python wheel of package `name` whose __init__ is body (RECORD with hashes, as pip checks)."""
    dist = f"{name}-{version}"
    path = folder / f"{name}-{version}-py3-none-any.whl"
    files = {
        f"{name}/__init__.py": body.encode(),
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: d2l-doctor-tests\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = []
    for arc, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{arc},sha256={digest},{len(data)}")
    record.append(f"{dist}.dist-info/RECORD,,")
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for arc, data in files.items():
            zf.writestr(arc, data)
        zf.writestr(f"{dist}.dist-info/RECORD", "\n".join(record) + "\n")
    return path


@contextlib.contextmanager
def torch_index(root: Path, wheels: list[Path], variant: str = "cpu") -> Iterator[str]:
    """A "PyTorch index" (…/whl/<variant>/<project>/) serving these wheels; yields the …/whl base URL."""
    folder = root / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    for w in wheels:
        shutil.copy2(w, folder / w.name)
    simple = build_simple_index(folder, root / "site")
    target = root / "site" / "whl" / variant
    target.parent.mkdir(parents=True, exist_ok=True)
    simple.rename(target)
    with serve_directory(root / "site") as base:
        yield f"{base}/whl"
