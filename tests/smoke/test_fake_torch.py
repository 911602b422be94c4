"""A `torch` that kills the interpreter (SIGSEGV) or never returns, in a small venv: the doctor says so
plainly, within the timeout, and keeps what finished before."""

from __future__ import annotations

import os

import pytest

from tests.smoke.support import device_tests, smoke
from tests.support.venvs import Venv, fake_torch_venv

pytestmark = [pytest.mark.venv, pytest.mark.skipif(os.name != "posix", reason="signals are POSIX")]

# Enough of torch for the payload to reach its first test; FAKE_TORCH picks how it goes wrong.
FAKE_TORCH = """
import os, signal, time
__version__ = "2.13.0+fake"
if os.environ.get("FAKE_TORCH") == "hang-import":
    time.sleep(3600)
def device(*args):
    return args
def ones(*args, **kwargs):
    if os.environ.get("FAKE_TORCH") == "hang":
        time.sleep(3600)
    os.kill(os.getpid(), signal.SIGSEGV)
"""


@pytest.fixture(scope="module")
def fake_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return fake_torch_venv(tmp_path_factory.mktemp("fake-torch") / "venv", FAKE_TORCH)


def test_a_segfault_in_a_test_is_a_crash_of_that_test(fake_venv: Venv) -> None:
    run = smoke("--python", str(fake_venv.python), "--device", "cpu", "--json", env={"FAKE_TORCH": "segv"})
    assert run.returncode == 1, run.stderr
    ones_add = device_tests(run, "cpu")["ones_add"]
    assert (ones_add["ok"], ones_add["cause"]["kind"], ones_add["error"]["type"]) == (
        False,
        "crash",
        "SIGSEGV",
    )
    assert "SIGSEGV" in ones_add["detail"]
    assert run.doc["torch"]["version"] == "2.13.0+fake"  # the facts sent before the crash survive


def test_a_hanging_test_is_stopped_at_the_timeout(fake_venv: Venv) -> None:
    args = ("--python", str(fake_venv.python), "--device", "cpu", "--timeout", "5")
    run = smoke(*args, "--json", env={"FAKE_TORCH": "hang"})
    assert run.returncode == 1, run.stderr
    ones_add = device_tests(run, "cpu")["ones_add"]
    assert (ones_add["ok"], ones_add["cause"]["kind"]) == (False, "timeout")
    console = smoke(*args, env={"FAKE_TORCH": "hang"})
    assert console.returncode == 1
    assert "was stopped after" in console.stdout and "ones + ones (the notes' check) on cpu" in console.stdout
    assert "Traceback" not in console.stdout + console.stderr


def test_a_hang_while_importing_torch_is_explained(fake_venv: Venv) -> None:
    run = smoke(
        "--python",
        str(fake_venv.python),
        "--device",
        "cpu",
        "--timeout",
        "5",
        "--json",
        env={"FAKE_TORCH": "hang-import"},
    )
    assert run.returncode == 1, run.stderr
    no_device = run.doc["no_device"]
    assert no_device["kind"] == "timeout" and "import torch" in no_device["message"]
