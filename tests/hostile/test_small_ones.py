"""The smaller holes: an unwritable state folder during --undo, rich markup in a state or home path,
--undo with a report, a mirror URL's password in an error line. Each ends cleanly: exit 2 and one line (or a
normal run), no traceback, no secret shown."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from d2l_doctor.fixes import state
from tests.hostile.harness import assert_bounded, assert_refused, run_doctor
from tests.hostile.reports import report_text

SNAP_ID = "20260101T000000000000Z"


def _snapshot_of_this_python(folder: Path) -> Path:
    """A saved snapshot equal to the interpreter as it is now: --undo has nothing to do but mark it undone."""
    snap = state.EnvSnapshot(
        id=SNAP_ID,
        created="2026-01-01T00:00:00+00:00",
        python=sys.executable,
        freeze=state.freeze(sys.executable),
        pypi_index=None,
    )
    return state.save(snap, folder / "snapshots")


def test_undo_with_a_state_folder_it_cannot_write(tmp_path: Path) -> None:
    saved = _snapshot_of_this_python(tmp_path)
    saved.with_suffix(".tmp").mkdir()  # the write fails even for root (chmod would not stop root)
    outcome = run_doctor(
        ["fix", "--undo", "--yes", "--python", sys.executable, "--lang", "en"],
        env={"D2L_DOCTOR_STATE_DIR": str(tmp_path)},
    )
    assert_refused(outcome, "state folder")


def test_undo_with_a_state_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("not a folder")
    outcome = run_doctor(
        ["fix", "--undo", "--yes", "--lang", "en"], env={"D2L_DOCTOR_STATE_DIR": str(tmp_path / "state")}
    )
    assert_bounded(outcome)
    assert outcome.code in (1, 2) and len(outcome.stderr.splitlines()) <= 1, outcome


@pytest.mark.parametrize("args", [["fix", "--undo", "--list"], ["fix", "--undo", "--yes"]])
def test_markup_in_the_state_path_is_text(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "[/x][bold]" / "state"  # no snapshot in it: the doctor says where it looked
    outcome = run_doctor([*args, "--lang", "en"], env={"D2L_DOCTOR_STATE_DIR": str(folder)})
    assert_bounded(outcome)
    assert outcome.code in (0, 1), outcome
    assert "[/x][bold]" in outcome.stdout and "MarkupError" not in outcome.stderr


def test_markup_in_the_home_path_is_text(tmp_path: Path) -> None:
    home = tmp_path / "[" / "x]home"  # the path holds `[/x]home`
    home.mkdir(parents=True)
    outcome = run_doctor(["check", "--python", sys.executable, "--lang", "en"], env={"HOME": str(home)})
    assert_bounded(outcome)
    assert outcome.code in (0, 1), outcome


def test_undo_refuses_a_report_like_apply(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text(report_text("linux-venv", "d2l"), encoding="utf-8")
    for flags in (["--undo"], ["--undo", "--yes"], ["--apply", "--yes"]):
        assert_refused(
            run_doctor(["fix", *flags, "--from-report", str(report), "--lang", "en"]), "--from-report"
        )


@pytest.mark.parametrize(
    "url",
    [
        "https://bob:hunter2secret@mirror.example.org/simple",
        "http://bob:hunter2secret@mirror.example.org/simple",
        "https://bob:hunter2secret@mirror.example.org/simple?x=1",
        "https://hunter2secret@mirror.example.org/simple",
        "https://bob:hunter2secret@mirror.example.org/not-simple",
        "ftp://bob:hunter2secret@mirror.example.org/simple",
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_mirror_password_is_masked(url: str, lang: str) -> None:
    line = assert_refused(run_doctor(["fix", "--mirror", url, "--lang", lang]))
    assert "hunter2secret" not in line and "***" in line
