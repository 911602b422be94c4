"""Fake `torch` packages written into a folder: put the folder on PYTHONPATH (ahead of site-packages) or
into a venv's site-packages, and the payload imports them instead of the real one.

Modes: "segfault" (the import kills the interpreter with SIGSEGV), "hang" (the import sleeps for ten minutes),
"old-driver" (a CUDA 12.4 build on a machine whose driver is too old: is_available() warns and says False),
"cuda-segfault" (imports fine; is_available() kills the interpreter).
"""

from __future__ import annotations

from pathlib import Path

SEGFAULT = "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"
HANG = "import time\ntime.sleep(600)\n"

_CUDA_BUILD = """\
import types
__version__ = "2.5.1+cu124"
version = types.SimpleNamespace(cuda="12.4", hip=None)
_C = types.SimpleNamespace(_cuda_getArchFlags=lambda: "sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90")
from . import backends, cuda
"""
_CUDA_MODULE = """\
import os, signal, warnings
def is_available():
    if {crash}:
        os.kill(os.getpid(), signal.SIGSEGV)
    warnings.warn("CUDA initialization: The NVIDIA driver on your system is too old (found version 11040). "
                  "Please update your GPU driver.")
    return False
def device_count():
    return 0
def get_arch_list():
    return []  # what the real one answers whenever no GPU is usable
"""


def write_fake_torch(root: Path, mode: str) -> Path:
    """A fake torch package under root; returns root (the folder to put on the path)."""
    package = root / "torch"
    package.mkdir(parents=True)
    if mode in ("segfault", "hang"):
        (package / "__init__.py").write_text(SEGFAULT if mode == "segfault" else HANG)
        return root
    if mode not in ("old-driver", "cuda-segfault"):
        raise ValueError(f"unknown fake torch mode {mode!r}")
    (package / "__init__.py").write_text(_CUDA_BUILD)
    (package / "cuda.py").write_text(_CUDA_MODULE.format(crash=mode == "cuda-segfault"))
    (package / "backends").mkdir()
    (package / "backends" / "__init__.py").write_text("from . import cudnn\n")
    (package / "backends" / "cudnn.py").write_text("def version():\n    return 90100\n")
    return root
