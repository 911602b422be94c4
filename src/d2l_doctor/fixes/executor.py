"""Run plan steps: each an argv list through `runner.stream` (never a shell), its output streamed under a
progress display (plain lines when the output is not a terminal), stopping at the first step that fails.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Callable, Optional, Protocol

from d2l_doctor import runner
from d2l_doctor.fixes.shell import quote_argv
from d2l_doctor.i18n import t
from d2l_doctor.models import PlanStep
from d2l_doctor.terminal import isatty

# A CUDA torch wheel is 2-3 GB: on a slow mirror one step may take long, but never forever.
STEP_TIMEOUT_S = 3600.0
_TAIL_LINES = 15
# pip must not stop to ask (stdin is closed) nor spend time on its own version check.
STEP_ENV = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1", "PYTHONUNBUFFERED": "1"}

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
    def start(self, index: int, total: int, command: str) -> None: ...
    def line(self, text: str) -> None: ...
    def finish(self, outcome: StepOutcome) -> None: ...
    def close(self) -> None: ...


def execute(
    steps: Sequence[PlanStep],
    display: StepDisplay,
    *,
    shell: str,
    stream: Stream = runner.stream,
    timeout: float = STEP_TIMEOUT_S,
    env: Optional[Mapping[str, str]] = None,
) -> Execution:
    done: list[StepOutcome] = []
    run_env = {**(os.environ if env is None else env), **STEP_ENV}
    try:
        for i, step in enumerate(steps):
            display.start(i, len(steps), quote_argv(step.argv, shell))
            result = stream(step.argv, display.line, timeout, run_env)
            tail = tuple(result.stdout.splitlines()[-_TAIL_LINES:])
            outcome = StepOutcome(
                step, result.returncode, result.seconds, tail, result.timed_out, result.error
            )
            display.finish(outcome)
            if not outcome.ok:
                return Execution(tuple(done), outcome)
            done.append(outcome)
    finally:
        display.close()
    return Execution(tuple(done))


def make_display(out: IO[str], lang: str, *, terminal: Optional[bool] = None) -> StepDisplay:
    terminal = isatty(out) if terminal is None else terminal
    return RichDisplay(out, lang) if terminal else PlainDisplay(out, lang)


class PlainDisplay:
    """For pipes, logs and CI: a header per step and its output indented, nothing redrawn."""

    def __init__(self, out: IO[str], lang: str) -> None:
        self.out, self.lang = out, lang

    def start(self, index: int, total: int, command: str) -> None:
        self._write(f"[{index + 1}/{total}] {command}")

    def line(self, text: str) -> None:
        self._write(f"    {text}")

    def finish(self, outcome: StepOutcome) -> None:
        key = "fix.apply.step_ok" if outcome.ok else "fix.apply.step_failed"
        self._write(
            "    " + t(key, self.lang, seconds=f"{outcome.seconds:.1f}", code=_code(outcome, self.lang))
        )

    def close(self) -> None:
        self.out.flush()

    def _write(self, text: str) -> None:
        from d2l_doctor.textsafe import visible

        text = visible(text, multiline=True)  # a step's output is a tool's words: shown, never obeyed
        try:
            self.out.write(text + "\n")
        except UnicodeEncodeError:
            encoding = getattr(self.out, "encoding", None) or "ascii"
            self.out.write(text.encode(encoding, "replace").decode(encoding) + "\n")
        self.out.flush()


class RichDisplay:
    """A terminal: a progress bar over the steps with a spinner, the step's output scrolling above it."""

    def __init__(self, out: IO[str], lang: str) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        from d2l_doctor.terminal import console

        self.lang = lang
        self.console = console(out)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task: Any = None
        self.progress.start()

    def start(self, index: int, total: int, command: str) -> None:
        from rich.text import Text

        if self.task is None:
            self.task = self.progress.add_task(t("fix.apply.running", self.lang), total=total)
        self.progress.update(self.task, completed=index)
        self.console.print(Text(f"[{index + 1}/{total}] ", style="bold") + Text(command))

    def line(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text("    " + text, style="dim"))

    def finish(self, outcome: StepOutcome) -> None:
        from rich.text import Text

        key = "fix.apply.step_ok" if outcome.ok else "fix.apply.step_failed"
        message = t(key, self.lang, seconds=f"{outcome.seconds:.1f}", code=_code(outcome, self.lang))
        self.console.print(Text("    " + message, style="green" if outcome.ok else "bold red"))
        if outcome.ok and self.task is not None:
            self.progress.advance(self.task)

    def close(self) -> None:
        self.progress.stop()


def _code(outcome: StepOutcome, lang: str) -> str:
    if outcome.timed_out:
        return t("fix.apply.timed_out", lang)
    if outcome.error:
        return outcome.error
    return str(outcome.returncode)

