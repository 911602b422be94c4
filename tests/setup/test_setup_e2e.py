"""`d2l-doctor setup` from an empty folder to a notebook that runs, as a learner would: the plan changes nothing;
`--apply` stopped half way with Ctrl-C resumes on the next run and finishes; the book's notebook then runs in
the kernel it registered; another `setup` changes nothing; `--undo` leaves no environment and no kernel.

Everything comes from hosts on 127.0.0.1 (conftest.py); HOME, Jupyter's folders and the doctor's state are
temporary."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from d2l_doctor.models import SCHEMA_VERSION
from tests.fix.conftest import offline_env
from tests.support.doctor import GUARD_S, Run, doctor, doctor_argv
from tests.support.venvs import Venv

pytestmark = pytest.mark.venv


def setup_env(tmp_path: Path, index: str) -> dict[str, str]:
    return offline_env(
        index,
        HOME=str(tmp_path / "home"),
        JUPYTER_DATA_DIR=str(tmp_path / "jupyter"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
        JUPYTER_PATH="",
        IPYTHONDIR=str(tmp_path / "ipython"),
        D2L_DOCTOR_STATE_DIR=str(tmp_path / "state"),
    )


def setup(target: Path, env: dict[str, str], matrix: Path, mirror: str, *extra: str) -> Run:
    return doctor(
        "setup", str(target), "--matrix", str(matrix), "--mirror", mirror, "--json", *extra, env=env
    )


def wait_for_pip_installing(python: Path, package: str, timeout: float = 300.0) -> None:
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in psutil.process_iter(["cmdline"]):
            cmd = proc.info["cmdline"] or []
            if cmd[:1] == [str(python)] and "install" in cmd and package in cmd:
                return
        time.sleep(0.2)
    raise AssertionError(f"pip never started installing {package}")


def kernelspec(env: dict[str, str], name: str) -> Path:
    return Path(env["JUPYTER_DATA_DIR"]) / "kernels" / name / "kernel.json"


def test_setup_builds_resumes_changes_nothing_again_and_undoes(
    book_hosts: dict[str, str], book_matrix: Path, tmp_path: Path
) -> None:
    env = setup_env(tmp_path, book_hosts["pypi"])
    target = tmp_path / "work" / "d2l-env"
    python = target / "bin" / "python"

    # The plan alone: which Python and why, every step to do, nothing created.
    plan = setup(target, env, book_matrix, book_hosts["pypi"])
    assert plan.returncode == 0, plan.output
    doc = plan.doc
    assert doc["schema_version"] == SCHEMA_VERSION and doc["command"] == "setup"
    assert doc["choice"]["python"] in ("3.10", "3.11") and doc["choice"]["base"]
    assert doc["choice"]["torch"] == {
        "torch": "2.13.0", "torchvision": "0.28.0", "variant": "cpu", "index_url": book_hosts["torch"] + "/cpu",
    }  # fmt: skip
    assert [s["id"] for s in doc["steps"]] == ["environment", "torch", "d2l", "notebook", "kernel"]
    assert not any(s["done"] for s in doc["steps"])
    assert not target.exists()

    # --apply, stopped with Ctrl-C while d2l's pins come down (every wheel takes 3 s from the slow host).
    argv = doctor_argv("setup", str(target), "--matrix", str(book_matrix), "--mirror", book_hosts["slow"],
                       "--apply", "--yes")  # fmt: skip
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    wait_for_pip_installing(python, "d2l==1.0.3")
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=GUARD_S)
    assert proc.returncode == 130, output
    assert "interrupted" in output.lower()
    venv = Venv(target)
    frozen = venv.freeze()
    assert any(line.startswith("torch==2.13.0") for line in frozen), frozen
    assert not any(line.startswith(("d2l==", "numpy==")) for line in frozen), (
        frozen
    )  # put back: as before d2l
    assert not kernelspec(env, "d2l-env").exists()

    # The same command again resumes: the environment and torch are done, the rest runs, the notebook passes.
    done = setup(target, env, book_matrix, book_hosts["pypi"], "--apply", "--yes")
    assert done.returncode == 0, done.output
    doc = done.doc
    assert [s["id"] for s in doc["steps"] if s["done"]] == ["environment", "torch"]
    assert [r["id"] for r in doc["applied"]] == ["d2l", "notebook", "kernel"]
    assert all(r["status"] == "done" for r in doc["applied"])
    assert doc["check"]["exit_code"] == 0, doc["check"]
    assert doc["notebook"]["exit_code"] == 0 and doc["notebook"]["findings"] == [], doc["notebook"]
    assert [c["name"] for c in doc["notebook"]["cells"] if c["ok"]] == [
        "torch", "tensor", "d2l", "linear regression", "plot",
    ]  # fmt: skip
    spec = json.loads(kernelspec(env, "d2l-env").read_text(encoding="utf-8"))
    assert spec["argv"][0] == str(python)
    frozen = venv.freeze()
    assert "d2l==1.0.3" in frozen and "numpy==1.23.5" in frozen

    # Again: every step is done, nothing changes, and the book still runs.
    again = setup(target, env, book_matrix, book_hosts["pypi"], "--apply", "--yes")
    assert again.returncode == 0, again.output
    assert all(s["done"] for s in again.doc["steps"]) and "applied" not in again.doc
    assert venv.freeze() == frozen

    # Undo: no environment, no kernel.
    undone = doctor("setup", str(target), "--undo", "--yes", "--json", env=env)
    assert undone.returncode == 0, undone.output
    assert {r["what"] for r in undone.doc["removed"]} == {"environment", "kernel"}
    assert not target.exists() and not kernelspec(env, "d2l-env").parent.exists()
    assert target.parent.is_dir()  # only what setup made is gone
