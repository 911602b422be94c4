"""The console checklist, compared with golden files (no colour, as under NO_COLOR=1 or in a pipe).

Regenerate after an intended change: D2L_UPDATE_GOLDEN=1 pytest tests/render, then read the diff.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from d2l_doctor import __version__
from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.models import Host, ImportResult, Problem, Snapshot
from d2l_doctor.render import console, view
from tests.render.scenarios import NO_MATRIX, SCENARIOS, SHELLS

GOLDEN = Path(__file__).parent / "golden"


def render(name: str, lang: str, verbose: bool, encoding: str = "utf-8") -> str:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="\n")
    console.write(view.build(SCENARIOS[name](), lang, SHELLS[name]), stream, verbose=verbose, color=False)
    stream.flush()
    return raw.getvalue().decode(encoding).replace(f"d2l-doctor {__version__}", "d2l-doctor X.Y.Z")


@pytest.mark.parametrize("verbose", [False, True], ids=["short", "verbose"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_console_matches_golden(name: str, lang: str, verbose: bool) -> None:
    text = render(name, lang, verbose)
    path = GOLDEN / f"{name}.{lang}{'.v' if verbose else ''}.txt"
    if os.environ.get("D2L_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_no_colour_means_no_escape_codes() -> None:
    assert "\x1b[" not in render("broken_pillow", "en", True)


def test_colour_when_asked() -> None:
    stream = io.StringIO()
    console.write(view.build(SCENARIOS["broken_pillow"](), "en", "bash"), stream, verbose=False, color=True)
    assert "\x1b[" in stream.getvalue()


def test_commands_are_never_wrapped() -> None:
    """A long command must stay on one line, whatever the width rich assumes for a pipe (80)."""
    text = render("old_driver", "en", False)
    line = next(ln for ln in text.splitlines() if "-m pip install" in ln)
    assert len(line) > 80
    assert line.strip().endswith("torch==2.7.1 torchvision==0.22.1")


def test_info_findings_are_brief_without_v() -> None:
    short = render("healthy_cpu", "en", False)
    assert "No NVIDIA GPU: the d2l chapters run on the CPU (no-nvidia-gpu)" in short
    assert "Nothing to do." not in short
    assert "Nothing to do." in render("healthy_cpu", "en", True)


def test_areas_come_in_checklist_order_with_marks() -> None:
    lines = [ln for ln in render("broken_pillow", "en", False).splitlines() if ln.startswith("[")]
    assert [ln.split(":")[0] for ln in lines] == [
        "[✓] GPU & driver",
        "[✓] CUDA & cuDNN",
        "[✓] Python & conda",
        "[✗] PyTorch stack",
        "[!] Jupyter",
        "[✓] d2l",
    ]
    assert (
        render("broken_pillow", "en", False).rstrip().splitlines()[-1]
        == "1 error, 1 warning, 1 note in 6 areas"
    )


def test_a_target_that_could_not_be_run_leaves_its_areas_undecided() -> None:
    skipped = ImportResult("torch", False, skipped="not attempted: the interpreter did not start")
    problems = {"target": Problem.error("exec format error")}
    snapshot = Snapshot(host=Host("linux"), imports={"torch": skipped}, problems=problems)
    report = view.build(Diagnosis(snapshot, (), NO_MATRIX), "en", "bash")
    stream = io.StringIO()
    console.write(report, stream, verbose=True, color=False)
    lines = stream.getvalue().splitlines()
    assert lines[0] == f"d2l-doctor {__version__}: the Python interpreter could not be examined"
    for area in ("Python & conda", "PyTorch stack", "Jupyter", "d2l"):
        assert f"[?] {area}: the interpreter could not be examined" in lines
    assert "    • interpreter: exec format error" in lines
