"""Snapshots (save, list, latest, undone) and the undo plan computed from a snapshot and the environment
now."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from d2l_doctor.fixes import state
from d2l_doctor.fixes.undo import parse_freeze, undo_plan
from d2l_doctor.mirrors import PipIndex
from d2l_doctor.models import CondaInfo, FixAction, FixKind, Plan, PlanStep, PythonInfo, Snapshot
from tests.fix.helpers import CPU_INDEX, kernels, venv_snapshot

LOCAL = PipIndex("http://127.0.0.1:9/simple", trusted_host="127.0.0.1:9")


def snap(freeze: list[str], **kw: object) -> state.EnvSnapshot:
    base: dict[str, object] = {
        "id": "20260901T120000000000Z",
        "created": "2026-09-01T12:00:00+00:00",
        "python": "/venv/bin/python",
        "freeze": tuple(freeze),
        "pypi_index": LOCAL,
    }
    base.update(kw)
    return state.EnvSnapshot(**base)  # type: ignore[arg-type]


def test_undo_removes_what_was_added_and_reinstalls_exact_versions_through_the_same_index() -> None:
    saved = snap(
        ["jinja2==3.1.6", "mistune==0.8.4", "nbconvert==6.1.0", "pip==24.0", "torch==2.13.0+cpu"],
        torch_indexes={"cpu": PipIndex(CPU_INDEX)},
    )
    now = [
        "jinja2==3.1.6",
        "mistune==3.0.2",
        "nbconvert==7.16.0",
        "pip==24.0",
        "tinycss2==1.4.0",
        "torch==2.13.0+cu126",
    ]
    undo = undo_plan(saved, now, "bash", wheel_dir="/state/w")
    py = ("/venv/bin/python", "-m", "pip")
    assert [s.argv for s in undo.plan.steps] == [
        # fetch first, each through the index it came from: a download changes nothing
        (*py, "download", "--no-deps", "-d", "/state/w", "-i", LOCAL.url, "--trusted-host", "127.0.0.1:9",
         "mistune==0.8.4", "nbconvert==6.1.0"),
        (*py, "download", "--no-deps", "-d", "/state/w", "-i", CPU_INDEX, "torch==2.13.0+cpu"),
        # then one install that pip rolls back itself, from the fetched wheels only
        (*py, "install", "--no-deps", "--force-reinstall", "--no-index", "--find-links", "/state/w",
         "mistune==0.8.4", "nbconvert==6.1.0", "torch==2.13.0+cpu"),
        (*py, "uninstall", "-y", "tinycss2"),
    ]  # fmt: skip
    assert [s.action.reason for s in undo.plan.steps][:2] == ["undo-fetch", "undo-fetch"]


def test_nothing_to_undo_when_the_environment_matches() -> None:
    assert undo_plan(snap(["a==1", "b==2"]), ["b==2", "a==1"], "bash").empty


def test_undo_in_a_conda_env_goes_back_to_the_revision_and_leaves_condas_packages_to_it() -> None:
    conda = state.CondaState("/c/envs/d2l", "/c/bin/conda", "@EXPLICIT\n", revision=4, managed=("pillow",))
    saved = snap(["pillow==9.5.0", "requests==2.31.0"], conda=conda, pypi_index=None)
    undo = undo_plan(saved, ["pillow==10.4.0", "requests==2.32.0"], "bash", wheel_dir="w")
    assert [s.argv for s in undo.plan.steps] == [
        ("/venv/bin/python", "-m", "pip", "download", "--no-deps", "-d", "w", "requests==2.31.0"),
        ("/c/bin/conda", "install", "-p", "/c/envs/d2l", "-y", "--revision", "4"),
        ("/venv/bin/python", "-m", "pip", "install", "--no-deps", "--force-reinstall", "--no-index",
         "--find-links", "w", "requests==2.31.0"),
    ]  # fmt: skip


def test_undo_in_a_conda_env_without_a_revision_reinstalls_the_explicit_list() -> None:
    conda = state.CondaState("/c/envs/d2l", "/c/bin/conda", "@EXPLICIT\n", revision=None, managed=("pillow",))
    undo = undo_plan(
        snap(["pillow==9.5.0"], conda=conda), ["pillow==10.4.0"], "bash", "/state/x.explicit.txt"
    )
    assert [s.argv for s in undo.plan.steps] == [
        ("/c/bin/conda", "install", "-p", "/c/envs/d2l", "-y", "--file", "/state/x.explicit.txt")
    ]


def test_undo_unregisters_kernels_the_plan_added_before_removing_ipykernel() -> None:
    saved = snap(["pip==24.0"], kernels_added=("d2l",))
    undo = undo_plan(saved, ["ipykernel==6.29.0", "jupyter-core==5.7.0", "pip==24.0"], "bash")
    assert undo.plan.steps[0].argv == (
        "/venv/bin/python",
        "-m",
        "jupyter",
        "kernelspec",
        "remove",
        "-y",
        "d2l",
    )
    assert undo.plan.steps[1].argv[3:] == ("uninstall", "-y", "ipykernel", "jupyter-core")


def test_parse_freeze_keeps_direct_urls_and_sets_editables_apart() -> None:
    named, other = parse_freeze(
        ["Pillow==10.4.0", "mypkg @ file:///tmp/mypkg-1.0-py3-none-any.whl", "-e /src/proj", "# comment", ""]
    )
    assert named == {"pillow": "Pillow==10.4.0", "mypkg": "mypkg @ file:///tmp/mypkg-1.0-py3-none-any.whl"}
    assert other == ["-e /src/proj"]


def test_save_list_latest_and_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(state.STATE_ENV, str(tmp_path / "state dir"))
    older = snap(["a==1"], id="20260101T000000000000Z", python="/venv/bin/python")
    newer = snap(["a==2"], id="20260201T000000000000Z", python="/venv/bin/python")
    other = snap(["b==1"], id="20260301T000000000000Z", python="/other/bin/python")
    for s in (older, newer, other):
        state.save(s)
    (state.snapshots_dir() / "garbage.json").write_text("{not json", encoding="utf-8")
    assert [s.id for s in state.list_snapshots()] == [other.id, newer.id, older.id]
    assert state.latest() == other
    assert state.latest("/venv/bin/python") == newer
    state.mark_undone(newer)
    assert state.latest("/venv/bin/python") == older  # the next undo goes one step further back
    assert state.list_snapshots()[1].undone is not None
    again = state.list_snapshots()[2]
    assert again.freeze == ("a==1",) and again.pypi_index == LOCAL


def test_state_dir_default_is_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(state.STATE_ENV, raising=False)
    assert state.state_dir() == Path(platformdirs.user_state_dir("d2l-doctor", appauthor=False))


def test_capture_reads_the_target_and_records_the_plan(tmp_path: Path) -> None:
    plan = Plan(
        python=sys.executable,
        mirror="tuna",
        shell="bash",
        steps=(PlanStep(FixAction(FixKind.KERNEL_INSTALL, name="d2l"), ("x",), ("jupyter-kernel-missing",)),),
    )
    snapshot = venv_snapshot(python=sys.executable, jupyter=kernels("python3"))
    taken = state.capture(
        plan,
        snapshot,
        pypi_index=LOCAL,
        torch_index_for=lambda v: PipIndex(f"https://t/{v}"),
        findings=["jupyter-kernel-missing"],
    )
    assert any(line.lower().startswith("pytest==") for line in taken.freeze)
    assert taken.kernels_added == ("d2l",) and taken.findings == ("jupyter-kernel-missing",)
    assert taken.plan["mirror"] == "tuna" and taken.conda is None and taken.condarc is None
    if any("+cpu" in line for line in taken.freeze):  # torch 2.13.0+cpu in the dev venv
        assert taken.torch_indexes == {"cpu": PipIndex("https://t/cpu")}
    assert state.EnvSnapshot.from_dict(taken.to_dict()) == taken


def test_capture_in_a_conda_env_saves_the_explicit_list_revision_and_condarc(tmp_path: Path) -> None:
    conda = tmp_path / "conda"
    conda.write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        '  *--explicit*) echo "@EXPLICIT"; echo "https://conda.anaconda.org/pkgs/main/linux-64/pillow-9.5.0.conda";;\n'
        '  *--revisions*) printf "2026-01-01 10:00:00  (rev 0)\\n    +python\\n\\n2026-02-01  (rev 3)\\n";;\n'
        "esac\n",
        encoding="utf-8",
    )
    conda.chmod(conda.stat().st_mode | stat.S_IXUSR)
    rc = tmp_path / ".condarc"
    rc.write_text("channels:\n  - defaults\n", encoding="utf-8")
    info = CondaInfo(env_name="d2l", prefix=str(tmp_path), conda_exe=str(conda), managed=("Pillow",))
    snapshot = Snapshot(python=PythonInfo(sys.executable, "3.11", 64, "x86_64"), conda=info)
    config = (str(conda), "config", "--file", str(rc), "--set", "show_channel_urls", "yes")
    plan = Plan(
        sys.executable, "tuna", "bash", (PlanStep(FixAction(FixKind.RUN, argv=config), config, (), True),)
    )
    taken = state.capture(
        plan, snapshot, pypi_index=None, torch_index_for=lambda v: None, condarc_path=str(rc)
    )
    assert taken.conda is not None and taken.conda.revision == 3 and taken.conda.managed == ("pillow",)
    assert taken.conda.explicit.startswith("@EXPLICIT")
    assert taken.condarc == state.FileState(str(rc), "channels:\n  - defaults\n")


def test_capture_fails_cleanly_without_pip(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 'No module named pip' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    plan = Plan(str(fake), None, "bash")
    with pytest.raises(state.StateError, match="No module named pip"):
        state.capture(plan, venv_snapshot(python=str(fake)), pypi_index=None, torch_index_for=lambda v: None)
