"""The one place that starts processes: argv lists only, never a shell, always a timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Callable, Optional


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


def run(
    argv: Sequence[str],
    timeout: float,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
    stdin_text: Optional[str] = None,
) -> CmdResult:
    """Run argv and capture its output. Text is decoded leniently: a tool's odd bytes never raise here."""
    start = time.monotonic()
    args = tuple(str(a) for a in argv)
    started = _start(args, env, cwd, stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL)
    if isinstance(started, CmdResult):
        return started
    proc = started
    try:
        out, err = proc.communicate(
            input=stdin_text.encode() if stdin_text is not None else None, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        _kill(proc)
        out, err = proc.communicate()
        return CmdResult(args, None, _decode(out), _decode(err), time.monotonic() - start, timed_out=True)
    return CmdResult(args, proc.returncode, _decode(out), _decode(err), time.monotonic() - start)


def stream(
    argv: Sequence[str],
    on_line: Callable[[str], None],
    timeout: float,
    env: Optional[Mapping[str, str]] = None,
) -> CmdResult:
    """Run argv, handing each line of its combined output to on_line as it comes (for the fixer's progress)."""
    import threading

    start = time.monotonic()
    args = tuple(str(a) for a in argv)
    started = _start(args, env, None, stdin=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    if isinstance(started, CmdResult):
        return started
    proc = started
    lines: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = _decode(raw).rstrip("\r\n")
            lines.append(line)
            on_line(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.wait()
        reader.join(5)
        return CmdResult(args, None, "\n".join(lines), "", time.monotonic() - start, timed_out=True)
    reader.join(5)
    return CmdResult(args, proc.returncode, "\n".join(lines), "", time.monotonic() - start)


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
