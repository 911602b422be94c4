"""The rules on reports: each fixture gives the findings written down for it, healthy ones give no error,
and a d2l-doctor JSON report gives the same findings (certainty and quotes included) as the snapshot it was
written from. The matrix is the bundled one (conftest.gpu_matrix)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.ingest import read_report
from d2l_doctor.models import Severity, Snapshot
from d2l_doctor.render import json_out
from d2l_doctor.rules import evaluate
from tests.ingest.expected import EXPECTED, FIXTURES
from tests.ingest.live_snapshots import LIVE

D2L_IDS = ("d2l-missing", "d2l-pins-unsatisfiable")
ERRORS = (Severity.ERROR, Severity.CRASH)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_report_gives_its_findings(name: str, gpu_matrix: Any) -> None:
    expected = EXPECTED[name]
    findings = evaluate(read_report(str(FIXTURES / name)), gpu_matrix)
    ids = {f.id for f in findings}
    assert "rule-crashed" not in ids, [f.evidence for f in findings if f.id == "rule-crashed"]
    assert [i for i in expected.findings if i not in ids] == []
    assert [i for i in expected.absent if i in ids] == []
    if expected.healthy:
        errors = [f.id for f in findings if f.severity in ERRORS and f.id not in D2L_IDS]
        assert errors == []


def test_d2l_is_not_judged_on_reports_that_cannot_show_it(gpu_matrix: Any) -> None:
    judged = []
    for name in sorted(EXPECTED):
        snapshot = read_report(str(FIXTURES / name))
        assert not snapshot.known("packages.d2l")
        judged += [(name, f.id) for f in evaluate(snapshot, gpu_matrix) if f.id in D2L_IDS]
    assert judged == []


def _json_report(snapshot: Snapshot, findings: list[Any], matrix: Any, path: Path) -> Path:
    """The document `check --json` prints."""
    document = json_out.document(Diagnosis(snapshot, tuple(findings), matrix), "en", "bash")
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _snapshots() -> dict[str, Callable[[], Snapshot]]:
    out: dict[str, Callable[[], Snapshot]] = dict(LIVE)
    for name in (
        "torch-2.0-linux-driver-too-old.txt",
        "forum-post-zh-fullwidth.md",
        "windows-crlf-32bit-no-torch.txt",
    ):
        out[name] = lambda name=name: read_report(str(FIXTURES / name))  # type: ignore[misc]
    return out


@pytest.mark.parametrize("name", sorted(_snapshots()))
def test_json_report_round_trip_gives_the_same_findings(name: str, gpu_matrix: Any, tmp_path: Path) -> None:
    snapshot = _snapshots()[name]()
    findings = evaluate(snapshot, gpu_matrix)
    again = read_report(str(_json_report(snapshot, findings, gpu_matrix, tmp_path / "report.json")))
    assert again.source == "d2l-doctor-report"
    assert again.evidence == snapshot.evidence and again.messages == snapshot.messages
    assert evaluate(again, gpu_matrix) == findings  # certainty and quotes included


def test_the_live_snapshots_are_diagnosed_as_intended(gpu_matrix: Any) -> None:
    """The round trip compares something: these snapshots give findings (and the healthy one no error)."""
    ids = {
        name: {f.id for f in evaluate(make(), gpu_matrix) if f.severity in ERRORS}
        for name, make in LIVE.items()
    }
    assert ids["healthy-gpu-linux"] == set()
    assert "conda-32bit" in ids["conda-32bit-windows"]
    assert "torchvision-mismatch" in ids["torchvision-mismatch"]
