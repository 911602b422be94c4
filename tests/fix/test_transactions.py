"""`fix --apply` never leaves an environment worse, in real venvs behind a "firewall" on 127.0.0.1.

The PyPI mirror is a local index of real wheels; the "PyTorch index" (the matrix's pytorch_index, as a copy of
the bundled matrix says) is a port that refuses, a server that never answers, one that serves the wrong
wheel (PyPI's torchvision where the CPU build is pinned), or one with a stand-in torchvision 0.28.0+cpu. For
each case: the imports that worked before still work, the closing table says what became of each fix, the
exit code says whether all is well, and `pip freeze` shows what changed.

Venvs are built once per module from two templates (with torch 2.13.0 CPU from this machine's disk, and
without torch) and cloned with hard links for each case: a case never sees another's changes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from d2l_doctor.matrix import bundled_path
from tests.fix.conftest import offline_env
from tests.fix.hosts import refusing, silent, slow_directory, torch_index, wheel
from tests.fix.servers import build_simple_index
from tests.support.doctor import GUARD_S, Run, doctor, doctor_argv
from tests.support.venvs import Venv, index_unreachable, make_venv

pytestmark = pytest.mark.venv

MODULES = ("PIL", "torch", "torchvision", "nbconvert", "jinja2")


# --------------------------------------------------------------------------- venvs and hosts


@pytest.fixture(scope="module")
def pypi_torchvision(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PyPI's torchvision 0.28.0: built for PyPI's CUDA torch, so wrong beside torch 2.13.0+cpu."""
    folder = tmp_path_factory.mktemp("pypi-torchvision")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", str(folder),
         "torchvision==0.28.0"],
        capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode != 0:
        index_unreachable(f"could not download torchvision 0.28.0: {proc.stderr.strip()[-300:]}")
    return next(folder.glob("torchvision-*.whl"))


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Venv]:
    root = tmp_path_factory.mktemp("templates")
    return {"torch": make_venv(root / "torch", "torch==2.13.0"), "bare": make_venv(root / "bare")}


def clone(template: Venv, dest: Path, wheelhouse: Path, *packages: str) -> Venv:
    """A copy of template (hard links: cheap, and pip replaces files rather than writing into them), then
    packages from the wheelhouse."""
    shutil.copytree(template.root, dest, symlinks=True, copy_function=os.link)
    venv = Venv(dest)
    if packages:
        venv.pip("install", "-q", "--no-index", "--find-links", str(wheelhouse), *packages)
    return venv


def damage_pillow(venv: Venv) -> None:
    for so in (venv.site_packages / "PIL").glob("_imaging.*"):
        so.unlink()  # a new, empty file: never write through a hard link into the template
        so.write_bytes(b"")


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory, pypi_torchvision: Path) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("hosts")
    standin = wheel(root / "build", "torchvision", "0.28.0+cpu", '__version__ = "0.28.0+cpu"\n')
    # The wrong index has pages for torch and torchvision, with builds other than the ones pinned.
    wrong_torch = wheel(root / "build", "torch", "2.13.0", '__version__ = "2.13.0"\n')
    with refusing() as dead, silent() as mute, torch_index(root / "wrong", [pypi_torchvision, wrong_torch]) as wrong, \
            torch_index(root / "good", [standin]) as good:  # fmt: skip
        yield {"refusing": dead, "silent": mute, "wrong": wrong, "good": good}


@pytest.fixture(scope="module")
def matrices(tmp_path_factory: pytest.TempPathFactory, hosts: dict[str, str]) -> dict[str, Path]:
    """A matrix per PyTorch index; each names a PyTorch-wheel mirror `backup` (the good index) as the way
    round, unverified as most of the real ones are."""
    root = tmp_path_factory.mktemp("matrices")
    out = {}
    for name, base in hosts.items():
        data = yaml.safe_load(bundled_path().read_text(encoding="utf-8"))
        data["pytorch_index"]["url"] = base
        data["mirrors"]["entries"] = [
            {"name": "pypi", "pypi": None, "source": "test"},
            {
                "name": "backup",
                "pypi": None,
                "source": "test",
                "pytorch": {"url_template": hosts["good"] + "/{variant}", "mode": "index", "variants": ["cpu"],
                            "verified": False, "source": "test"},
            },  # fmt: skip
        ]
        out[name] = root / f"{name}.yaml"
        out[name].write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


def imports(venv: Venv) -> dict[str, bool]:
    code = "\n".join(
        [
            "import importlib, json",
            "out = {}",
            f"for m in {MODULES!r}:",
            "    try:",
            "        importlib.import_module(m)",
            "        out[m] = True",
            "    except Exception:",
            "        out[m] = False",
            "print(json.dumps(out))",
        ]
    )
    proc = subprocess.run([str(venv.python), "-c", code], capture_output=True, text=True, timeout=GUARD_S)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def never_worse(before: dict[str, bool], after: dict[str, bool]) -> None:
    """The rule: every import that worked before the run still works after it."""
    assert [m for m, ok in before.items() if ok and not after[m]] == [], (before, after)


def apply(venv: Venv, env: dict[str, str], matrix: Path, *extra: str) -> Run:
    return doctor("fix", "--python", str(venv.python), "--matrix", str(matrix), "--apply", "--yes",
                  "--shell", "bash", *extra, env=env)  # fmt: skip


def row(run: Run, fix: str) -> str:
    """The closing table's line for one fix."""
    lines = [x.strip() for x in run.stdout.splitlines() if x.strip().startswith(fix + " ")]
    assert lines, run.output
    return lines[-1]


def env_for(tmp_path: Path, local_index: str) -> dict[str, str]:
    return offline_env(local_index, D2L_DOCTOR_STATE_DIR=str(tmp_path / "state"),
                       JUPYTER_DATA_DIR=str(tmp_path / "jupyter"), IPYTHONDIR=str(tmp_path / "ipython"))  # fmt: skip


# --------------------------------------------------------------------------- each fault with each host


def test_damaged_pillow_alone_is_one_reinstall(
    templates: dict[str, Venv], wheelhouse: Path, local_index: str, matrices: dict[str, Path], tmp_path: Path
) -> None:
    venv = clone(templates["torch"], tmp_path / "venv", wheelhouse, "pillow")
    damage_pillow(venv)
    before, freeze = imports(venv), venv.freeze()
    run = apply(venv, env_for(tmp_path, local_index), matrices["refusing"])
    assert run.returncode == 0, run.output
    assert "--force-reinstall --no-deps" in run.stdout and "-m pip uninstall" not in run.stdout
    assert "fixed" in row(run, "pillow-broken")
    after = imports(venv)
    never_worse(before, after)
    assert after["PIL"] and venv.freeze() == freeze  # the same Pillow, whole again


def test_pillow_and_nbconvert_go_on_when_the_torch_host_refuses(
    templates: dict[str, Venv], wheelhouse: Path, local_index: str, matrices: dict[str, Path], tmp_path: Path
) -> None:
    venv = clone(templates["bare"], tmp_path / "venv", wheelhouse, "pillow", "nbconvert==6.1.0", "jinja2>=3.1")
    damage_pillow(venv)
    before = imports(venv)
    run = apply(venv, env_for(tmp_path, local_index), matrices["refusing"], "--mirror", local_index)
    assert run.returncode == 1, run.output  # torch is still missing
    assert "Preflight" in run.stdout and "failed (" in run.stdout  # said before anything changed
    torch = row(run, "torch-missing")
    assert "skipped" in torch and "Connection refused" in torch and "--mirror backup" in torch
    assert "verified: false" in torch
    assert "fixed" in row(run, "pillow-broken") and "fixed" in row(run, "nbconvert-jinja2-contextfilter")
    after = imports(venv)
    never_worse(before, after)
    assert after["PIL"] and after["nbconvert"]


def test_a_host_that_never_answers_costs_the_preflight_seconds_not_minutes(
    templates: dict[str, Venv], wheelhouse: Path, local_index: str, matrices: dict[str, Path], tmp_path: Path
) -> None:
    venv = clone(templates["bare"], tmp_path / "venv", wheelhouse, "nbconvert==6.1.0", "jinja2>=3.1")
    before, freeze = imports(venv), venv.freeze()
    run = apply(venv, env_for(tmp_path, local_index), matrices["silent"], "--mirror", local_index,
                "--only", "torch-missing")  # fmt: skip
    assert run.returncode == 1, run.output
    assert "timed out" in row(run, "torch-missing") and "skipped" in row(run, "torch-missing")
    assert "skipped" in row(run, "nbconvert-jinja2-contextfilter")  # left out by --only
    never_worse(before, imports(venv))
    assert venv.freeze() == freeze


@pytest.mark.parametrize(
    ("host", "result", "changed"),
    [
        ("refusing", "skipped", False),  # blocked by the preflight, with the way round
        ("silent", "skipped", False),
        ("wrong", "not fixed", False),  # the pin +cpu refuses PyPI's CUDA wheel: pip fails, nothing changes
        ("good", "fixed", True),
    ],
)
def test_torchvision_mismatch(
    host: str,
    result: str,
    changed: bool,
    templates: dict[str, Venv],
    wheelhouse: Path,
    pypi_torchvision: Path,
    local_index: str,
    matrices: dict[str, Path],
    tmp_path: Path,
) -> None:
    venv = clone(templates["torch"], tmp_path / "venv", wheelhouse)
    venv.pip("install", "-q", "--no-deps", str(pypi_torchvision))
    env = env_for(tmp_path, local_index)
    before, freeze = imports(venv), venv.freeze()
    run = apply(venv, env, matrices[host])
    line = row(run, "torchvision-mismatch")
    assert result in line, run.output
    assert "torchvision==0.28.0+cpu" in run.stdout  # exact, local label included
    assert run.returncode == (0 if result == "fixed" else 1), run.output
    never_worse(before, imports(venv))
    assert (venv.freeze() != freeze) is changed
    if result == "skipped":
        assert "--mirror backup" in line
    if changed:
        assert "torchvision==0.28.0+cpu" in venv.freeze()
        undone = doctor("fix", "--undo", "--yes", "--python", str(venv.python), env=env)
        assert undone.returncode == 0, undone.output
        assert venv.freeze() == freeze


def test_a_failed_torch_step_stops_only_itself(
    templates: dict[str, Venv], wheelhouse: Path, local_index: str, matrices: dict[str, Path], tmp_path: Path
) -> None:
    """The wrong index answers the preflight but has no torch 2.14.1+cpu: pip fails; Pillow is fixed."""
    venv = clone(templates["bare"], tmp_path / "venv", wheelhouse, "pillow")
    damage_pillow(venv)
    before, freeze = imports(venv), venv.freeze()
    run = apply(venv, env_for(tmp_path, local_index), matrices["wrong"], "--lang", "zh")
    assert run.returncode == 1, run.output
    assert "未修复" in row(run, "torch-missing") and "已修复" in row(run, "pillow-broken")
    assert "各项修复的结果" in run.stdout and "重新安装 Pillow" in run.stdout  # Chinese throughout
    never_worse(before, imports(venv))
    assert venv.freeze() == freeze


# --------------------------------------------------------------------------- a transaction rolled back


def test_a_transaction_that_fails_after_a_change_is_rolled_back(
    templates: dict[str, Venv], wheelhouse: Path, local_index: str, tmp_path: Path
) -> None:
    """Real pip in a real venv: the first step installs Pillow, the second fails; Pillow goes away again."""
    import io

    from d2l_doctor.fixes import state
    from d2l_doctor.fixes.executor import Executor
    from d2l_doctor.fixes.progress import PlainDisplay
    from d2l_doctor.fixes.run import ROLLED_BACK, run_transactions
    from d2l_doctor.fixes.transaction import transactions
    from d2l_doctor.mirrors import index_at
    from d2l_doctor.models import FixAction, FixKind, PlanStep

    venv = clone(templates["bare"], tmp_path / "venv", wheelhouse)
    py = str(venv.python)
    install = (py, "-m", "pip", "install", "--no-index", "--find-links", str(wheelhouse), "pillow")
    fail = (py, "-c", "raise SystemExit(3)")
    steps = [
        PlanStep(FixAction(FixKind.PIP_INSTALL, packages=("pillow",)), install, ("demo",)),
        PlanStep(FixAction(FixKind.RUN, argv=fail), fail, ("demo",)),
    ]
    before = state.freeze(py)
    snap = state.EnvSnapshot("x", "now", py, before, index_at(local_index))
    out = io.StringIO()
    executor = Executor(PlainDisplay(out, "en"), shell="bash", total=2, env=env_for(tmp_path, local_index))
    report = run_transactions(
        transactions(steps), executor, snap=snap, freeze=state.freeze, wheel_dir=str(tmp_path / "w")
    )
    (result,) = report.results
    assert result.status == ROLLED_BACK, out.getvalue()
    assert any(line.startswith("+ pillow==") for line in result.changed)
    assert state.freeze(py) == before and report.final_freeze == before


# --------------------------------------------------------------------------- interruptions


@pytest.fixture(scope="module")
def slow_index(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The local index, with every wheel taking 5 s to come down: a window to interrupt pip in."""
    root = tmp_path_factory.mktemp("slow")
    build_simple_index(wheelhouse, root)
    with slow_directory(root, 5.0) as base:
        yield f"{base}/simple"


def start_fix(venv: Venv, env: dict[str, str], mirror: str, matrix: Path) -> subprocess.Popen[str]:
    argv = doctor_argv("fix", "--python", str(venv.python), "--matrix", str(matrix), "--mirror", mirror,
                       "--apply", "--yes")  # fmt: skip
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def wait_for_pip(venv: Venv, timeout: float = 120.0) -> int:
    """The pid of the pip the doctor started in venv, once it runs."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in psutil.process_iter(["pid", "cmdline"]):
            cmd = proc.info["cmdline"] or []
            if cmd[:1] == [str(venv.python)] and "pip" in cmd and "install" in cmd:
                return int(proc.info["pid"])
        time.sleep(0.2)
    raise AssertionError("pip never started")


def pip_gone(pid: int, timeout: float = 180.0) -> bool:
    import psutil

    try:
        psutil.Process(pid).wait(timeout)
    except psutil.NoSuchProcess:
        pass
    except psutil.TimeoutExpired:
        return False
    return True


def test_ctrl_c_stops_pip_says_what_changed_and_undo_restores_the_freeze(
    templates: dict[str, Venv], wheelhouse: Path, local_index: str, slow_index: str, matrices: dict[str, Path],
    tmp_path: Path,
) -> None:  # fmt: skip
    venv = clone(templates["bare"], tmp_path / "venv", wheelhouse, "nbconvert==6.1.0", "jinja2>=3.1")
    env = env_for(tmp_path, local_index)
    before, freeze = imports(venv), venv.freeze()
    proc = start_fix(venv, env, slow_index, matrices["refusing"])
    pip = wait_for_pip(venv)
    time.sleep(2.0)  # pip is downloading now
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends the doctor (pip runs in a session of its own)
    output, _ = proc.communicate(timeout=GUARD_S)
    assert proc.returncode == 130, output
    assert pip_gone(pip, timeout=1.0), "pip went on after the doctor had exited"
    assert "Interrupted" in output and "interrupted" in output
    never_worse(before, imports(venv))
    undone = doctor("fix", "--undo", "--yes", "--python", str(venv.python), env=env)
    assert undone.returncode == 0, undone.output
    assert venv.freeze() == freeze


def test_a_killed_run_is_noticed_and_undone(
    templates: dict[str, Venv], wheelhouse: Path, local_index: str, slow_index: str, matrices: dict[str, Path],
    tmp_path: Path,
) -> None:  # fmt: skip
    venv = clone(templates["bare"], tmp_path / "venv", wheelhouse, "nbconvert==6.1.0", "jinja2>=3.1")
    env = env_for(tmp_path, local_index)
    freeze = venv.freeze()
    proc = start_fix(venv, env, slow_index, matrices["refusing"])
    pip = wait_for_pip(venv)
    proc.kill()  # the terminal closed: no word from the doctor
    proc.communicate(timeout=GUARD_S)
    busy = apply(venv, env, matrices["refusing"])
    # While the orphaned pip runs, the environment is held; once it is gone, the killed run is noticed.
    assert busy.returncode == 1, busy.output
    assert "is changing" in busy.stdout or "did not finish" in busy.stdout, busy.output
    assert pip_gone(pip), "the orphaned pip did not finish"
    checked = doctor("check", "--python", str(venv.python), env=env)
    assert "did not finish" in checked.stderr and "fix --undo" in checked.stderr, checked.output
    again = apply(venv, env, matrices["refusing"])
    assert again.returncode == 1 and "did not finish" in again.stdout, again.output
    undone = doctor("fix", "--undo", "--yes", "--python", str(venv.python), env=env)
    assert undone.returncode == 0, undone.output
    assert venv.freeze() == freeze
    checked = doctor("check", "--python", str(venv.python), env=env)
    assert "did not finish" not in checked.stderr

