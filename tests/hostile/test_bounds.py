"""Unbounded work, bounded: deep JSON, numbers past any range, oversized files, YAML alias bombs and absurd
--timeout values each end in exit 2 and one line, within the harness's time and memory bounds (the doctor runs
as a child; its peak RSS is read from wait4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.harness import assert_bounded, assert_refused, run_doctor
from tests.hostile.reports import report_text


def _deep_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def _with_snapshot_value(path: list[str], value: str) -> str:
    doc = json.loads(report_text("linux-venv", "x"))
    target = doc["snapshot"]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "@@VALUE@@"
    return json.dumps(doc).replace('"@@VALUE@@"', value)


REPORTS = {
    "deep-object-100k": _deep_object(100_000),
    "deep-array-in-snapshot": '{"schema_version": 1, "snapshot": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "deep-list-in-problems": _with_snapshot_value(["problems"], "[" * 200 + "]" * 200),
    "ram-1e999": _with_snapshot_value(["host", "ram_mib"], "1e999"),
    "ram-nan": _with_snapshot_value(["host", "ram_mib"], "NaN"),
    "ram-5000-digits": _with_snapshot_value(["host", "ram_mib"], "9" * 5000),
    "bits-minus-infinity": _with_snapshot_value(["python", "bits"], "-Infinity"),
    "oversized": '{"snapshot": {"problems": {"x": "' + "x" * (9 * 1024 * 1024) + '"}}}',
    "fenced-deep": "```json\n" + _deep_object(50_000) + "\n```\n",
}
# Valid JSON with absurd but finite values: read, then shown or refused, never a trace.
ODD_BUT_VALID = {
    "ram-1e308": _with_snapshot_value(["host", "ram_mib"], "1e308"),
    "ram-huge-int": _with_snapshot_value(["host", "ram_mib"], "9" * 4000),
    "bits-negative": _with_snapshot_value(["python", "bits"], "-64"),
    "version-absurd": _with_snapshot_value(["python", "version"], '"99999999999999999999.1"'),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_an_unbounded_report_is_one_line_and_exit_2(tmp_path: Path, name: str) -> None:
    report = tmp_path / "r.json"
    report.write_text(REPORTS[name], encoding="utf-8")
    assert_refused(run_doctor(["check", "--from-report", str(report), "--lang", "en"]))


@pytest.mark.parametrize("name", sorted(ODD_BUT_VALID))
def test_absurd_values_are_shown_or_refused(tmp_path: Path, name: str) -> None:
    report = tmp_path / "r.json"
    report.write_text(ODD_BUT_VALID[name], encoding="utf-8")
    outcome = run_doctor(["check", "--from-report", str(report), "--lang", "en"])
    assert_bounded(outcome)
    if outcome.code == 2:
        assert_refused(outcome)
    else:
        assert outcome.code in (0, 1), outcome


def _alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _merge_bomb(levels: int = 30) -> str:
    lines = ["m0: &m0 {k0: 1}"]
    for i in range(1, levels):
        lines.append(f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], k{i}: 1}}")
    return "\n".join(lines) + "\n"


MATRICES = {
    "alias-bomb": _alias_bomb(),
    "merge-bomb": _merge_bomb(),
    "deep-flow-sequence": "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep-block-mapping": "".join(f"{' ' * i}k{i}:\n" for i in range(3000)) + " " * 3000 + "v: 1\n",
    "oversized": "a: '" + "x" * (5 * 1024 * 1024) + "'\n",
    "binary": "\x00\x01\x02\xff",
}


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_a_hostile_matrix_is_one_line_and_exit_2(tmp_path: Path, name: str) -> None:
    matrix = tmp_path / "m.yaml"
    matrix.write_text(MATRICES[name], encoding="utf-8", errors="surrogateescape")
    assert_refused(run_doctor(["check", "--matrix", str(matrix), "--lang", "en"]))


@pytest.mark.parametrize(
    "value", ["inf", "-inf", "nan", "-1", "0", "1e308", "1e309", "1e-400", "9" * 400, "0x10"]
)
@pytest.mark.parametrize("command", ["check", "smoke-gpu"])
def test_an_absurd_timeout_is_one_line_and_exit_2(command: str, value: str) -> None:
    assert_refused(run_doctor([command, "--timeout", value, "--lang", "en"]), "--timeout")


@pytest.mark.parametrize("name", ["oversized", "deep-object-100k"])
def test_an_unbounded_report_on_stdin_is_one_line_and_exit_2(name: str) -> None:
    assert_refused(run_doctor(["check", "--from-report", "-", "--lang", "en"], stdin=REPORTS[name]))
