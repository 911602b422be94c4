"""`python -m d2l_doctor.matrix refresh` against a package index on 127.0.0.1: torch's file list (PEP 503 HTML),
torchvision's project page as PEP 691 JSON with PEP 658 .metadata files, torchaudio's without them (the metadata
is read from the wheel itself). The diff names exactly the facts the index contradicts or adds."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from d2l_doctor.matrix import load_matrix
from d2l_doctor.matrix.refresh import compare, derive
from tests.support.wheels import build_wheel, fake_package_files, metadata_text

JSON_TYPE = "application/vnd.pypi.simple.v1+json"


class _Index(http.server.SimpleHTTPRequestHandler):
    """A static index: a project folder's index.json answers a PEP 691 request, its index.html any other."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
        folder = Path(self.translate_path(self.path))
        if (
            self.path.endswith("/")
            and JSON_TYPE in self.headers.get("Accept", "")
            and (folder / "index.json").is_file()
        ):
            body = (folder / "index.json").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Index, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple"
    finally:
        server.shutdown()
        server.server_close()


def _torch_page(root: Path, rows: list[tuple[str, str, list[str]]]) -> None:
    """torch's PEP 503 page: (version, requires_python, tags) per release; the wheels need not exist."""
    links = []
    for version, requires_python, tags in rows:
        for tag in tags:
            name = f"torch-{version}-{tag}.whl"
            rp = requires_python.replace(">", "&gt;").replace("<", "&lt;")
            links.append(f'<a href="../../files/{name}" data-requires-python="{rp}">{name}</a><br/>')
    page = root / "simple" / "torch"
    page.mkdir(parents=True)
    (page / "index.html").write_text("<html><body>\n" + "\n".join(links) + "\n</body></html>\n")


def _linux(*pythons: str) -> list[str]:
    return [f"cp{p}-cp{p}-manylinux_2_28_x86_64" for p in pythons]


def _companion(root: Path, name: str, rows: list[tuple[str, list[str]]], *, as_json: bool) -> None:
    """A companion's wheels (real tiny ones) and its project page: JSON with .metadata files, or HTML without."""
    files = root / "files"
    page = root / "simple" / name
    page.mkdir(parents=True)
    entries, links = [], []
    for version, requires in rows:
        wheel = build_wheel(
            files,
            name,
            version,
            fake_package_files(name, version),
            requires=requires,
            tag="py3-none-manylinux_2_28_x86_64",
        )
        if as_json:
            (files / f"{wheel.name}.metadata").write_text(metadata_text(name, version, requires))
            entries.append(
                {
                    "filename": wheel.name,
                    "url": f"../../files/{wheel.name}",
                    "hashes": {},
                    "core-metadata": {"sha256": "0" * 64},
                }
            )
        links.append(f'<a href="../../files/{wheel.name}">{wheel.name}</a>')
    if as_json:
        (page / "index.json").write_text(
            json.dumps({"meta": {"api-version": "1.1"}, "name": name, "files": entries})
        )
    (page / "index.html").write_text("<html><body>" + "".join(links) + "</body></html>")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("index")
    _torch_page(
        root,
        [
            ("2.16.0", ">=3.11", _linux("311", "315")),  # newer than the matrix
            ("2.14.1", ">=3.9", _linux("310", "311", "312", "313", "314")),  # the matrix says >=3.10
            ("2.9.0", ">=3.10", _linux("310", "314") + ["cp314-cp314-win_amd64", "cp39-cp39m-win_amd64"]),
            ("2.9.0rc1", ">=3.10", _linux("39")),  # a pre-release: not a release fact
        ],
    )
    _companion(
        root,
        "torchvision",
        [("0.24.0", ["numpy", "torch==2.9.0"]), ("0.29.1", ["torch (>=2.14.0)"])],
        as_json=True,
    )
    _companion(root, "torchaudio", [("2.11.1", ["torch>=2.11"]), ("2.9.0", ["torch==2.9.1"])], as_json=False)
    with serve(root) as url:
        yield url


def test_the_diff_names_what_the_packages_declare_otherwise(index: str) -> None:
    m = load_matrix(None)
    diffs = compare(m, derive(m, index, timeout=10))
    found = {(d.subject, d.field): (d.matrix, d.index) for d in diffs}
    assert found == {
        ("torch 2.16.0", "release"): (None, "Requires-Python >=3.11; Linux x86_64 CPython 3.11-3.15"),
        ("torch 2.14.1", "requires_python"): (">=3.10", ">=3.9"),
        ("torchaudio 2.9.0", "pairs with torch 2.9.0"): ("yes", "no (torch==2.9.1)"),
        ("torchaudio 2.9.0", "pairs with torch 2.9.1"): ("no", "yes (torch==2.9.1)"),
    }
    # Agreements say nothing: torchvision 0.24.0 (JSON + .metadata) and 0.29.1 (torch>=2.14.0 admits
    # 2.14.0-2.15.0), torchaudio 2.11.1 (read from the wheel itself), 2.9.0's Python range and its first win_amd64
    # cp314 wheel; the cp39m wheel has an ABI Python 3.9 lacks, and a pre-release is no release.


def test_the_command_prints_a_reviewable_diff_and_fails(index: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "d2l_doctor.matrix", "refresh", "--index", index, "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    m = load_matrix(None)
    lines = proc.stdout.splitlines()
    assert lines[0] == f"--- compat_matrix.yaml (reviewed {m.reviewed})"
    assert lines[1] == f"+++ {index} (what the packages declare)"
    at = lines.index("@@ torch 2.14.1: requires_python @@")
    assert lines[at + 1 : at + 3] == ["->=3.10", "+>=3.9"]
    assert lines[-1].startswith("4 differences, 3 of them contradicting the matrix")
    assert m.torch_release("2.14.1").requires_python == ">=3.10"  # type: ignore[union-attr]  # never rewritten


def test_an_index_that_agrees_exits_0(tmp_path: Path) -> None:
    _torch_page(tmp_path, [("2.9.0", ">=3.10", _linux("310", "311", "312", "313", "314"))])
    _companion(tmp_path, "torchvision", [("0.24.0", ["torch==2.9.0"])], as_json=True)
    with serve(tmp_path) as url:
        proc = subprocess.run(
            [sys.executable, "-m", "d2l_doctor.matrix", "refresh", "--index", url, "--lang", "zh"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "没有不同：矩阵与软件包自身声明的一致。"


def test_an_unreachable_index_is_one_line_and_exit_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "d2l_doctor.matrix", "refresh", "--index", "http://127.0.0.1:9/simple"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("python -m d2l_doctor.matrix: error: ")
    assert "Traceback" not in proc.stderr
