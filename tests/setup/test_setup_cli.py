"""`d2l-doctor setup` as a command: bad usage is one line and exit 2, a plan that needs a Python first says how
to get one and exits 1, a conda environment is planned the book's way, and `--undo` touches only what setup
made. No package is installed here (the end-to-end run is test_setup_e2e.py)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tests.setup.conftest import matrix_copy
from tests.support.doctor import Run, doctor, user_env


def isolated(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No Python on PATH, no conda, no uv, no pyenv: the doctor's own interpreter is the only one found."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    env = user_env({"PATH": str(bin_dir), "HOME": str(tmp_path / "home"), "JUPYTER_DATA_DIR": str(tmp_path / "jd"),
                    "D2L_DOCTOR_STATE_DIR": str(tmp_path / "state")})  # fmt: skip
    for key in ("CONDA_EXE", "CONDA_PREFIX", "PYENV_ROOT", "UV_PYTHON_INSTALL_DIR", "XDG_DATA_HOME"):
        env.pop(key, None)
    return {**env, **extra}


def setup(*args: str, env: dict[str, str], cwd: Path) -> Run:
    return doctor("setup", *args, env=env, cwd=cwd)


def one_line_error(run: Run, words: str) -> None:
    assert run.returncode == 2, run.output
    assert run.stderr.startswith("d2l-doctor: error: ") and run.stderr.count("\n") == 1, run.stderr
    assert words in run.stderr, run.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--undo", "--apply"), "--undo and --apply"),
        (("--book-version", "9.9"), "1.0.3"),
        (("--python-version", "3.12"), "3.8–3.11"),
        (("--conda", "my env"), "not a conda environment name"),
        (("--conda", "d2l"), "conda is not installed"),
        (("somewhere", "--conda", "d2l"), "either a PATH"),
        (("--mirror", "nowhere"), "unknown --mirror"),
    ],
)
def test_bad_usage(args: tuple[str, ...], words: str, tmp_path: Path) -> None:
    one_line_error(setup(*args, env=isolated(tmp_path), cwd=tmp_path), words)


def test_a_folder_setup_did_not_make_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / "project"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine\n", encoding="utf-8")
    env = isolated(tmp_path)
    one_line_error(setup(str(mine), env=env, cwd=tmp_path), "was not made by d2l-doctor setup")
    one_line_error(setup(str(mine), "--undo", "--yes", env=env, cwd=tmp_path), "leaves it alone")
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_nothing_to_undo(tmp_path: Path) -> None:
    run = setup("--undo", "--yes", "--json", env=isolated(tmp_path), cwd=tmp_path)
    assert run.returncode == 0, run.output
    assert run.doc["removed"] == [] and "Nothing to undo" in run.stderr


def test_apply_without_a_terminal_or_yes_is_refused(tmp_path: Path) -> None:
    one_line_error(setup("--apply", env=isolated(tmp_path), cwd=tmp_path), "--yes")
    assert not (tmp_path / "d2l-env").exists()


def test_no_fitting_python_says_how_to_get_one(tmp_path: Path) -> None:
    """d2l 0.17.6 pins pandas 1.2.4, with wheels up to Python 3.9; the tests' own Python is newer."""
    run = setup("--book-version", "0.17.6", "--json", env=isolated(tmp_path), cwd=tmp_path)
    assert run.returncode == 1, run.output
    doc = run.doc
    assert doc["choice"]["python"] == "3.9" and doc["choice"]["base"] is None
    assert doc["choice"]["get_python"] == [
        ["conda", "create", "-n", "d2l-env", "python=3.9", "-y"],
        ["uv", "python", "install", "3.9"],
    ]
    assert not any(step["argv"] for step in doc["steps"])
    assert "Install Python 3.9 first" in run.stderr and "export UV_PYTHON_INSTALL_MIRROR=" in run.stderr
    assert not (tmp_path / "d2l-env").exists()


def test_the_doctors_own_python_builds_the_default_env(tmp_path: Path) -> None:
    run = setup("--json", "--mirror", "tuna", env=isolated(tmp_path), cwd=tmp_path)
    minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if minor not in ("3.10", "3.11"):
        assert run.returncode in (0, 1), run.output  # another Python fits d2l 1.0.3 than the tests' own
        return
    assert run.returncode == 0, run.output
    doc = run.doc
    assert doc["target"]["prefix"] == str(tmp_path / "d2l-env") and doc["target"]["kernel"] == "d2l-env"
    assert doc["choice"]["python"] == minor
    env_step = doc["steps"][0]
    assert env_step["argv"][1:] == ["-m", "venv", str(tmp_path / "d2l-env")]
    d2l = doc["steps"][2]["argv"]
    assert "https://pypi.tuna.tsinghua.edu.cn/simple" in d2l and d2l[-2:] == ["d2l==1.0.3", "ipython<9.16"]
    assert "download.pytorch.org" in " ".join(doc["steps"][1]["argv"])  # torch never from the PyPI mirror
    assert not (tmp_path / "d2l-env").exists()


def test_a_conda_env_is_planned_the_books_way(tmp_path: Path) -> None:
    base = tmp_path / "miniconda3"
    (base / "bin").mkdir(parents=True)
    conda = base / "bin" / "conda"
    conda.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    conda.chmod(conda.stat().st_mode | stat.S_IXUSR)
    env = isolated(tmp_path, CONDA_EXE=str(conda))
    run = setup("--conda", "d2l", "--mirror", "tuna", "--json", env=env, cwd=tmp_path)
    assert run.returncode == 0, run.output
    doc = run.doc
    prefix = str(base / "envs" / "d2l")
    assert doc["target"]["kind"] == "conda" and doc["target"]["prefix"] == prefix
    create = doc["steps"][0]["argv"]
    assert create[:6] == [str(conda), "create", "-p", prefix, f"python={doc['choice']['python']}", "-y"]
    assert (
        "--override-channels" in create
        and "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main" in create
    )
    assert doc["steps"][1]["argv"][0] == os.path.join(prefix, "bin", "python")


def test_a_kernel_of_the_same_name_that_is_somebody_elses_is_never_overwritten(tmp_path: Path) -> None:
    env = isolated(tmp_path)
    theirs = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / "d2l-env"
    theirs.mkdir(parents=True)
    spec = '{"argv": ["/opt/other/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]}'
    (theirs / "kernel.json").write_text(spec, encoding="utf-8")
    run = setup("--json", env=env, cwd=tmp_path)
    assert run.returncode in (0, 1), run.output
    assert run.doc["target"]["kernel"] == "d2l-env-2"
    kernel = run.doc["steps"][-1]["argv"]
    assert not kernel or kernel[kernel.index("--name") + 1] == "d2l-env-2"  # empty: no Python fits here
    assert (theirs / "kernel.json").read_text(encoding="utf-8") == spec


def test_behind_a_firewall_nothing_is_created(tmp_path: Path) -> None:
    """Every host refuses: the preflight blocks the steps that download, with the reason, before any change."""
    from tests.fix.hosts import refusing

    with refusing() as dead:
        matrix = matrix_copy(tmp_path / "matrix.yaml", f"{dead}/whl")
        run = setup("--matrix", str(matrix), "--mirror", f"{dead}/simple", "--apply", "--yes", "--json",
                    env=isolated(tmp_path), cwd=tmp_path)  # fmt: skip
    assert run.returncode == 1, run.output
    assert "applied" not in run.doc and "Nothing was changed" in run.stderr
    assert not (tmp_path / "d2l-env").exists()
    if sys.version_info[:2] in ((3, 10), (3, 11)):  # else no Python fits d2l 1.0.3: blocked before any host
        host = dead.split("://", 1)[1]
        assert run.doc["blocked"] == {"torch": host, "d2l": host, "notebook": host}


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    """The hosts answer, and the folder cannot be made (its parent is a file): one line, exit 2, nothing left."""
    from tests.fix.servers import mirror_server

    (tmp_path / "a-file").write_text("", encoding="utf-8")
    with mirror_server() as live:
        matrix = matrix_copy(tmp_path / "matrix.yaml", f"{live}/whl")
        run = setup(str(tmp_path / "a-file" / "env"), "--matrix", str(matrix), "--mirror", f"{live}/simple",
                    "--apply", "--yes", env=isolated(tmp_path), cwd=tmp_path)  # fmt: skip
    if sys.version_info[:2] in ((3, 10), (3, 11)):
        one_line_error(run, "cannot create the environment")
    else:
        assert run.returncode == 1, run.output  # no Python fits d2l 1.0.3: blocked before anything is made
    assert (tmp_path / "a-file").is_file()
