"""Run plan steps: each an argv list through `runner.stream` (never a shell), its output streamed to a
display (fixes/progress.py), stopping at the first step that fails.

pip runs bounded: a dead host costs seconds (`--timeout`, `--retries` through pip's environment variables,
so the command shown is the command that runs), it never asks (stdin is closed), and where pip can print its
download progress as lines (24.1 and later) it does, so a 2 GB wheel shows how far it has come.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Callable, Optional, Protocol

from d2l_doctor import runner
from d2l_doctor.fixes.shell import quote_argv
from d2l_doctor.models import PlanStep

# A CUDA torch wheel is 2-3 GB: on a slow mirror one step may take long, but never forever.
STEP_TIMEOUT_S = 3600.0
PIP_TIMEOUT_S = 15  # per connection attempt: pip's default is 15 too, but a user's config may raise it
PIP_RETRIES = 1  # pip's default of 5 retries turns a dead host into a minute of waiting
_TAIL_LINES = 15
# pip must not stop to ask (stdin is closed) nor spend time on its own version check.
STEP_ENV = {
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_INPUT": "1",
    "PYTHONUNBUFFERED": "1",
    "PIP_TIMEOUT": str(PIP_TIMEOUT_S),
    "PIP_DEFAULT_TIMEOUT": str(PIP_TIMEOUT_S),
    "PIP_RETRIES": str(PIP_RETRIES),
}
RAW_PROGRESS_PIP = (24, 1)  # `--progress-bar raw`: "Progress 1048576 of 2147483648" lines

Stream = Callable[..., runner.CmdResult]


@dataclass(frozen=True)
class StepOutcome:
    step: PlanStep
    returncode: Optional[int]
    seconds: float
    tail: tuple[str, ...] = ()  # the last lines of its output
    timed_out: bool = False
    error: Optional[str] = None  # why it could not start

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass(frozen=True)
class Execution:
    done: tuple[StepOutcome, ...]
    failed: Optional[StepOutcome] = None

    @property
    def ok(self) -> bool:
        return self.failed is None


class StepDisplay(Protocol):
    lang: str

    def start(self, index: int, total: int, command: str) -> None: ...
    def line(self, text: str) -> None: ...
    def finish(self, outcome: StepOutcome) -> None: ...
    def note(self, text: str, style: str = "") -> None: ...
    def close(self) -> None: ...


class Executor:
    """Runs steps, numbered across calls (a run of several transactions counts its steps once)."""

    def __init__(
        self,
        display: StepDisplay,
        *,
        shell: str,
        total: int,
        stream: Stream = runner.stream,
        timeout: float = STEP_TIMEOUT_S,
        env: Optional[Mapping[str, str]] = None,
        on_child: Optional[Callable[[Optional[int]], None]] = None,
        pip_version: Optional[str] = None,
    ) -> None:
        self.display, self.shell, self.total = display, shell, total
        self.stream, self.timeout, self.on_child = stream, timeout, on_child
        self.env = {**(os.environ if env is None else env), **STEP_ENV, **_progress_env(pip_version)}
        self.number = 0

    def run(self, steps: Sequence[PlanStep]) -> Execution:
        done: list[StepOutcome] = []
        for step in steps:
            self.total = max(self.total, self.number + 1)
            self.display.start(self.number, self.total, quote_argv(step.argv, self.shell))
            self.number += 1
            if self.on_child is not None:
                result = self.stream(step.argv, self.display.line, self.timeout, self.env, self.on_child)
                self.on_child(None)
            else:
                result = self.stream(step.argv, self.display.line, self.timeout, self.env)
            tail = tuple(result.stdout.splitlines()[-_TAIL_LINES:])
            outcome = StepOutcome(step, result.returncode, result.seconds, tail, result.timed_out, result.error)
            self.display.finish(outcome)
            if not outcome.ok:
                return Execution(tuple(done), outcome)
            done.append(outcome)
        return Execution(tuple(done))


def execute(
    steps: Sequence[PlanStep],
    display: StepDisplay,
    *,
    shell: str,
    stream: Stream = runner.stream,
    timeout: float = STEP_TIMEOUT_S,
    env: Optional[Mapping[str, str]] = None,
) -> Execution:
    """Run steps in order, stopping at the first that fails; the display is closed at the end."""
    try:
        return Executor(display, shell=shell, total=len(steps), stream=stream, timeout=timeout, env=env).run(steps)
    finally:
        display.close()


def _progress_env(pip_version: Optional[str]) -> dict[str, str]:
    try:
        major, minor = (int(x) for x in (pip_version or "").split(".")[:2])
    except ValueError:
        return {}
    return {"PIP_PROGRESS_BAR": "raw"} if (major, minor) >= RAW_PROGRESS_PIP else {}
