"""`smoke-gpu` says which test it is running (on a terminal's stderr), from the payload's own markers, and
leaves no trace of it in the report or in a pipe."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess

import pytest

from d2l_doctor.smoke.progress import SmokeProgress
from tests.smoke.support import marker
from tests.support.doctor import GUARD_S, doctor_argv, user_env
from tests.support.venvs import Venv


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def feed(progress: SmokeProgress, *events: dict[str, object]) -> None:
    for event in events:
        progress.line(marker(**event))


def test_each_test_is_named_with_its_device_then_cleared() -> None:
    err = Terminal()
    progress = SmokeProgress.for_terminal(err, "en")
    assert progress is not None
    feed(
        progress,
        {"event": "start", "device": "", "test": "import torch"},
        {"event": "done", "device": "", "test": "import torch"},
        {"event": "device", "device": "cuda:0", "name": "NVIDIA H100"},
        {"event": "start", "device": "cuda:0", "test": "ones_add"},
        {"event": "start", "device": "cuda:0", "test": "matmul_tflops_fp32"},
        {"event": "start", "device": "cuda:1", "test": "matmul_fp32"},
        {"event": "start", "device": "multi", "test": "p2p cuda:0->cuda:1"},
    )
    progress.line("UserWarning: something torch said")  # not a marker: not for the person waiting
    progress.close()
    shown = [part.strip() for part in err.getvalue().split("\r") if part.strip()]
    assert shown == [
        "Importing torch…",
        "Testing cuda:0 · ones + ones (the notes' check)…",
        "Testing cuda:0 · matmul throughput, float32…",
        "Testing cuda:1 · float32 matmul vs CPU…",
        "Testing across devices · peer-to-peer copy cuda:0->cuda:1…",
    ]
    assert err.getvalue().endswith("\r") and err.getvalue().split("\r")[-2].strip() == ""  # cleared


def test_in_chinese_and_never_in_a_pipe() -> None:
    err = Terminal()
    progress = SmokeProgress.for_terminal(err, "zh")
    assert progress is not None
    feed(progress, {"event": "start", "device": "cuda:0", "test": "conv"})
    assert "正在测试 cuda:0 · 卷积前向与反向…" in err.getvalue()
    assert SmokeProgress.for_terminal(io.StringIO(), "en") is None


def run_on_a_terminal(*args: str) -> tuple[int, str, str]:
    """The doctor with stderr on a pseudo-terminal (a person watching) and stdout in a pipe."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        doctor_argv(*args), stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, env=user_env()
    )
    os.close(slave)
    seen = bytearray()
    while True:  # read the terminal until the doctor closes it (EIO on Linux once the child is gone)
        ready, _, _ = select.select([master], [], [], GUARD_S)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.stdout is not None
    out = proc.stdout.read().decode("utf-8")
    return proc.wait(GUARD_S), out, seen.decode("utf-8", "replace")


@pytest.mark.venv
def test_a_real_cpu_run_names_each_test_on_the_terminal(torch_venv: Venv) -> None:
    code, out, terminal = run_on_a_terminal(
        "smoke-gpu", "--python", str(torch_venv.python), "--device", "cpu", "--size", "64"
    )
    assert code == 0, out + terminal
    for words in ("Importing torch…", "Testing cpu · ones + ones (the notes' check)…", "Testing cpu · LeNet"):
        assert words in terminal, terminal
    assert terminal.endswith("\r") and terminal.split("\r")[-2].strip() == ""  # cleared before the report
    assert "Testing cpu" not in out and "ones + ones (the notes' check)" in out  # the report is on stdout
