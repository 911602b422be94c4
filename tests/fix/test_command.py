"""`d2l-doctor fix` through the CLI, with the diagnosis replaced by findings built here (the real probes and
rules run in test_e2e.py): show-only, --json, --apply (snapshot, run, before -> after), refusals and bad
input."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from d2l_doctor.cli import app
from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.fixes import state
from d2l_doctor.matrix import bundled_path, load_matrix
from d2l_doctor.models import Finding, FixAction, FixKind, Severity
from tests.fix.helpers import finding, venv_snapshot
from tests.fix.servers import mirror_server

runner = CliRunner()


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(state.STATE_ENV, str(tmp_path / "state"))
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path / "state"


class FakeDiagnose:
    """diagnose() answering `before` on its first call and `after` on the next ones."""

    def __init__(self, before: list[Finding], after: list[Finding]) -> None:
        self.calls = 0
        self.before, self.after = before, after
        self.matrix = load_matrix(None)

    def __call__(self, opts: object) -> Diagnosis:
        self.calls += 1
        findings = self.before if self.calls == 1 else self.after
        return Diagnosis(venv_snapshot(python=sys.executable), tuple(findings), self.matrix)


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "it's a $(test) & dir" / "marker"


def touching(marker: Path, fid: str = "demo-broken", code: int = 0) -> Finding:
    program = (
        "import pathlib, sys; p = pathlib.Path(sys.argv[1]); p.parent.mkdir(); p.write_text('x'); "
        f"sys.exit({code})"
    )
    return finding(fid, FixAction(FixKind.RUN, argv=(sys.executable, "-c", program, str(marker))))


def use(monkeypatch: pytest.MonkeyPatch, fake: FakeDiagnose) -> FakeDiagnose:
    monkeypatch.setattr("d2l_doctor.diagnose.diagnose", fake)
    return fake


def test_without_apply_nothing_runs_and_the_plan_is_shown(
    monkeypatch: pytest.MonkeyPatch, marker: Path
) -> None:
    use(monkeypatch, FakeDiagnose([touching(marker)], []))
    result = runner.invoke(app, ["fix", "--shell", "bash"])
    assert result.exit_code == 1  # an error finding stands
    assert not marker.exists()
    assert "fixes: demo-broken" in result.stdout and "--apply" in result.stdout
    assert shlex.quote(str(marker)) in result.stdout  # the line pastes into bash as the same argv


def test_json_plan(monkeypatch: pytest.MonkeyPatch, marker: Path) -> None:
    use(monkeypatch, FakeDiagnose([touching(marker)], []))
    result = runner.invoke(app, ["fix", "--json", "--shell", "cmd", "--mirror", "tuna"])
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 1 == result.exit_code
    assert doc["mirror"]["name"] == "tuna" and doc["plan"]["shell"] == "cmd"
    assert doc["plan"]["steps"][0]["fixes"] == ["demo-broken"]
    assert doc["plan"]["steps"][0]["argv"][-1] == str(marker)
    assert doc["findings"] == [{"id": "demo-broken", "severity": "error"}]


def test_apply_saves_a_snapshot_runs_and_shows_before_after(
    monkeypatch: pytest.MonkeyPatch, marker: Path, state_dir: Path
) -> None:
    fake = use(monkeypatch, FakeDiagnose([touching(marker)], []))
    result = runner.invoke(app, ["fix", "--apply", "--yes"])
    assert result.exit_code == 0, result.output
    assert marker.read_text() == "x" and fake.calls == 2
    assert "fixed: demo-broken" in result.stdout and "no error remains" in result.stdout
    saved = state.list_snapshots()
    assert len(saved) == 1 and saved[0].findings == ("demo-broken",) and saved[0].python == sys.executable
    assert str(state_dir) in result.stdout


def test_still_broken_is_exit_1(monkeypatch: pytest.MonkeyPatch, marker: Path) -> None:
    broken = touching(marker)
    use(monkeypatch, FakeDiagnose([broken], [broken]))
    result = runner.invoke(app, ["fix", "--apply", "--yes", "--lang", "zh"])
    assert result.exit_code == 1 and marker.exists()
    assert "仍然存在：demo-broken" in result.stdout


def test_a_warning_the_plan_addressed_that_remains_is_still_broken(
    monkeypatch: pytest.MonkeyPatch, marker: Path
) -> None:
    warn = Finding("kernel-x", Severity.WARNING, touching(marker).area, fixes=touching(marker).fixes)
    use(monkeypatch, FakeDiagnose([warn], [warn]))
    assert runner.invoke(app, ["fix", "--apply", "--yes"]).exit_code == 1


def test_a_failing_step_stops_with_its_error(
    monkeypatch: pytest.MonkeyPatch, marker: Path, tmp_path: Path
) -> None:
    second = tmp_path / "b" / "second"
    fake = use(
        monkeypatch, FakeDiagnose([touching(marker, code=4), touching(second, fid="other-broken")], [])
    )
    result = runner.invoke(app, ["fix", "--apply", "--yes"])
    assert result.exit_code == 1
    # One failure stops its own transaction only: the independent fix still runs, then the re-check.
    assert second.exists() and fake.calls == 2
    lines = result.stdout.splitlines()
    rows = {line.split()[0]: line for line in lines if line.startswith("  ") and "-broken " in line}
    assert "not fixed: a step failed (exit status 4)" in rows["demo-broken"], result.stdout
    assert rows["other-broken"].split()[1] == "fixed"


def test_apply_without_a_terminal_or_yes_refuses_before_probing(
    monkeypatch: pytest.MonkeyPatch, marker: Path
) -> None:
    fake = use(monkeypatch, FakeDiagnose([touching(marker)], []))
    result = runner.invoke(app, ["fix", "--apply"])
    assert result.exit_code == 2 and fake.calls == 0 and not marker.exists()
    assert result.stderr.count("\n") == 1 and "--yes" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["fix", "--mirror", "nope"],
        ["fix", "--mirror", "http://pypi.example.org/simple"],
        ["fix", "--mirror", "https://pypi.example.org/not-an-index"],
        ["fix", "--list"],
        ["fix", "--undo", "--apply", "--yes"],
        ["fix", "--undo"],  # no terminal, no --yes
    ],
)
def test_bad_usage_is_exit_2_with_one_line(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    fake = use(monkeypatch, FakeDiagnose([], []))
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("d2l-doctor: error: ") and result.stderr.count("\n") == 1
    assert fake.calls == 0


def test_bad_mirror_lists_the_known_names(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, FakeDiagnose([], []))
    result = runner.invoke(app, ["fix", "--mirror", "nope"])
    for name in (
        "tuna",
        "aliyun",
        "ustc",
        "bfsu",
        "sjtu",
        "nju",
        "tencent",
        "huawei",
        "douban",
        "pypi",
        "auto",
    ):
        assert name in result.stderr


def test_apply_refuses_a_plan_from_a_report(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["fix", "--apply", "--yes", "--from-report", str(report)])
    assert result.exit_code == 2 and "another machine" in result.stderr


def test_undo_list_with_no_snapshots() -> None:
    result = runner.invoke(app, ["fix", "--undo", "--list"])
    assert result.exit_code == 0 and "No snapshot" in result.stdout


def test_undo_with_no_snapshot_says_so() -> None:
    result = runner.invoke(app, ["fix", "--undo", "--yes"])
    assert result.exit_code == 1 and "No snapshot" in result.stdout


@pytest.fixture
def local_mirror_matrix(tmp_path: Path) -> Iterator[tuple[Path, str, str]]:
    """A copy of the bundled matrix whose mirrors are local servers: one quick, one late, one failing."""
    with mirror_server() as quick, mirror_server(delay=1.0) as late, mirror_server(status=404) as gone:
        data = yaml.safe_load(bundled_path().read_text(encoding="utf-8"))
        data["mirrors"]["entries"] = [
            {"name": "pypi", "pypi": None, "source": "test"},
            {"name": "late", "pypi": f"{late}/simple", "source": "test"},
            {"name": "gone", "pypi": f"{gone}/simple", "source": "test"},
            {"name": "quick", "pypi": f"{quick}/simple", "source": "test"},
        ]
        path = tmp_path / "matrix.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        yield path, quick, late


def test_mirror_auto_measures_and_plans_through_the_fastest(
    monkeypatch: pytest.MonkeyPatch, marker: Path, local_mirror_matrix: tuple[Path, str, str]
) -> None:
    path, quick, _ = local_mirror_matrix
    pillow = finding("pillow-broken", FixAction(FixKind.PIP_INSTALL, packages=("pillow",)))
    use(monkeypatch, FakeDiagnose([pillow], []))
    result = runner.invoke(app, ["fix", "--mirror", "auto", "--matrix", str(path), "--json"])
    doc = json.loads(result.stdout)
    assert doc["mirror"]["name"] == "quick"
    assert [m["name"] for m in doc["mirror"]["timings"]] == ["quick", "late", "gone"]
    assert doc["mirror"]["timings"][2]["seconds"] is None and "404" in doc["mirror"]["timings"][2]["error"]
    assert doc["plan"]["steps"][0]["argv"] == [
        sys.executable,
        "-m",
        "pip",
        "install",
        "-i",
        f"{quick}/simple",
        "--trusted-host",
        quick[7:],
        "pillow",
    ]
    text = runner.invoke(app, ["fix", "--mirror", "auto", "--matrix", str(path)])
    assert "Fastest mirror: quick" in text.stdout and "HTTP 404" in text.stdout


def test_an_ascii_stream_gets_english_and_question_marks_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io

    from d2l_doctor.commands.fix import run_fix
    from d2l_doctor.options import CommonOptions

    use(monkeypatch, FakeDiagnose([touching(tmp_path / "中文" / "marker")], []))
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    opts = CommonOptions.build(python=None, timeout=60, matrix=None, lang="zh", verbose=False, json=False,
                               shell="bash", from_report=None)  # fmt: skip
    assert run_fix(opts) == 1
    sys.stdout.flush()
    text = raw.getvalue().decode("ascii")
    assert "Plan for" in text and "??" in text  # English, and the path's Chinese folder as "?"


def test_apply_json_prints_one_document_and_streams_to_stderr(
    monkeypatch: pytest.MonkeyPatch, marker: Path
) -> None:
    use(monkeypatch, FakeDiagnose([touching(marker)], []))
    result = runner.invoke(app, ["fix", "--apply", "--yes", "--json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 == doc["exit_code"]
    (tx,) = doc["applied"]["transactions"]
    assert tx["id"] == "demo-broken" and tx["outcome"] == "fixed" and len(tx["steps"]) == 1
    assert doc["after"] == {"gone": ["demo-broken"], "remaining": [], "new": []}
    assert "[1/1]" in result.stderr and "fixed: demo-broken" in result.stderr


class _Tty:
    def isatty(self) -> bool:
        return True


def test_interactive_apply_asks_separately_for_optional_steps(tmp_path: Path) -> None:
    from d2l_doctor.commands.fix_apply import apply_plan
    from d2l_doctor.mirrors import MirrorChoice
    from d2l_doctor.models import Plan, PlanStep
    from d2l_doctor.options import CommonOptions

    def touch(path: Path, optional: bool) -> PlanStep:
        argv = (sys.executable, "-c", "import sys; open(sys.argv[1], 'w')", str(path))
        return PlanStep(
            FixAction(FixKind.RUN, argv=argv), argv, () if optional else ("demo-broken",), optional
        )

    channel, required = tmp_path / "channel", tmp_path / "required"
    plan = Plan(sys.executable, "tuna", "bash", (touch(channel, True), touch(required, False)))
    fake = FakeDiagnose([touching(tmp_path / "x")], [])
    fake.calls = 1  # the first diagnosis is the one handed in below; the next call is the re-check
    questions: list[str] = []
    answers = iter(["y", "n"])  # run the plan: yes; also the optional channel step: no

    def ask(question: str) -> str:
        questions.append(question)
        return next(answers)

    import d2l_doctor.diagnose as diagnose_module

    original = diagnose_module.diagnose
    diagnose_module.diagnose = fake  # type: ignore[assignment]
    try:
        opts = CommonOptions.build(python=None, timeout=60, matrix=None, lang="en", verbose=False, json=False,
                                   shell="bash", from_report=None)  # fmt: skip
        before = Diagnosis(venv_snapshot(python=sys.executable), (touching(tmp_path / "x"),), fake.matrix)
        code = apply_plan(
            opts, "en", before, MirrorChoice("tuna", None), plan, yes=False, stdin=_Tty(), ask=ask
        )
    finally:
        diagnose_module.diagnose = original
    assert code == 0 and required.exists() and not channel.exists()
    assert questions == [
        "Run these 1 step(s) now? [y/N] ",
        "Also run the 1 optional step(s) that set conda's channels to the mirror? [y/N] ",
    ]


def test_undo_restores_the_conda_configuration_file(tmp_path: Path) -> None:
    from d2l_doctor.fixes.state import FileState, freeze

    rc = tmp_path / ".condarc"
    rc.write_text("default_channels:\n  - https://mirror.example/main\n", encoding="utf-8")
    # The environment itself is unchanged since the snapshot: only the file differs.
    saved = state.EnvSnapshot(
        id="20260101T000000000000Z",
        created="2026-01-01T00:00:00+00:00",
        python=sys.executable,
        freeze=freeze(sys.executable),
        pypi_index=None,
        condarc=FileState(str(rc), "channels:\n  - defaults\n"),
    )
    state.save(saved)
    result = runner.invoke(app, ["fix", "--undo", "--yes"])
    assert result.exit_code == 0, result.output
    assert rc.read_text(encoding="utf-8") == "channels:\n  - defaults\n"
    assert "restore" in result.stdout and state.latest() is None
