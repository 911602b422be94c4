"""End to end: a `torch` whose import kills the interpreter (SIGSEGV), and one whose import never returns.
Both live in small venvs without real torch; the doctor must report them and finish."""

from __future__ import annotations

import venv
from pathlib import Path
from typing import Any

import pytest

from tests.check.support import Run, check, evidence_text, requires_core
from tests.support.venvs import Venv

pytestmark = [pytest.mark.venv, requires_core]

SEGFAULT = "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"
SLEEPER = "import time\ntime.sleep(3600)\n"
IMPORT_IDS = ("torch-import-failed", "torch-import-crashed")


def fake_torch_venv(root: Path, body: str) -> Venv:
    """A venv (no pip needed) whose site-packages holds a `torch` 2.13.0 package made of body."""
    venv.EnvBuilder(with_pip=False, clear=True).create(root)
    env = Venv(root)
    site = env.site_packages
    (site / "torch").mkdir()
    (site / "torch" / "__init__.py").write_text(body, encoding="utf-8")
    dist = site / "torch-2.13.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: torch\nVersion: 2.13.0\n", encoding="utf-8")
    (dist / "RECORD").write_text("", encoding="utf-8")
    (dist / "INSTALLER").write_text("pip\n", encoding="utf-8")
    return env


def torch_import_error(run: Run) -> dict[str, Any]:
    """The error finding that reports the import of torch (a crash or a hang may have an id of its own)."""
    found = [f for f in run.doc["findings"] if f["id"] in IMPORT_IDS and f["severity"] == "error"]
    assert found, [f["id"] for f in run.doc["findings"]]
    return found[0]


@pytest.fixture(scope="module")
def segfault_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return fake_torch_venv(tmp_path_factory.mktemp("segv") / "venv", SEGFAULT)


@pytest.fixture(scope="module")
def sleeper_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return fake_torch_venv(tmp_path_factory.mktemp("sleep") / "venv", SLEEPER)


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
