"""Running steps: argv lists (never a shell), output streamed, stop at the first failure; confirmation
rules."""

from __future__ import annotations

import io
import sys
from typing import Callable

import pytest

from d2l_doctor.errors import UsageError
from d2l_doctor.fixes.executor import execute
from d2l_doctor.fixes.progress import PlainDisplay, make_display
from d2l_doctor.models import FixAction, FixKind, PlanStep
from d2l_doctor.terminal import confirm

PY = sys.executable


def step(*code: str) -> PlanStep:
    argv = (PY, "-c", *code)
    return PlanStep(FixAction(FixKind.RUN, argv=argv), argv, ("some-finding",))


def test_steps_run_as_argv_and_metacharacters_reach_the_program_untouched() -> None:
    nasty = "it's a $(echo pwned) & dir; `rm -rf x` | y > z"
    out = io.StringIO()
    result = execute(
        [step("import sys; print('arg=' + sys.argv[1])", nasty), step("print('second')")],
        PlainDisplay(out, "en"),
        shell="bash",
    )
    assert result.ok and len(result.done) == 2
    assert f"    arg={nasty}" in out.getvalue().splitlines()
    assert result.done[0].tail == (f"arg={nasty}",)


def test_the_first_failing_step_stops_the_run() -> None:
    out = io.StringIO()
    result = execute(
        [
            step("print('one')"),
            step("import sys; print('boom: no space left'); sys.exit(3)"),
            step("open('never', 'w')"),
        ],
        PlainDisplay(out, "en"),
        shell="bash",
    )
    assert not result.ok and [o.step.argv[2] for o in result.done] == ["print('one')"]
    assert result.failed is not None and result.failed.returncode == 3
    assert result.failed.tail == ("boom: no space left",)
    text = out.getvalue()
    assert "[1/3]" in text and "[2/3]" in text and "[3/3]" not in text and "exit status 3" in text


def test_a_missing_program_is_a_failed_step_not_a_crash() -> None:
    argv = ("/no/such/program", "x")
    result = execute(
        [PlanStep(FixAction(FixKind.RUN, argv=argv), argv, ())],
        PlainDisplay(io.StringIO(), "en"),
        shell="bash",
    )
    assert result.failed is not None and result.failed.error == "not found"


def test_steps_get_a_pip_that_never_prompts() -> None:
    seen = {}

    def fake_stream(argv, on_line, timeout, env):  # type: ignore[no-untyped-def]
        from d2l_doctor.runner import CmdResult

        seen.update(env)
        return CmdResult(tuple(argv), 0, "", "", 0.0)

    execute(
        [step("pass")], PlainDisplay(io.StringIO(), "en"), shell="bash", stream=fake_stream, env={"A": "1"}
    )
    assert seen["A"] == "1" and seen["PIP_NO_INPUT"] == "1"


def test_rich_display_on_a_terminal_streams_the_output() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    display = make_display(out, "zh")
    assert type(display).__name__ == "RichDisplay"
    result = execute([step("print('hello from the step')")], display, shell="bash")
    assert result.ok and "hello from the step" in out.getvalue() and "完成" in out.getvalue()
    assert type(make_display(io.StringIO(), "en")).__name__ == "PlainDisplay"


class _Stdin(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_confirm() -> None:
    assert confirm("Run?", yes=True, lang="en", stdin=_Stdin(False))
    with pytest.raises(UsageError, match="--yes"):
        confirm("Run?", yes=False, lang="en", stdin=_Stdin(False))
    asked: list[str] = []

    def answer(text: str) -> Callable[[str], str]:
        def ask(prompt: str) -> str:
            asked.append(prompt)
            return text

        return ask

    assert confirm("Run?", yes=False, lang="en", stdin=_Stdin(True), ask=answer("y"))
    assert not confirm("Run?", yes=False, lang="en", stdin=_Stdin(True), ask=answer(""))
    assert confirm("运行？", yes=False, lang="zh", stdin=_Stdin(True), ask=answer("是"))
    assert asked[0] == "Run? [y/N] "
