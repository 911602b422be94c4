"""The one place that starts processes: argv lists only, never a shell, always a timeout."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Callable, Optional


@dataclass(frozen=True)
class CmdResult:
    argv: tuple[str, ...]
    returncode: Optional[int]  # None when it never ran (not found) or was killed for the timeout
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False
    not_found: bool = False
    error: Optional[str] = None  # why it could not start
    overflow: bool = False  # it talked past MAX_OUTPUT_BYTES/LINES and was killed

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def signal_name(self) -> Optional[str]:
        """The signal that killed the process (POSIX reports it as a negative return code)."""
        if self.returncode is not None and self.returncode < 0:
            try:
                return signal.Signals(-self.returncode).name
            except ValueError:
                return f"signal {-self.returncode}"
        return None


# What is kept of a child's output. A program that never stops talking (`yes` posing as python) is killed once it
# passes either bound, so the doctor's memory stays bounded whatever the child does.
MAX_OUTPUT_BYTES = 16 * 1024 * 1024  # per stream; the probe's whole answer is well under 1 MiB
MAX_OUTPUT_LINES = 200_000
STREAM_TAIL_LINES = 2000  # stream(): lines (each at most 64 KiB) kept for the result
# After the process exits, how long its pipes may stay open: a grandchild that kept them (a daemon, `setsid`)
# must not hold the doctor until the deadline.
_PIPE_GRACE_S = 1.0
# Every child carries this variable with a value of its own run: what is still alive with it after the run
# (a grandchild that left the process group with setsid) is found and killed.
TAG_VAR = "D2L_DOCTOR_RUN"


class _Capture:
    """Reads one pipe in a thread, keeping at most the bounds; `overflow` says a bound was passed."""

    def __init__(
        self,
        pipe: IO[bytes],
        on_overflow: Callable[[], None],
        on_line: Optional[Callable[[bytes], None]],
        tail: bool = False,
        on_end: Callable[[], None] = lambda: None,
    ):
        # tail (the fixer's steps): every line is handed on, the last ones kept, and a chatty but honest
        # installer is never killed for talking. Otherwise everything is kept, up to the bounds, and each line
        # is still handed to on_line when there is one (a payload's progress markers).
        self.chunks: deque[bytes] | list[bytes] = deque(maxlen=STREAM_TAIL_LINES) if tail else []
        self._tail = tail
        self.size = 0
        self.lines = 0
        self.overflow = False
        self._pipe = pipe
        self._on_overflow = on_overflow
        self._on_line = on_line
        self._on_end = on_end
        self.ended = False  # its pipe reached its end (or overflowed, or broke)
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self) -> None:
        try:
            self._read_all()
        finally:
            self.ended = True
            self._on_end()

    def _read_all(self) -> None:
        read = self._pipe.readline if self._on_line is not None else self._read_chunk
        try:
            while True:
                data = read(65536)
                if not data:
                    return
                if not self._tail and (
                    self.size + len(data) > MAX_OUTPUT_BYTES
                    or self.lines + data.count(b"\n") > MAX_OUTPUT_LINES
                ):
                    self.overflow = True
                    self._on_overflow()
                    return
                self.size += len(data)
                self.lines += data.count(b"\n")
                self.chunks.append(data)
                if self._on_line is not None:
                    self._on_line(data)
        except (OSError, ValueError):  # the pipe was closed under us after the process ended
            return

    def _read_chunk(self, size: int) -> bytes:
        return self._pipe.read1(size) if hasattr(self._pipe, "read1") else self._pipe.read(size)

    def data(self) -> bytes:
        return b"".join(self.chunks)


@dataclass
class Launched:
    """A process started by launch() whose output nobody reads yet: result() collects it."""

    args: tuple[str, ...]
    proc: subprocess.Popen[bytes]
    tag: str
    started: float  # time.monotonic() at the start


def run(
    argv: Sequence[str],
    timeout: float,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
    stdin_text: Optional[str] = None,
    reap_leftovers: bool = False,
    on_stderr_line: Optional[Callable[[str], None]] = None,
) -> CmdResult:
    """Run argv and capture its output, bounded in time and size. Text is decoded leniently: a tool's odd bytes
    never raise here. A child that talks past MAX_OUTPUT_* is killed and its result says `overflow`.
    `reap_leftovers`: afterwards kill whatever this run started that still lives (for programs we do not trust:
    the target interpreter). `on_stderr_line` gets each line of stderr as it comes (a payload's progress), the
    result keeps all of it as without."""
    launched = launch(argv, env, cwd, stdin_text)
    if isinstance(launched, CmdResult):
        return launched
    return result(launched, timeout, reap_leftovers, on_stderr_line)


def launch(
    argv: Sequence[str],
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
    stdin_text: Optional[str] = None,
) -> Launched | CmdResult:
    """Start argv as run() does, without waiting: the CmdResult that says why it could not start, or the
    process for result()."""
    start = time.monotonic()
    args = tuple(str(a) for a in argv)
    stdin = subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL
    tag = secrets.token_hex(8)
    started = _start(args, _tagged(env, tag), cwd, stdin=stdin)
    if isinstance(started, CmdResult):
        return started
    if stdin_text is not None and started.stdin is not None:
        threading.Thread(target=_feed, args=(started.stdin, stdin_text.encode()), daemon=True).start()
    return Launched(args, started, tag, start)


def result(
    launched: Launched,
    timeout: float,
    reap_leftovers: bool = False,
    on_stderr_line: Optional[Callable[[str], None]] = None,
) -> CmdResult:
    """Read a launched process's output until it ends, run()'s bounds applied; `timeout` counts from now."""
    proc = launched.proc
    wake = threading.Event()
    assert proc.stdout is not None and proc.stderr is not None
    out = _Capture(proc.stdout, wake.set, None, on_end=wake.set)
    err_line = None if on_stderr_line is None else (lambda raw: on_stderr_line(_decode(raw).rstrip("\r\n")))
    err = _Capture(proc.stderr, wake.set, err_line, on_end=wake.set)
    timed_out = _wait(proc, timeout, wake, (out, err))
    overflow = out.overflow or err.overflow
    _finish(proc, launched.tag, (out, err), killed=timed_out or overflow)
    if reap_leftovers:
        reap(launched.tag)
    code = None if timed_out or overflow else proc.returncode
    return CmdResult(
        launched.args,
        code,
        _decode(out.data()),
        _decode(err.data()),
        time.monotonic() - launched.started,
        timed_out=timed_out,
        overflow=overflow,
    )


def discard(launched: Launched) -> None:
    """A launched process whose result is not wanted after all: it and everything it started are killed."""
    _kill(launched.proc)
    launched.proc.wait()
    reap(launched.tag)
    for pipe in (launched.proc.stdout, launched.proc.stderr, launched.proc.stdin):
        if pipe is not None:
            try:
                pipe.close()
            except OSError:
                pass


def stream(
    argv: Sequence[str],
    on_line: Callable[[str], None],
    timeout: float,
    env: Optional[Mapping[str, str]] = None,
    on_start: Optional[Callable[[int], None]] = None,
) -> CmdResult:
    """Run argv, handing each line of its combined output to on_line as it comes (for the fixer's progress).

    on_start gets the child's pid (a lock file records it). Ctrl-C (KeyboardInterrupt) in the caller first
    stops the child's whole process group, then propagates: the child runs in a session of its own, so the
    terminal's Ctrl-C never reaches it, and it must not go on changing things after we have gone."""
    start = time.monotonic()
    args = tuple(str(a) for a in argv)
    tag = secrets.token_hex(8)
    started = _start(args, _tagged(env, tag), None, stdin=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    if isinstance(started, CmdResult):
        return started
    proc = started
    if on_start is not None:
        on_start(proc.pid)
    wake = threading.Event()
    assert proc.stdout is not None
    out = _Capture(
        proc.stdout, wake.set, lambda raw: on_line(_decode(raw).rstrip("\r\n")), tail=True, on_end=wake.set
    )
    try:
        timed_out = _wait(proc, timeout, wake, (out,))
    except KeyboardInterrupt:
        stop(proc)
        _finish(proc, tag, (out,), killed=True)
        raise
    _finish(proc, tag, (out,), killed=timed_out or out.overflow)
    text = "\n".join(line.rstrip("\r") for line in _decode(out.data()).splitlines())
    code = None if timed_out or out.overflow else proc.returncode
    return CmdResult(
        args, code, text, "", time.monotonic() - start, timed_out=timed_out, overflow=out.overflow
    )


def _tagged(env: Optional[Mapping[str, str]], tag: str) -> dict[str, str]:
    tagged = dict(os.environ if env is None else env)
    tagged[TAG_VAR] = tag
    return tagged


def _feed(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except OSError:  # it exited without reading: nothing to do
        pass


def _wait(
    proc: subprocess.Popen[bytes], timeout: float, wake: threading.Event, captures: tuple[_Capture, ...]
) -> bool:
    """Wait for the process to end, a capture to overflow (then it is killed) or the deadline; True if it timed
    out. The captures wake this when a pipe ends or overflows: a process that closed its output is about to
    exit, and is waited for at once rather than at the next poll."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        wake.wait(min(left, 0.05))
        wake.clear()
        if any(c.overflow for c in captures):
            return False
        if all(c.ended for c in captures):
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                return True
            return False
        if proc.poll() is not None:
            return False


def _finish(proc: subprocess.Popen[bytes], tag: str, captures: tuple[_Capture, ...], killed: bool) -> None:
    """Kill what must die, close the pipes, and leave no process of this run behind."""
    if killed or proc.poll() is None:
        _kill(proc)
    proc.wait()
    grace = time.monotonic() + _PIPE_GRACE_S
    for capture in captures:
        capture.thread.join(max(0.0, grace - time.monotonic()))
    if any(c.thread.is_alive() for c in captures):
        # Someone still holds our pipes: a descendant outside the process group. Kill what carries our tag.
        reap(tag)
        for capture in captures:
            capture.thread.join(_PIPE_GRACE_S)
    for pipe in (proc.stdout, proc.stderr, proc.stdin):
        if pipe is not None:
            try:
                pipe.close()
            except OSError:
                pass


def reap(tag: str) -> int:
    """Kill every process that still carries this run's tag (a grandchild that escaped with setsid); how many."""
    if os.path.isdir("/proc/self"):
        return _reap_proc(tag)
    import psutil

    killed = 0
    for candidate in psutil.process_iter():
        try:
            if candidate.pid != os.getpid() and candidate.environ().get(TAG_VAR) == tag:
                candidate.kill()
                killed += 1
        except (psutil.Error, OSError):
            continue
    return killed


def _reap_proc(tag: str) -> int:
    """reap() on Linux, from /proc directly: a few milliseconds, where importing psutil alone takes tens (and
    this runs after every target run, on the way to the report)."""
    needle = f"{TAG_VAR}={tag}".encode()
    killed = 0
    unsure = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            found = _environ_has(int(entry), needle)
            if found is None:
                unsure.append(int(entry))
            elif found:
                killed += _kill_pid(int(entry))
    # A process inside execve (a grandchild turning from `setsid` into what it runs) shows no environment for a
    # moment: look at those again, briefly. Kernel threads and zombies never show one and are not counted here.
    for _ in range(20):
        again = []
        for pid in unsure:
            found = _environ_has(pid, needle)
            if found:
                killed += _kill_pid(pid)
            elif found is None and _user_process(pid):
                again.append(pid)
        if not again:
            break
        unsure = again
        time.sleep(0.005)
    return killed


def _environ_has(pid: int, needle: bytes) -> Optional[bool]:
    """Whether the process's environment holds the entry; None when it shows none (or cannot be read)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as handle:
            data = handle.read()
    except OSError:  # gone meanwhile, or another user's
        return False
    return (needle in data.split(b"\0")) if data else None


def _user_process(pid: int) -> bool:
    """A live process of user space: not a kernel thread (PF_KTHREAD), not a zombie, not gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rpartition(b")")[2].split()
        return fields[0] not in (b"Z", b"X") and not int(fields[6]) & 0x00200000
    except (OSError, IndexError, ValueError):
        return False


def _kill_pid(pid: int) -> int:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        return 0
    return 1


def _start(
    args: tuple[str, ...],
    env: Optional[Mapping[str, str]],
    cwd: Optional[str],
    stdin: int,
    stderr: int = subprocess.PIPE,
) -> subprocess.Popen[bytes] | CmdResult:
    """Popen with our defaults, or the CmdResult that says why it could not start."""
    try:
        return subprocess.Popen(
            args,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=os.name == "posix",  # so a timeout can kill the whole process group
        )
    except FileNotFoundError:
        return CmdResult(args, None, "", "", 0.0, not_found=True, error="not found")
    except OSError as exc:
        return CmdResult(args, None, "", "", 0.0, error=str(exc))


def stop(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """Stop a child and everything it started: an interrupt first (pip cleans up after KeyboardInterrupt),
    then, after `grace` seconds or a second Ctrl-C, a kill."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.terminate()
        proc.wait(timeout=grace)
    except (subprocess.TimeoutExpired, KeyboardInterrupt, ProcessLookupError, PermissionError, OSError):
        _kill(proc)
        proc.wait()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        proc.kill()


def _decode(data: Optional[bytes]) -> str:
    if not data:
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows tools answer in the console code page (GBK on Chinese systems).
        for enc in ("gbk", "latin-1"):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                continue
    return data.decode("utf-8", "replace")
