"""Tiny wheels built for a test: a package with the metadata the test needs (Requires-Dist, Requires-Python) and
a few source files, e.g. a stand-in `torch` 2.16.0 that is not real torch. pip installs them like any wheel."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Optional


def metadata_text(
    name: str, version: str, requires: Sequence[str] = (), requires_python: Optional[str] = None
) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    lines += [f"Requires-Dist: {r}" for r in requires]
    return "\n".join(lines) + "\n"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def build_wheel(
    folder: Path,
    name: str,
    version: str,
    files: Mapping[str, str],
    *,
    requires: Sequence[str] = (),
    requires_python: Optional[str] = None,
    tag: str = "py3-none-any",
) -> Path:
    """A wheel of `name` `version` in folder, holding `files` (path in the wheel -> text); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    dist = f"{name.replace('-', '_')}-{version}"
    info = f"{dist}.dist-info"
    contents = {path: text.encode("utf-8") for path, text in files.items()}
    contents[f"{info}/METADATA"] = metadata_text(name, version, requires, requires_python).encode()
    wheel_tags = "".join(
        f"Tag: {py}-{abi}-{plat}\n"
        for py in tag.split("-")[0].split(".")
        for abi in [tag.split("-")[1]]
        for plat in tag.split("-")[2].split(".")
    )
    contents[f"{info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n{wheel_tags}".encode()
    )
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in contents.items())
    contents[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    path = folder / f"{dist}-{tag}.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in contents.items():
            archive.writestr(member, data)
    return path


# A stand-in torch: imports, says its version, has no CUDA. Enough for the doctor's payload.
FAKE_TORCH = {
    "torch/__init__.py": (
        "import types\n"
        "__version__ = {version!r}\n"
        "version = types.SimpleNamespace(cuda=None, hip=None)\n"
        "_C = types.SimpleNamespace()\n"
        "from . import backends, cuda\n"
    ),
    "torch/cuda.py": (
        "def is_available():\n    return False\n"
        "def device_count():\n    return 0\n"
        "def get_arch_list():\n    return []\n"
    ),
    "torch/backends/__init__.py": "from . import cudnn\n",
    "torch/backends/cudnn.py": "def version():\n    return None\n",
}


def fake_torch_files(version: str) -> dict[str, str]:
    return {path: text.replace("{version!r}", repr(version)) for path, text in FAKE_TORCH.items()}


def fake_package_files(module: str, version: str) -> dict[str, str]:
    return {f"{module}/__init__.py": f"__version__ = {version!r}\n"}
