"""End to end: a `torch` whose import kills the interpreter (SIGSEGV), and one whose import never returns.
Both live in small venvs without real torch; the doctor must report them and finish."""

from __future__ import annotations

from typing import Any

import pytest

from tests.check.support import Run, check, evidence_text
from tests.fakes.torch_pkg import HANG, SEGFAULT
from tests.support.venvs import Venv, fake_torch_venv

pytestmark = pytest.mark.venv

IMPORT_IDS = ("torch-import-failed", "torch-import-crashed")


def torch_import_error(run: Run) -> dict[str, Any]:
    """The error finding that reports the import of torch (a crash or a hang may have an id of its own)."""
    found = [f for f in run.doc["findings"] if f["id"] in IMPORT_IDS and f["severity"] == "error"]
    assert found, [f["id"] for f in run.doc["findings"]]
    return found[0]


@pytest.fixture(scope="module")
def segfault_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return fake_torch_venv(tmp_path_factory.mktemp("segv") / "venv", SEGFAULT, "2.13.0")


@pytest.fixture(scope="module")
def sleeper_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return fake_torch_venv(tmp_path_factory.mktemp("sleep") / "venv", HANG, "2.13.0")


def test_import_that_segfaults(segfault_venv: Venv) -> None:
    run = check("--python", str(segfault_venv.python), "--json")
    assert run.returncode == 1, run.stderr
    result = run.doc["snapshot"]["imports"]["torch"]
    assert result["ok"] is False and result["signal"] == "SIGSEGV"
    finding = torch_import_error(run)
    assert "SIGSEGV" in evidence_text(finding)
    assert run.doc["snapshot"]["python"]["executable"] == str(segfault_venv.python)
    assert run.doc["snapshot"]["packages"]["torch"] == "2.13.0"


def test_import_that_hangs(sleeper_venv: Venv) -> None:
    run = check("--python", str(sleeper_venv.python), "--json", "--timeout", "5")
    assert run.returncode == 1, run.stderr
    result = run.doc["snapshot"]["imports"]["torch"]
    assert result["ok"] is False and result["timed_out"] is True
    torch_import_error(run)


def test_hang_on_the_console_says_what_hung(sleeper_venv: Venv) -> None:
    run = check("--python", str(sleeper_venv.python), "--timeout", "5", "--lang", "en", "-v")
    assert run.returncode == 1, run.stderr
    assert "import torch: hung: stopped after" in run.stdout
    assert "[✗] PyTorch stack" in run.stdout
