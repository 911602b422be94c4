"""`d2l-doctor fleet report`: many reports, one picture (the contract's JSON, console, Markdown, usage errors)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from d2l_doctor.models import SCHEMA_VERSION
from tests.fleet.support import FIXTURES, INGEST, classroom, fixture, fleet, put


def test_groups_largest_first_with_one_fix_each(tmp_path: Path) -> None:
    run = fleet("report", "--json", str(classroom(tmp_path)))
    assert run.returncode == 1, run.output
    doc = run.doc
    assert set(doc) == {"schema_version", "machines", "groups", "unreadable"}
    assert doc["schema_version"] == SCHEMA_VERSION
    assert len(doc["machines"]) == 6
    assert doc["unreadable"] == []
    sizes = [len(g["machines"]) for g in doc["groups"]]
    assert sizes == [3, 2, 1]
    mismatch, healthy, pillow = doc["groups"]
    assert "torchvision-mismatch" in mismatch["findings"]
    assert all("mismatch" in name for name in mismatch["machines"])
    # One command for the group: the machine's own interpreter is written `python`.
    assert mismatch["fix"] == [
        ["python", "-m", "pip", "install", "--force-reinstall", "--no-deps", "-i",
         "https://download.pytorch.org/whl/cpu", "torchvision==0.28.0"]
    ]
    assert healthy["fix"] == []  # notes (d2l not installed…) are no problem to fix for a group
    assert ["python", "-m", "pip", "uninstall", "-y", "pillow"] in pillow["fix"]
    machine = next(m for m in doc["machines"] if m["name"] == "student01-healthy")
    assert machine["ok"] is True
    assert machine["source"].endswith("student01-healthy.json")
    assert machine["stack"] == {
        "driver": "none", "gpu": "none", "torch": "2.13.0+cpu", "python": "3.11.7",
        "os": "Debian GNU/Linux 12 (bookworm)",
    }
    assert "no-nvidia-gpu" in machine["findings"]


def test_all_healthy_exits_0(tmp_path: Path) -> None:
    for n in range(3):
        put(tmp_path, f"lab{n}", fixture("healthy"))
    run = fleet("report", str(tmp_path), "--json")
    assert run.returncode == 0, run.output
    assert [len(g["machines"]) for g in run.doc["groups"]] == [3]


def test_a_different_stack_is_another_group(tmp_path: Path) -> None:
    for n in range(2):
        put(tmp_path, f"a{n}", fixture("healthy"))
    other = fixture("healthy")
    other["snapshot"]["python"]["version"] = "3.12.4"
    put(tmp_path, "b", other)
    doc = fleet("report", "--json", str(tmp_path)).doc
    assert [g["machines"] for g in doc["groups"]] == [["a0", "a1"], ["b"]]
    assert {m["name"]: m["stack"]["python"] for m in doc["machines"]}["b"] == "3.12.4"
    assert set(doc["groups"][0]) == {"machines", "findings", "fix"}  # the contract's shape, exactly


def test_machines_that_could_not_be_checked_say_why(tmp_path: Path) -> None:
    put(tmp_path, "ok", fixture("healthy"))
    (tmp_path / "notes.txt").write_text("my computer is slow, please help\n", encoding="utf-8")
    (tmp_path / "empty.json").write_bytes(b"")
    put(tmp_path, "node7", {"fleet_failure": {"name": "node7", "engine": "slurm", "why": "timed out after 60 s"}})
    run = fleet("report", "--json", str(tmp_path))
    assert run.returncode == 1, run.output
    why = {u["name"]: u["why"] for u in run.doc["unreadable"]}
    assert set(why) == {"notes", "empty", "node7"}
    assert why["node7"] == "timed out after 60 s"
    assert "collect_env" in why["notes"]  # the report reader's own words
    assert [m["name"] for m in run.doc["machines"]] == ["ok"]


def test_pastes_and_reports_of_another_version_go_through_the_report_reader(tmp_path: Path) -> None:
    shutil.copy(INGEST / "torch-2.13-linux-cpu-this-machine.txt", tmp_path / "pasted.txt")
    old = fixture("torchvision-mismatch")
    old["tool_version"] = "0.0.1"
    old["findings"] = []  # an old version's verdict is not taken: the rules run again on its snapshot
    put(tmp_path, "old", old)
    run = fleet("report", "--json", str(tmp_path))
    machines = {m["name"]: m for m in run.doc["machines"]}
    assert set(machines) == {"pasted", "old"}, run.output
    assert "torchvision-mismatch" in machines["old"]["findings"]
    assert machines["pasted"]["stack"]["torch"] == "2.13.0+cpu"


def test_files_and_folders_mix(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    folder = classroom(tmp_path / "class", healthy=1, mismatch=1, pillow=0)
    run = fleet("report", "--json", str(folder), str(FIXTURES / "pillow-broken.json"))
    assert sorted(m["name"] for m in run.doc["machines"]) == [
        "pillow-broken", "student01-healthy", "student02-torchvision-mismatch",
    ]


def test_console_and_markdown(tmp_path: Path) -> None:
    classroom(tmp_path)
    text = fleet("report", str(tmp_path), "--lang", "en").stdout
    assert "6 machines checked: 2 healthy, 4 with problems" in text
    assert "3 machines: torchvision 0.28.0 does not match torch 2.13.0+cpu" in text
    assert "fix: python -m pip install --force-reinstall --no-deps" in text
    zh = fleet("report", str(tmp_path), "--lang", "zh").stdout
    assert "3 台机器" in zh and "修复" in zh
    md = fleet("report", str(tmp_path), "--markdown", "--lang", "en").stdout
    assert "| machine | status | driver | GPU | torch | Python | OS | findings |" in md
    assert "| `torchvision-mismatch` | error | 3 |" in md


def test_outside_text_cannot_break_the_formats(tmp_path: Path) -> None:
    hostile = fixture("healthy")
    hostile["snapshot"]["host"]["os_release"] = "Evil | OS\x1b[31m <b>x</b>"
    put(tmp_path, "m|x", hostile)
    console = fleet("report", str(tmp_path)).stdout
    assert "\x1b" not in console
    md = fleet("report", "--markdown", str(tmp_path)).stdout
    assert "Evil \\| OS" in md and "<b>" not in md and "m\\|x" in md


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    put(tmp_path, "a", fixture("healthy"))
    (tmp_path / "empty").mkdir()
    for args in (
        ("report",),
        ("report", str(tmp_path / "nope")),
        ("report", "--json", "--markdown", str(tmp_path)),
        ("report", "--lang", "xx", str(tmp_path)),
        ("report", str(tmp_path / "empty")),
        ("run", "--out", str(tmp_path / "o")),
        ("run", "--slurm", "--ansible", str(tmp_path / "a.json"), "--out", str(tmp_path / "o")),
        ("run", "--ansible", str(tmp_path / "missing.ini"), "--out", str(tmp_path / "o")),
        ("run", "--slurm", "--limit", "x", "--out", str(tmp_path / "o")),
        ("run", "--ansible", str(tmp_path / "a.json"), "--out", str(tmp_path / "o"), "--", "-N2"),
    ):
        run = fleet(*args)
        assert run.returncode == 2, (args, run.output)
        assert "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))  # untouched
