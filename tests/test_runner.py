from __future__ import annotations

import sys
from pathlib import Path

from d2l_doctor import runner


def test_run_captures_output_and_code() -> None:
    res = runner.run(
        [sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"], 30
    )
    assert res.returncode == 3 and res.stdout.strip() == "out" and res.stderr.strip() == "err"
    assert not res.ok and not res.timed_out


def test_run_passes_arguments_without_a_shell() -> None:
    tricky = "it's $(echo no) & ; | > x"
    res = runner.run([sys.executable, "-c", "import sys; print(sys.argv[1])", tricky], 30)
    assert res.stdout.rstrip("\n") == tricky


def test_run_times_out_and_kills() -> None:
    res = runner.run([sys.executable, "-c", "import time; time.sleep(30)"], 0.5)
    assert res.timed_out and res.returncode is None and res.seconds < 10


def test_run_reports_a_missing_program() -> None:
    res = runner.run(["/nonexistent/definitely-not-here"], 5)
    assert res.not_found and res.returncode is None


def test_signal_name_of_a_crashed_process() -> None:
    res = runner.run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"], 30)
    assert res.signal_name == "SIGSEGV"


def test_stream_hands_over_each_line() -> None:
    seen: list[str] = []
    res = runner.stream([sys.executable, "-c", "print('a'); print('b')"], seen.append, 30)
    assert res.ok and seen == ["a", "b"]


def test_decode_falls_back_to_gbk() -> None:
    res = runner.run([sys.executable, "-c", "import sys; sys.stdout.buffer.write('显卡'.encode('gbk'))"], 30)
    assert res.stdout == "显卡"


def test_run_hands_over_each_stderr_line_as_it_comes(tmp_path: Path) -> None:
    # The child waits for a file that only the callback writes: the line must arrive while it still runs.
    flag = tmp_path / "seen"
    child = (
        "import os, sys, time\n"
        "print('step one', file=sys.stderr, flush=True)\n"
        f"while not os.path.exists({str(flag)!r}): time.sleep(0.01)\n"
        "print('answer'); print('step two', file=sys.stderr)\n"
    )
    seen: list[str] = []

    def on_line(line: str) -> None:
        seen.append(line)
        flag.write_text("x")

    res = runner.run([sys.executable, "-c", child], 60, on_stderr_line=on_line)
    assert res.ok and not res.timed_out, res.stderr
    assert seen == ["step one", "step two"]
    assert res.stdout == "answer\n" and res.stderr == "step one\nstep two\n"
