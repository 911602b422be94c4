"""The book's first cell killing the interpreter: `check` still has every fact of the probe (the cell runs in
the probe's process only after its answer is written, its optimizer step in a child) and reports the step that
died, by name and signal, as book-cell-failed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.check.support import check, evidence_text
from tests.support.venvs import Venv, fake_torch_venv, stand_in

pytestmark = [pytest.mark.venv, pytest.mark.skipif(os.name != "posix", reason="signals are POSIX")]

# Enough of torch for the probe and the cell's first two steps; building the model (the optimizer step's
# first line) kills the interpreter, as a broken CUDA or cuDNN build can.
FAKE_TORCH = """
import os, signal, types
__version__ = "2.13.0"
version = types.SimpleNamespace(cuda=None, hip=None)
_C = types.SimpleNamespace()
cuda = types.SimpleNamespace(is_available=lambda: False, device_count=lambda: 0)
backends = types.SimpleNamespace(cudnn=types.SimpleNamespace(version=lambda: None))
def device(name):
    return name
class Tensor:
    def __init__(self, value):
        self.value = value
    def __add__(self, other):
        return Tensor(self.value + other.value)
    def sum(self):
        return 3 * self.value
def ones(shape, device=None):
    return Tensor(1.0)
def _die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGSEGV)
nn = types.SimpleNamespace(Linear=_die)
"""
FAKE_D2L = "from d2l import torch  # noqa: F401\n"
FAKE_D2L_TORCH = "import torch\ndef try_gpu(i=0):\n    return torch.device('cpu')\n"


def with_d2l(env: Venv, init: str = FAKE_D2L) -> Venv:
    stand_in(env.site_packages, "d2l", init, "1.0.3")
    (env.site_packages / "d2l" / "torch.py").write_text(FAKE_D2L_TORCH, encoding="utf-8")
    return env


@pytest.fixture(scope="module")
def crashing_cell(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return with_d2l(fake_torch_venv(tmp_path_factory.mktemp("crash-cell") / "venv", FAKE_TORCH, "2.13.0"))


def test_a_cell_that_kills_the_interpreter_keeps_the_probe_and_names_the_step(crashing_cell: Venv) -> None:
    run = check("--python", str(crashing_cell.python), "--json")
    assert run.returncode == 1, run.output
    snapshot = run.doc["snapshot"]
    assert snapshot["python"]["executable"] == str(crashing_cell.python)
    assert snapshot["packages"]["torch"] == "2.13.0" and snapshot["packages"]["d2l"] == "1.0.3"
    assert snapshot["imports"]["torch"]["ok"] is True
    steps = {s["name"]: s for s in snapshot["book"]}
    assert steps["import d2l"]["ok"] and steps["tensor"]["ok"]
    died = steps["optimizer step"]
    assert (died["ok"], died["signal"]) == (False, "SIGSEGV"), steps
    cell = run.findings()["book-cell-failed"]
    assert cell["severity"] == "error" and cell["params"]["step"] == "optimizer step"
    assert "SIGSEGV" in evidence_text(cell)
    if sys.platform.startswith("linux"):  # the step ran in a forked child: the cell went on to the plot
        assert steps["plot"]["error_type"] == "ModuleNotFoundError", steps


def test_an_import_of_d2l_that_kills_the_interpreter_costs_no_fact(tmp_path: Path) -> None:
    killer = "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"
    env = with_d2l(fake_torch_venv(tmp_path / "venv", FAKE_TORCH, "2.13.0"), killer)
    run = check("--python", str(env.python), "--json")
    assert run.returncode == 1, run.output
    snapshot = run.doc["snapshot"]
    assert snapshot["imports"]["torch"]["ok"] is True and snapshot["packages"]["d2l"] == "1.0.3"
    assert "target" not in snapshot["problems"], snapshot["problems"]
    (died,) = [s for s in snapshot["book"] if s["name"] == "import d2l"]
    assert (died["ok"], died["signal"]) == (False, "SIGSEGV")
    cell = run.findings()["book-cell-failed"]
    assert cell["params"]["step"] == "import d2l"
