"""Hostile reports through every output: nothing from the report reaches the terminal raw, and every command the
doctor prints from the report's strings is, read back by its shell, exactly one command with the planned argv.

Each payload of reports.PAYLOADS goes into every free-text field of a Windows and a Linux report; each report is
shown by `check`, `check -v`, `check --markdown`, `check --json`, `fix` and `fix --json` for bash, cmd and
PowerShell (the doctor's own main() in this process: these are many runs, and none starts a process).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from d2l_doctor.fixes.shell import refusal
from tests.hostile import shells
from tests.hostile.harness import TALLY, assert_bounded, assert_no_raw_controls, invoke
from tests.hostile.reports import MACHINES, PAYLOADS, report_text
from tests.hostile.test_printed_commands import CMD_ENV

CASES = [(machine, name) for machine in MACHINES for name in PAYLOADS]
VIEWS = [
    ["check"],
    ["check", "-v"],
    ["check", "--markdown"],
    ["fix", "--shell", "bash"],
    ["fix", "--shell", "cmd"],
    ["fix", "--shell", "powershell"],
]


def _report(tmp_path: Path, machine: str, name: str) -> str:
    path = tmp_path / f"{machine}-{name}.json"
    path.write_text(report_text(machine, PAYLOADS[name]), encoding="utf-8")
    return str(path)


def _read_back(line: str, shell: str) -> list[str]:
    if shell == "bash":
        return shells.bash_argv(line)
    if shell == "cmd":
        return shells.cmd_argv(line, CMD_ENV)
    legacy, standard = shells.ps_argv(line, "legacy"), shells.ps_argv(line, "standard")
    assert legacy == standard, f"PowerShell 5.1 and 7.3+ would pass different argv: {legacy} vs {standard}"
    return standard


@pytest.mark.parametrize(("machine", "name"), CASES)
def test_a_hostile_report_is_shown_never_obeyed(tmp_path: Path, machine: str, name: str) -> None:
    report = _report(tmp_path, machine, name)
    for view in VIEWS:
        outcome = invoke([*view, "--from-report", report, "--lang", "en"])
        assert_bounded(outcome)
        assert outcome.code in (0, 1), outcome
        assert_no_raw_controls(outcome.stdout)
        assert_no_raw_controls(outcome.stderr)
        assert "MarkupError" not in outcome.stderr


@pytest.mark.parametrize(("machine", "name"), CASES)
def test_json_keeps_the_exact_strings(tmp_path: Path, machine: str, name: str) -> None:
    outcome = invoke(["check", "--json", "--from-report", _report(tmp_path, machine, name), "--lang", "en"])
    assert outcome.code in (0, 1), outcome
    assert_no_raw_controls(outcome.stdout)  # escaped as \\u…, still the same string once parsed
    doc = json.loads(outcome.stdout)
    # schema 2: a problem quoted from the system is the `error` param of ui.why.error, kept exactly
    quoted = [p["params"].get("error") for p in doc["snapshot"]["problems"].values()]
    assert PAYLOADS[name] in quoted


@pytest.mark.parametrize("shell", ["bash", "cmd", "powershell"])
@pytest.mark.parametrize(("machine", "name"), CASES)
def test_every_planned_command_reads_back_as_its_argv(
    tmp_path: Path, machine: str, name: str, shell: str
) -> None:
    report = _report(tmp_path, machine, name)
    outcome = invoke(["fix", "--json", "--shell", shell, "--from-report", report, "--lang", "en"])
    assert outcome.code in (0, 1), outcome
    steps = json.loads(outcome.stdout)["plan"]["steps"]
    assert steps, "the report plans no command: the test would prove nothing"
    for step in steps:
        argv, line = step["argv"], step["command"]
        if not argv:
            continue
        assert_no_raw_controls(line, multiline=False)
        if refusal(argv, shell) is not None:
            TALLY["refused"] += 1
            assert line.startswith("REM " if shell == "cmd" else "# "), line
            continue
        TALLY["commands read back"] += 1
        try:
            assert _read_back(line, shell) == argv, line
        except AssertionError:
            TALLY["injections"] += 1
            raise
