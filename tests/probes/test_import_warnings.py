"""What an import prints (Python warnings, text Python code writes to stderr) becomes ImportResult.warnings:
for real, in a venv whose fake torch behaves like a torch built against NumPy 1 meeting NumPy 2."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from d2l_doctor.probes import target
from tests.check.support import check
from tests.support.venvs import Venv, fake_torch_venv

# What NumPy 2 writes to stderr when a module compiled against NumPy 1 asks for its C API (then raises), and the
# warning torch turns that into (compat-facts 7.11). C code writing to fd 2 must stay out of the record.
TORCH_ON_NUMPY_2 = '''\
import os, sys, warnings
sys.stderr.write("""
A module that was compiled using NumPy 1.x cannot be run in
NumPy 2.0.0 as it may crash. To support both 1.x and 2.x
versions of NumPy, modules must be compiled with NumPy 2.0.

Traceback (most recent call last):  File "/home/ada/venv/lib/python3.11/site-packages/torch/__init__.py", line 1
    from torch._C import *
AttributeError: _ARRAY_API not found
""")
os.write(2, b"C-level chatter on fd 2\\n")
for _ in range(3):  # the same warning again and again: kept once
    warnings.warn("Failed to initialize NumPy: _ARRAY_API not found (Triggered internally at numpy.cpp:84.)")
warnings.warn("pkg_resources is deprecated", DeprecationWarning)  # a plain session does not show it
__version__ = "2.5.0a0+git1234"
import types
version = types.SimpleNamespace(cuda=None, hip=None)
_C = types.SimpleNamespace()
'''
ARRAY_API = (
    "UserWarning: Failed to initialize NumPy: _ARRAY_API not found (Triggered internally at numpy.cpp:84.)"
)
NUMPY_SAYS = (
    "A module that was compiled using NumPy 1.x cannot be run in NumPy 2.0.0 as it may crash. To support both "
    "1.x and 2.x versions of NumPy, modules must be compiled with NumPy 2.0."
)


@pytest.fixture(scope="module")
def numpy1_torch_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return fake_torch_venv(
        tmp_path_factory.mktemp("np1") / "venv", TORCH_ON_NUMPY_2, version="2.5.0a0+git1234"
    )


def test_warnings_and_stderr_text_of_an_import_are_kept(numpy1_torch_venv: Venv) -> None:
    facts = target.probe(str(numpy1_torch_venv.python), "--python", 60, dict(os.environ))
    torch = facts.imports["torch"]
    assert torch.ok
    assert torch.warnings == (ARRAY_API, NUMPY_SAYS, "AttributeError: _ARRAY_API not found")
    # The imports that printed nothing say nothing.
    assert all(r.warnings == () for name, r in facts.imports.items() if name != "torch")


def test_check_names_numpy_abi_from_what_import_torch_printed(numpy1_torch_venv: Venv) -> None:
    run = check("--python", str(numpy1_torch_venv.python), "--json")
    assert run.returncode == 1, run.stderr
    [finding] = [f for f in run.doc["findings"] if f["id"] == "numpy-abi-mismatch"]
    assert finding["severity"] == "error"
    assert finding["evidence"]["import torch"] == ARRAY_API
    assert run.doc["snapshot"]["imports"]["torch"]["warnings"][0] == ARRAY_API


def test_a_failing_import_keeps_what_it_printed_before_it_failed(tmp_path: Path) -> None:
    body = (
        "import sys, warnings\n"
        "warnings.warn('Failed to load image Python extension: libjpeg.so.8', UserWarning)\n"
        "sys.stderr.write('x' * 1000 + '\\n')\n"
        "raise ImportError('broken')\n"
    )
    (tmp_path / "torchvision").mkdir()
    (tmp_path / "torchvision" / "__init__.py").write_text(body)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    tv = target.probe(sys.executable, "self", 60, env).imports["torchvision"]
    assert (tv.ok, tv.error) == (False, "broken")
    assert tv.warnings == ("UserWarning: Failed to load image Python extension: libjpeg.so.8", "x" * 300)


def test_a_logging_handler_made_in_one_import_counts_for_the_import_that_logs(tmp_path: Path) -> None:
    # numpy's import builds a handler bound to the stand-in stderr; nbconvert's import, later, logs through it.
    (tmp_path / "numpy").mkdir()
    (tmp_path / "numpy" / "__init__.py").write_text(
        "import logging, sys\nLOG = logging.getLogger('fake')\nLOG.addHandler(logging.StreamHandler(sys.stderr))\n"
    )
    (tmp_path / "nbconvert").mkdir()
    (tmp_path / "nbconvert" / "__init__.py").write_text("import numpy\nnumpy.LOG.warning('from nbconvert')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    facts = target.probe(sys.executable, "self", 60, env)
    assert facts.imports["numpy"].warnings == ()
    assert facts.imports["nbconvert"].ok and facts.imports["nbconvert"].warnings == ("from nbconvert",)
