"""Consoles that cannot encode the report: a Windows console in GBK (cp936) and an ASCII pipe. The output
falls back to ASCII marks and never raises UnicodeEncodeError; Chinese stays where the stream can show it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from d2l_doctor import envelope
from d2l_doctor.commands.check import emit
from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.options import CommonOptions
from d2l_doctor.render import console, json_out, view
from d2l_doctor.render.marks import ASCII_MARKS, UNICODE_MARKS, marks_for
from d2l_doctor.terminal import lang_for
from tests.render.scenarios import SCENARIOS, broken_pillow


def options(lang: str, *, verbose: bool = True, json: bool = False) -> CommonOptions:
    return CommonOptions(None, 60.0, None, lang, verbose, json, "bash", None)


def emitted(diagnosis: Diagnosis, encoding: str, lang: str, markdown: bool = False) -> str:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="\n")
    emit(diagnosis, options(lang), markdown=markdown, stream=stream)
    stream.flush()
    return raw.getvalue().decode(encoding)


def with_odd_path(diagnosis: Diagnosis) -> Diagnosis:
    """A home folder named with characters neither GBK nor ASCII has (an emoji, a Korean syllable)."""
    snapshot = diagnosis.snapshot
    assert snapshot.python is not None
    python = replace(snapshot.python, executable="/home/😀한/d2l/bin/python")
    return replace(diagnosis, snapshot=replace(snapshot, python=python))


@pytest.mark.parametrize("markdown", [False, True], ids=["console", "markdown"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_gbk_console_gets_ascii_marks_and_keeps_chinese(name: str, markdown: bool) -> None:
    text = emitted(SCENARIOS[name](), "gbk", "zh", markdown)
    assert "✓" not in text and "✗" not in text
    assert "个方面中" in text  # the zh summary line survived
    if not markdown:
        areas = [ln for ln in text.splitlines() if ln.startswith("[")]
        assert len(areas) == 6 and all(ln.startswith(("[OK] ", "[X] ", "[!] ", "[?] ")) for ln in areas)


@pytest.mark.parametrize("markdown", [False, True], ids=["console", "markdown"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_ascii_pipe_falls_back_to_english(name: str, markdown: bool) -> None:
    text = emitted(SCENARIOS[name](), "ascii", "zh", markdown)
    assert text.isascii()
    assert " in 6 areas" in text


def test_unencodable_characters_become_question_marks() -> None:
    for encoding in ("gbk", "ascii"):
        text = emitted(with_odd_path(broken_pillow()), encoding, "en")
        assert "/home/??/d2l/bin/python" in text or "/home/???/d2l/bin/python" in text


def test_marks_and_language_follow_the_encoding() -> None:
    assert marks_for("utf-8") is UNICODE_MARKS
    assert marks_for("gbk") is ASCII_MARKS and marks_for("ascii") is ASCII_MARKS
    assert lang_for("zh", "gbk") == "zh" and lang_for("zh", "ascii") == "en"
    assert lang_for("en", "ascii") == "en"


def test_console_write_on_a_gbk_stream_directly() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk", errors="strict")
    console.write(view.build(broken_pillow(), "zh", "bash"), stream, verbose=True, color=False)
    stream.flush()
    assert "[X] PyTorch" in raw.getvalue().decode("gbk")


@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
@pytest.mark.parametrize("extra", [[], ["-v"], ["--markdown"]], ids=["short", "verbose", "markdown"])
def test_cli_on_a_narrow_console(tmp_path: Path, encoding: str, extra: list[str]) -> None:
    """The real CLI, its stdout encoded as a Chinese Windows console or an ASCII pipe would be."""
    report = tmp_path / "report.json"
    doc = json_out.document(with_odd_path(broken_pillow()), "en", "bash")
    report.write_text(envelope.dumps(doc), "utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1"}
    argv = [sys.executable, "-m", "d2l_doctor", "check", "--from-report", str(report), "--lang", "zh", *extra]
    proc = subprocess.run(argv, capture_output=True, env=env, timeout=120)
    stdout, stderr = proc.stdout.decode(encoding), proc.stderr.decode(encoding, "replace")
    assert proc.returncode in (0, 1), stderr
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr
    assert "✓" not in stdout
    if "--markdown" not in extra:
        assert "[X]" in stdout or "[OK]" in stdout
    assert ("个方面中" in stdout) == (encoding == "gbk")


def test_json_to_an_ascii_console_is_still_utf8() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    emit(with_odd_path(broken_pillow()), options("zh", json=True), stream=stream)
    doc = json.loads(raw.getvalue().decode("utf-8"))
    assert doc["snapshot"]["python"]["executable"] == "/home/😀한/d2l/bin/python"
