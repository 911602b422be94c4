"""Every kind of bad input ends with exit 2 and one line on stderr, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.check.support import check

BUNDLED_MATRIX = Path(__file__).resolve().parents[2] / "compat_matrix.yaml"


def matrix_without_a_section(tmp_path: Path) -> Path:
    import yaml

    data = yaml.safe_load(BUNDLED_MATRIX.read_text(encoding="utf-8"))
    section = next(k for k in data if k != "schema_version")
    del data[section]
    path = tmp_path / "missing-section.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def bad_inputs(tmp_path: Path) -> dict[str, list[str]]:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("just some notes\n", encoding="utf-8")
    fake_python = tmp_path / "fake" / "python"  # named like an interpreter, but a text file
    fake_python.parent.mkdir()
    fake_python.write_text("not a program\n", encoding="utf-8")
    fake_python.chmod(0o755)
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("schema_version: 1\ntorch: [1, 2\nmirrors: {\n", encoding="utf-8")
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(b"\x00\x01 this is neither a d2l-doctor report nor collect_env output \xff\n" * 20)
    return {
        "python-missing": ["--python", str(tmp_path / "nonexistent" / "python")],
        "python-text-file": ["--python", str(text_file)],
        "python-not-a-program": ["--python", str(fake_python)],
        "matrix-broken-yaml": ["--matrix", str(broken_yaml)],
        "matrix-missing-section": ["--matrix", str(matrix_without_a_section(tmp_path))],
        "lang": ["--lang", "xx"],
        "shell": ["--shell", "tcsh"],
        "report-garbage": ["--from-report", str(garbage)],
        "report-missing": ["--from-report", str(tmp_path / "no-such-report.json")],
        "json-and-markdown": ["--json", "--markdown"],
    }


CASES = [
    "python-missing",
    "python-text-file",
    "python-not-a-program",
    "matrix-broken-yaml",
    "matrix-missing-section",
    "lang",
    "shell",
    "report-garbage",
    "report-missing",
    "json-and-markdown",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    args = bad_inputs(tmp_path)[case]
    run = check(*args)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("d2l-doctor: error: ")
    assert run.stdout == ""


def test_a_broken_matrix_is_named_with_its_line(tmp_path: Path) -> None:
    run = check(*bad_inputs(tmp_path)["matrix-broken-yaml"])
    assert "broken.yaml" in run.stderr and ":" in run.stderr


# The matrix's own errors name a file, a line and a YAML key: technical, and the same in both languages.
CHINESE_CASES = [c for c in CASES if not c.startswith("matrix-") and c != "lang"]


@pytest.mark.parametrize("case", CHINESE_CASES)
def test_bad_input_speaks_the_users_language(tmp_path: Path, case: str) -> None:
    run = check("--lang", "zh", *bad_inputs(tmp_path)[case])
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    assert re.search(r"[\u4e00-\u9fff]", run.stderr), run.stderr
