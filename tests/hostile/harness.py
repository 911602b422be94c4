"""Run the doctor as a user would (a child process) and hold the outcome to the hostile-input bounds.

Peak memory is the child's own maximum resident set, read from wait4's rusage for that one child (the rusage of
RUSAGE_CHILDREN would mix every child this test session ever waited for). The doctor is started by a small
trampoline, not forked from pytest itself: Linux carries a forked process's high-water mark over from its parent
through exec, so a child of a test process that once held 500 MB would report 500 MB whatever it used.
The bounds are generous: they must not flake on a loaded 2-core machine,
yet a runaway (a bomb, a flood, a hang) passes them by orders of magnitude.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Optional

import psutil

# What the suite saw, printed at the end of the run (conftest.py): the figures the issue asks for.
TALLY = {
    "runs": 0,
    "clean exits": 0,
    "tracebacks": 0,
    "hangs": 0,
    "commands read back": 0,
    "refused": 0,
    "injections": 0,
}

TIME_BOUND_S = 90.0
MEMORY_BOUND_MB = 500.0
ERROR_PREFIX = "d2l-doctor: error: "

# Run by a fresh, small interpreter: forks and execs argv, waits for it with wait4 and writes that child's peak
# RSS (KiB) to the file named first; dies by the child's signal or exits with its code, so the outcome is the same.
_TRAMPOLINE = """
import os, sys
peak, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(peak, "w") as f:
    f.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.waitstatus_to_exitcode(status))
"""


@dataclass(frozen=True)
class Outcome:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    killed: bool  # ran past the hard limit: a hang

    def __str__(self) -> str:
        return f"{self.args!r}: exit {self.code} in {self.seconds:.1f} s, {self.peak_mb:.0f} MB\n{self.stderr[-2000:]}"


def run_doctor(
    args: Sequence[str],
    stdin: Optional[str] = None,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
    hard_limit: float = TIME_BOUND_S * 2,
) -> Outcome:
    environ = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as box:
        peak_file = os.path.join(box, "peak")
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, peak_file, sys.executable, "-m", "d2l_doctor", *args],
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=environ,
            cwd=cwd,
            start_new_session=True,
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(hard_limit, kill)
        timer.start()
        if stdin is not None:
            assert proc.stdin is not None
            try:
                proc.stdin.write(stdin.encode("utf-8", "surrogateescape"))
                proc.stdin.close()
            except OSError:
                pass
        _, status, _usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        timer.cancel()
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        try:
            with open(peak_file) as f:
                peak_kb = float(f.read())
        except (OSError, ValueError):  # the trampoline itself was killed (a hang): no figure, the hang is the fault
            peak_kb = 0.0
        if sys.platform == "darwin":
            peak_kb /= 1024
        return _count(
            Outcome(
                tuple(args),
                proc.returncode,
                out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"),
                seconds,
                peak_kb / 1024,
                killed.is_set(),
            )
        )


def _count(outcome: Outcome) -> Outcome:
    TALLY["runs"] += 1
    traceback = "Traceback" in outcome.stderr or "Traceback" in outcome.stdout
    TALLY["tracebacks"] += traceback
    TALLY["hangs"] += outcome.killed
    TALLY["clean exits"] += not traceback and not outcome.killed and outcome.code in (0, 1, 2)
    return outcome


def assert_bounded(outcome: Outcome) -> None:
    assert not outcome.killed, f"hang: {outcome}"
    assert outcome.seconds < TIME_BOUND_S, f"too slow: {outcome}"
    assert outcome.peak_mb < MEMORY_BOUND_MB, f"too much memory: {outcome}"
    assert "Traceback" not in outcome.stderr and "Traceback" not in outcome.stdout, f"traceback: {outcome}"


def assert_refused(outcome: Outcome, *words: str) -> str:
    """Exit 2, exactly one line on stderr (the error line), no traceback, bounded; the line is returned."""
    assert_bounded(outcome)
    assert outcome.code == 2, f"expected exit 2: {outcome}"
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), f"not one error line: {outcome}"
    assert_no_raw_controls(lines[0])
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    return lines[0]


def assert_no_raw_controls(text: str, multiline: bool = True) -> None:
    """No ESC, CR, C1 control or bidi override in printed text (newlines and tabs allowed where multiline)."""
    from d2l_doctor.textsafe import visible

    assert visible(text, multiline=multiline) == text, f"raw control characters printed: {text!r}"


def processes_with(marker: str) -> list[psutil.Process]:
    """Live processes whose command line holds marker (a grandchild a test planted)."""
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if any(marker in part for part in proc.info["cmdline"] or ()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def invoke(args: Sequence[str], env: Optional[Mapping[str, str]] = None) -> Outcome:
    """The doctor's own main() in this process (fast, for the many report runs): stdout/stderr as bytes, the
    exit code, the time, and the peak of the Python memory allocated during the run (tracemalloc: this process's
    RSS high-water mark covers every earlier test of the session, so it cannot speak for this one run)."""
    import contextlib
    import io
    import tracemalloc

    from d2l_doctor import cli

    out_b, err_b = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_b, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(err_b, encoding="utf-8", write_through=True)
    saved_env = dict(os.environ)
    os.environ.update({"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})
    start = time.monotonic()
    code = 0
    tracing = not tracemalloc.is_tracing()
    if tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            saved_argv, saved_stdin = sys.argv, sys.stdin
            sys.argv, sys.stdin = ["d2l-doctor", *args], io.StringIO("")
            try:
                cli.main()
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            finally:
                sys.argv, sys.stdin = saved_argv, saved_stdin
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        peak_kb = tracemalloc.get_traced_memory()[1] / 1024
        if tracing:
            tracemalloc.stop()
    seconds = time.monotonic() - start
    return _count(
        Outcome(
            tuple(args),
            code,
            out_b.getvalue().decode("utf-8", "replace"),
            err_b.getvalue().decode("utf-8", "replace"),
            seconds,
            peak_kb / 1024,
            False,
        )
    )
