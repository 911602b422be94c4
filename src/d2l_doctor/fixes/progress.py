"""How a run shows its steps: plain lines for pipes, logs and CI; on a terminal a progress bar over the steps
with the step's output scrolling above it. Every line of a step's output is outside text: shown with its
control characters made visible, never as markup. pip's raw progress lines become a percentage."""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, Any, Optional

from d2l_doctor.i18n import t
from d2l_doctor.terminal import isatty
from d2l_doctor.textsafe import visible

if TYPE_CHECKING:
    from d2l_doctor.fixes.executor import StepDisplay, StepOutcome

_PROGRESS = re.compile(r"^Progress (\d+) of (\d+)$")
_PLAIN_EVERY = 10  # a plain display prints every 10th percent of a download


def make_display(out: IO[str], lang: str, *, terminal: Optional[bool] = None) -> StepDisplay:
    """A RichDisplay on a terminal, a PlainDisplay elsewhere."""
    terminal = isatty(out) if terminal is None else terminal
    return RichDisplay(out, lang) if terminal else PlainDisplay(out, lang)


class PlainDisplay:
    """For pipes, logs and CI: a header per step and its output indented, nothing redrawn."""

    def __init__(self, out: IO[str], lang: str) -> None:
        self.out, self.lang = out, lang
        self.shown = -1

    def start(self, index: int, total: int, command: str) -> None:
        self.shown = -1
        self._write(f"[{index + 1}/{total}] {visible(command)}")

    def line(self, text: str) -> None:
        percent = download_percent(text)
        if percent is None:
            self._write(f"    {visible(text)}")
        elif percent // _PLAIN_EVERY > self.shown:
            self.shown = percent // _PLAIN_EVERY
            self._write("    " + t("fix.apply.downloaded", self.lang, percent=percent))

    def note(self, text: str, style: str = "") -> None:
        self._write(text)

    def finish(self, outcome: StepOutcome) -> None:
        key = "fix.apply.step_ok" if outcome.ok else "fix.apply.step_failed"
        self._write(
            "    " + t(key, self.lang, seconds=f"{outcome.seconds:.1f}", code=_code(outcome, self.lang))
        )

    def close(self) -> None:
        self.out.flush()

    def _write(self, text: str) -> None:
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
        self.progress.update(self.task, description=t("fix.apply.running", self.lang))
        self.console.print(Text(f"[{index + 1}/{total}] ", style="bold") + Text(visible(command)))

    def line(self, text: str) -> None:
        from rich.text import Text

        percent = download_percent(text)
        if percent is not None and self.task is not None:
            label = t("fix.apply.downloaded", self.lang, percent=percent)
            self.progress.update(self.task, description=label)
            return
        self.console.print(Text("    " + visible(text), style="dim"))

    def note(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(text, style=style))

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



def download_percent(line: str) -> Optional[int]:
    """pip's `--progress-bar raw` line as a percentage (None for any other line)."""
    match = _PROGRESS.match(line.strip())
    if not match:
        return None
    done, total = int(match.group(1)), int(match.group(2))
    return min(100, done * 100 // total) if total > 0 else None
