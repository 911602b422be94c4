"""d2l-doctor JSON reports read back into the same Snapshot; foreign or garbled ones are one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from d2l_doctor.errors import UsageError
from d2l_doctor.ingest import read_report
from d2l_doctor.models import SCHEMA_VERSION
from tests.ingest.live_snapshots import LIVE


def _document(snapshot_data: Any, schema_version: Any = SCHEMA_VERSION) -> dict[str, Any]:
    return {
        "schema_version": schema_version,
        "tool_version": "0.1.0",
        "snapshot": snapshot_data,
        "findings": [],
        "exit_code": 0,
    }


def _write(tmp_path: Path, text: str, name: str = "report.json") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", sorted(LIVE))
def test_a_json_report_gives_back_the_snapshot_it_was_written_from(name: str, tmp_path: Path) -> None:
    snapshot = LIVE[name]()
    path = _write(tmp_path, json.dumps(_document(snapshot.to_dict()), indent=2))
    again = read_report(path)
    assert again.source == "d2l-doctor-report"
    assert again.to_dict() | {"source": "live"} == snapshot.to_dict()


def test_a_json_report_pasted_in_a_markdown_fence_is_read(tmp_path: Path) -> None:
    snapshot = LIVE["conda-32bit-windows"]()
    text = "My report:\n\n```json\n" + json.dumps(_document(snapshot.to_dict()), indent=1) + "\n```\nthanks\n"
    again = read_report(_write(tmp_path, text, "post.md"))
    assert again.python == snapshot.python and again.conda == snapshot.conda


@pytest.mark.parametrize("version", [3, 0, "1", None, True])
def test_an_unknown_schema_version_is_one_line_exit_2(version: Any, tmp_path: Path) -> None:
    document = _document(LIVE["healthy-gpu-linux"]().to_dict(), schema_version=version)
    with pytest.raises(UsageError) as info:
        read_report(_write(tmp_path, json.dumps(document)))
    message = str(info.value)
    assert "schema_version" in message and json.dumps(version) in message and "\n" not in message
    assert info.value.exit_code == 2


def test_a_snapshot_with_another_schema_version_inside_is_refused(tmp_path: Path) -> None:
    data = LIVE["healthy-gpu-linux"]().to_dict() | {"schema_version": 7}
    with pytest.raises(UsageError, match="unknown schema_version 7"):
        read_report(_write(tmp_path, json.dumps(_document(data))))


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"python": {"executable": "p", "version": "3.9", "bits": "64", "machine": "x"}}, "bits"),
        ({"gpus": "RTX 3090"}, "expected a list"),
        ({"driver": {"cuda_version": "12.4"}}, "Driver"),
        ({"findings": None, "imports": {"torch": {"module": "torch", "ok": "yes"}}}, "ok"),
    ],
)
def test_a_snapshot_that_does_not_fit_is_one_line_exit_2(
    change: dict[str, Any], why: str, tmp_path: Path
) -> None:
    data = LIVE["healthy-gpu-linux"]().to_dict() | change
    with pytest.raises(UsageError) as info:
        read_report(_write(tmp_path, json.dumps(_document(data))))
    assert "does not fit" in str(info.value) and why in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"schema_version": 1, "tool_version": "0.1.0"}', "no 'snapshot' object"),
        ('{"snapshot": "linux"}', "no 'snapshot' object"),
        ('{"schema_version": 1, "snapshot": {', "cannot be parsed (line 1 column"),
        ("[1, 2, 3]", "nothing in it that d2l-doctor reads"),
    ],
)
def test_json_that_is_not_a_report_is_one_line_exit_2(text: str, fragment: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        read_report(_write(tmp_path, text))
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_errors_speak_chinese_when_asked(tmp_path: Path) -> None:
    document = _document(LIVE["healthy-gpu-linux"]().to_dict(), schema_version=3)
    with pytest.raises(UsageError, match="未知的 schema_version 3"):
        read_report(_write(tmp_path, json.dumps(document)), lang="zh")
