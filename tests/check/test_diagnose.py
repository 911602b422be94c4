"""diagnose(): where the Snapshot comes from, and a broken --matrix failing before any probe runs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from d2l_doctor import ingest
from d2l_doctor.diagnose import diagnose
from d2l_doctor.errors import UsageError
from d2l_doctor.models import Host, PythonInfo, Snapshot
from d2l_doctor.options import CommonOptions
from d2l_doctor.probes import collect as probes

SNAPSHOT = Snapshot(
    host=Host("linux"),
    python=PythonInfo("/opt/env/bin/python", "3.11.9", 64, "x86_64", chosen_by="--python"),
    packages={"torch": "2.13.0+cpu"},
)


def options(
    matrix: Optional[Path] = None, from_report: Optional[str] = None, lang: str = "en"
) -> CommonOptions:
    return CommonOptions("/opt/env/bin/python", 7.0, matrix, lang, False, False, None, from_report)


def test_live_snapshot_and_bundled_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Optional[str], float]] = []

    def fake_collect(python: Optional[str], timeout: float, env: object = None, lang: str = "en") -> Snapshot:
        calls.append((python, timeout))
        return SNAPSHOT

    monkeypatch.setattr(probes, "collect", fake_collect)
    result = diagnose(options())
    assert calls == [("/opt/env/bin/python", 7.0)]
    assert result.snapshot is SNAPSHOT
    assert result.matrix.path is not None
    from d2l_doctor.rules import all_finding_ids

    assert result.findings and {f.id for f in result.findings} <= set(all_finding_ids())
    errors = [f for f in result.findings if f.severity.value in ("error", "crash")]
    assert result.exit_code == (1 if errors else 0)


def test_report_is_read_instead_of_probing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_probes(*args: object, **kwargs: object) -> Snapshot:
        raise AssertionError("probes must not run for --from-report")

    monkeypatch.setattr(probes, "collect", no_probes)
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(ingest, "read_report", lambda path, lang: asked.append((path, lang)) or SNAPSHOT)
    assert diagnose(options(from_report="report.txt", lang="zh")).snapshot is SNAPSHOT
    assert asked == [("report.txt", "zh")]  # errors about the report come in the user's language


def test_broken_matrix_fails_before_any_probe(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def no_probes(*args: object, **kwargs: object) -> Snapshot:
        raise AssertionError("a broken --matrix must fail before the probes start")

    monkeypatch.setattr(probes, "collect", no_probes)
    broken = tmp_path / "matrix.yaml"
    broken.write_text("schema_version: 1\ntorch: [1, 2\n", encoding="utf-8")
    with pytest.raises(UsageError):
        diagnose(options(matrix=broken))
