"""At the end of a run that included the hostile-input suite: what it tried and how the doctor ended."""

from __future__ import annotations

from typing import Any

from tests.hostile.harness import TALLY


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TALLY["runs"] or TALLY["commands read back"]:
        figures = ", ".join(f"{value} {name}" for name, value in TALLY.items())
        terminalreporter.write_line(f"hostile inputs: {figures}")
