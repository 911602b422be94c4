"""The parts of a transactional `fix --apply`, each on its own: grouping a plan into transactions and what
they need, --only/--skip, the lock and the trace of a killed run, the preflight against hosts on 127.0.0.1,
the plan's reasons in Chinese, and outside text printed as text (never as rich markup)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d2l_doctor.cli import app
from d2l_doctor.fixes import lock, state
from d2l_doctor.fixes.preflight import Source, probe_all, step_sources
from d2l_doctor.fixes.progress import PlainDisplay, download_percent
from d2l_doctor.fixes.render_run import reason_text
from d2l_doctor.fixes.transaction import CONDA_MIRROR, select, transactions
from d2l_doctor.models import FixAction, FixKind, PlanStep
from tests.fix.hosts import refusing, silent
from tests.fix.servers import mirror_server

PY = "/venv/bin/python"


def pip(*args: str, fixes: tuple[str, ...] = ("x",), variant: str | None = None) -> PlanStep:
    packages = tuple(a for a in args if not a.startswith("-"))
    action = FixAction(FixKind.PIP_INSTALL, packages=packages, torch_variant=variant)
    return PlanStep(action, (PY, "-m", "pip", "install", *args), fixes)


def test_steps_of_one_finding_are_one_transaction_and_dependents_name_what_they_need() -> None:
    kernel = PlanStep(FixAction(FixKind.KERNEL_INSTALL, name="d2l"), (PY, "-m", "ipykernel", "install"),
                      ("jupyter-kernel-missing",))  # fmt: skip
    channel = PlanStep(FixAction(FixKind.RUN, argv=("conda", "config")), ("conda", "config"), (), True)
    steps = [
        channel,
        pip("torch==2.13.0+cpu", fixes=("torch-missing",), variant="cpu"),
        pip("torchvision==0.28.0+cpu", fixes=("torchaudio-mismatch",), variant="cpu"),
        pip("--force-reinstall", "--no-deps", "pillow==10.4.0", fixes=("pillow-broken",)),
        pip("ipykernel", fixes=("ipykernel-missing",)),
        kernel,
    ]
    txs = {tx.id: tx for tx in transactions(steps)}
    assert list(txs) == [CONDA_MIRROR, "torch-missing", "torchaudio-mismatch", "pillow-broken",
                         "ipykernel-missing", "jupyter-kernel-missing"]  # fmt: skip
    assert txs[CONDA_MIRROR].optional
    assert txs["torchaudio-mismatch"].needs == ("torch-missing",)
    assert txs["jupyter-kernel-missing"].needs == ("ipykernel-missing",)
    assert txs["pillow-broken"].needs == ()
    chosen, left = select(list(txs.values()), only=("pillow-broken",))
    assert [t.id for t in chosen] == ["pillow-broken"] and len(left) == 5
    chosen, left = select(list(txs.values()), skip=("torch-missing",))
    assert "torch-missing" not in [t.id for t in chosen] and [t.id for t in left] == ["torch-missing"]


def test_a_step_that_fixes_two_findings_ties_them_into_one_transaction() -> None:
    both = pip("pillow", fixes=("pillow-broken", "torchvision-import-failed"))
    txs = transactions([pip("x", fixes=("pillow-broken",)), both, pip("y", fixes=("torchvision-import-failed",))])
    assert [(t.id, len(t.steps)) for t in txs] == [("pillow-broken+torchvision-import-failed", 3)]


def test_the_lock_refuses_a_second_run_and_a_killed_run_leaves_a_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(state.STATE_ENV, str(tmp_path))
    with lock.EnvLock(PY) as held:
        with pytest.raises(lock.Busy), lock.EnvLock(PY):
            pass
        held.update(snapshot="20260101T000000000000Z", child=None)
        held.record = lock.RunRecord(PY, 2**22 + 12345, "then", "20260101T000000000000Z")  # a pid gone
        held.update(snapshot="20260101T000000000000Z")
    # Not finished: the record stays, and now names nobody alive: a killed run.
    record = lock.unfinished(PY)
    assert record is not None and record.snapshot == "20260101T000000000000Z"
    with pytest.raises(lock.Unfinished), lock.EnvLock(PY):
        pass
    with lock.EnvLock(PY, allow_unfinished=True) as undo:  # `fix --undo` takes it over
        undo.finished()
    assert lock.unfinished(PY) is None and lock.read(PY) is None


def test_a_run_interrupted_before_its_snapshot_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(state.STATE_ENV, str(tmp_path))
    with pytest.raises(KeyboardInterrupt), lock.EnvLock(PY):
        raise KeyboardInterrupt
    assert lock.read(PY) is None


def test_step_sources_read_the_indexes_a_pip_step_uses() -> None:
    step = pip("-f", "https://m.example/pytorch-wheels/cpu/", "-i", "https://m.example/pypi/simple/",
               "--trusted-host", "m.example", "torch==2.13.0+cpu")  # fmt: skip
    assert step_sources(step) == [
        Source("https://m.example/pytorch-wheels/cpu/", "find-links", "torch"),
        Source("https://m.example/pypi/simple/", "index", "torch"),
    ]
    assert step_sources(step)[1].probe_url == "https://m.example/pypi/simple/torch/"
    assert step_sources(pip("pillow"), "http://127.0.0.1:9/simple")[0].host == "127.0.0.1:9"
    assert step_sources(pip("pillow")) == []  # pip's own configuration: not asked
    assert step_sources(pip("--no-index", "--find-links", "/w", "pillow")) == []


def test_preflight_tells_live_from_refusing_and_silent_hosts() -> None:
    with mirror_server() as live, refusing() as dead, silent() as mute:
        sources = [Source(f"{base}/simple", "index", "torch") for base in (live, dead, mute)]
        checks = probe_all(sources, timeout=1.0)
    assert [c.ok for c in checks] == [True, False, False]
    assert "refused" in (checks[1].error or "") and "timed out" in (checks[2].error or "")


def test_the_plans_reasons_are_said_in_chinese() -> None:
    assert reason_text("reinstall a damaged Pillow", "zh") == "重新安装损坏的 Pillow"
    assert reason_text("match torch 2.13.0+cpu", "zh") == "与 torch 2.13.0+cpu 匹配"
    assert reason_text("something new \x1b[2J", "zh") == "something new \\x1b[2J"  # unknown: as is, visibly


def test_pip_progress_becomes_a_percentage_and_output_is_text() -> None:
    assert download_percent("Progress 512 of 2048") == 25 and download_percent("Collecting torch") is None
    out = io.StringIO()
    display = PlainDisplay(out, "en")
    display.start(0, 1, "pip install torch[cuda]")
    for line in ("Progress 0 of 100", "Progress 55 of 100", "Progress 56 of 100", "ERROR: [/] \x1b[31mred"):
        display.line(line)
    text = out.getvalue()
    assert "torch[cuda]" in text and "[/] \\x1b[31mred" in text
    assert text.count("downloaded") == 2  # 0% and 50%: a 2 GB wheel does not print a line per chunk


def test_outside_text_in_the_plan_is_never_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fix.helpers import finding
    from tests.fix.test_command import FakeDiagnose, use

    monkeypatch.setenv(state.STATE_ENV, str(tmp_path))
    monkeypatch.setenv("NO_COLOR", "1")
    odd = finding("demo-broken", FixAction(FixKind.RUN, argv=(sys.executable, "-c", "print('[/]')", "torch[cuda]")))
    use(monkeypatch, FakeDiagnose([odd], []))
    result = CliRunner().invoke(app, ["fix", "--shell", "bash"])
    assert "'torch[cuda]'" in result.stdout and "print('\"'\"'[/]'\"'\"')" in result.stdout, result.output
    use(monkeypatch, FakeDiagnose([odd], []))
    applied = CliRunner().invoke(app, ["fix", "--shell", "bash", "--apply", "--yes"])
    assert applied.exit_code == 0, applied.output
    assert "    [/]" in applied.stdout and "demo-broken  fixed" in applied.stdout


def test_only_and_skip_name_fixes_of_the_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fix.test_command import FakeDiagnose, touching, use

    monkeypatch.setenv(state.STATE_ENV, str(tmp_path))
    def two() -> None:
        found = [touching(tmp_path / "a" / "m", "a-broken"), touching(tmp_path / "b" / "m", "b-broken")]
        use(monkeypatch, FakeDiagnose(found, []))

    two()
    wrong = CliRunner().invoke(app, ["fix", "--apply", "--yes", "--only", "nope"])
    assert wrong.exit_code == 2 and "a-broken, b-broken" in wrong.output
    needs_apply = CliRunner().invoke(app, ["fix", "--skip", "a-broken"])
    assert needs_apply.exit_code == 2
    two()
    ran = CliRunner().invoke(app, ["fix", "--apply", "--yes", "--skip", "a-broken"])
    assert (tmp_path / "b" / "m").exists() and not (tmp_path / "a" / "m").exists(), ran.output
    assert "a-broken  skipped: left out" in ran.stdout


def test_a_held_environment_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fix.test_command import FakeDiagnose, touching, use

    monkeypatch.setenv(state.STATE_ENV, str(tmp_path))
    marker = tmp_path / "x" / "m"
    use(monkeypatch, FakeDiagnose([touching(marker)], []))
    with lock.EnvLock(sys.executable):  # this process: alive
        result = CliRunner().invoke(app, ["fix", "--apply", "--yes"])
    assert result.exit_code == 1 and f"pid {os.getpid()}" in result.stdout and not marker.exists()


def test_mirror_auto_measures_the_pytorch_wheel_mirrors_too() -> None:
    from d2l_doctor.mirrors import resolve_mirror
    from tests.fix.helpers import TEST_CATALOGUE

    speeds = {"pypi.tuna.tsinghua.edu.cn": 0.05, "mirror.nju.edu.cn": 0.2, "mirrors.aliyun.com": 0.4}

    def fetch(url: str, timeout: float) -> tuple[str, float]:
        host = url.split("/")[2]
        if host not in speeds:
            raise OSError("connection refused")  # sjtu, the official index
        return url, speeds[host]

    choice = resolve_mirror("auto", TEST_CATALOGUE, fetch=fetch, official_torch="https://download.pytorch.org/whl/cpu")
    # PyPI packages through the fastest PyPI mirror, PyTorch wheels through the fastest PyTorch-wheel mirror.
    assert choice.label == "tuna + nju (PyTorch)" and choice.pytorch is TEST_CATALOGUE["nju"].pytorch
    assert [m.name for m in choice.torch_timings] == ["nju", "aliyun", "download.pytorch.org"]
    assert choice.torch_timings[0].url == "https://mirror.nju.edu.cn/pytorch/whl/cpu/"
