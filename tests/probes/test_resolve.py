"""Which interpreter the doctor examines, and the one-line errors for a --python that is not one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import pytest

from d2l_doctor.errors import UsageError
from d2l_doctor.probes.resolve import guess_prefix, resolve_target


def make_python(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_venv_first(tmp_path: Path) -> None:
    venv_py = make_python(tmp_path / "venv" / "bin" / "python")
    make_python(tmp_path / "conda" / "bin" / "python")
    env = {"VIRTUAL_ENV": str(tmp_path / "venv"), "CONDA_PREFIX": str(tmp_path / "conda"), "PATH": ""}
    assert resolve_target(None, env, os_name="posix") == (str(venv_py), "venv")


def test_conda_when_no_venv(tmp_path: Path) -> None:
    conda_py = make_python(tmp_path / "conda" / "bin" / "python")
    env = {"CONDA_PREFIX": str(tmp_path / "conda"), "PATH": str(tmp_path / "elsewhere")}
    assert resolve_target(None, env, os_name="posix") == (str(conda_py), "conda")


def test_a_venv_variable_pointing_at_nothing_falls_through(tmp_path: Path) -> None:
    on_path = make_python(tmp_path / "usr" / "bin" / "python3")
    env = {"VIRTUAL_ENV": str(tmp_path / "deleted"), "PATH": f"{tmp_path / 'empty'}:{on_path.parent}"}
    assert resolve_target(None, env, os_name="posix") == (str(on_path), "path")


def test_python_before_python3_on_path(tmp_path: Path) -> None:
    py3 = make_python(tmp_path / "a" / "python3")
    py = make_python(tmp_path / "b" / "python")
    env = {"PATH": f"{py3.parent}:{py.parent}"}
    assert resolve_target(None, env, os_name="posix") == (str(py), "path")


def test_self_when_nothing_else(tmp_path: Path) -> None:
    assert resolve_target(None, {"PATH": str(tmp_path)}, os_name="posix") == (sys.executable, "self")


def test_windows_layouts(tmp_path: Path) -> None:
    venv_py = tmp_path / "venv" / "Scripts" / "python.exe"
    venv_py.parent.mkdir(parents=True)
    venv_py.write_text("")
    conda_py = tmp_path / "conda" / "python.exe"
    conda_py.parent.mkdir(parents=True)
    conda_py.write_text("")
    assert resolve_target(None, {"VIRTUAL_ENV": str(tmp_path / "venv")}, os_name="nt") == (
        str(venv_py),
        "venv",
    )
    assert resolve_target(None, {"CONDA_PREFIX": str(tmp_path / "conda")}, os_name="nt") == (
        str(conda_py),
        "conda",
    )


def test_windows_store_alias_is_not_a_python(tmp_path: Path) -> None:
    store = tmp_path / "WindowsApps" / "python.exe"
    store.parent.mkdir()
    store.write_text("")
    real = tmp_path / "Python312" / "python.exe"
    real.parent.mkdir()
    real.write_text("")
    env = {"PATH": f"{store.parent};{real.parent}"}
    assert resolve_target(None, env, os_name="nt") == (str(real), "path")


def test_given_python_file_and_folder(tmp_path: Path) -> None:
    py = make_python(tmp_path / "env" / "bin" / "python3.11")
    assert resolve_target(str(py), {}, os_name="posix") == (str(py), "--python")
    env_py = make_python(tmp_path / "env" / "bin" / "python")
    assert resolve_target(str(tmp_path / "env"), {}, os_name="posix") == (str(env_py), "--python")


def empty_folder(root: Path) -> Path:
    (root / "empty").mkdir()
    return root / "empty"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda t: t / "nope" / "python", "no such file or folder"),
        (lambda t: make_python(t / "notes.txt"), "not a Python interpreter"),
        (lambda t: make_python(t / "bin" / "ls"), "not a Python interpreter"),
        (empty_folder, "a folder with no Python interpreter"),
    ],
)
def test_bad_python_is_a_usage_error(tmp_path: Path, setup: Callable[[Path], Path], message: str) -> None:
    path = setup(tmp_path)
    with pytest.raises(UsageError) as info:
        resolve_target(str(path), {}, os_name="posix")
    text = str(info.value)
    assert text.startswith(f"--python {path}: ") and message in text
    assert "\n" not in text


def test_a_python_without_the_execute_bit_is_a_usage_error(tmp_path: Path) -> None:
    py = tmp_path / "python"
    py.write_text("")
    with pytest.raises(UsageError, match="not executable"):
        resolve_target(str(py), {}, os_name="posix")


@pytest.mark.parametrize(
    ("python", "os_name", "prefix"),
    [
        ("/home/a/venv/bin/python", "posix", "/home/a/venv"),
        ("/usr/bin/python3", "posix", "/usr"),
        (r"C:\Users\a\miniconda3\envs\d2l\python.exe", "nt", r"C:\Users\a\miniconda3\envs\d2l"),
        (r"C:\Users\a\venv\Scripts\python.exe", "nt", r"C:\Users\a\venv"),
    ],
)
def test_guess_prefix(python: str, os_name: str, prefix: str) -> None:
    assert guess_prefix(python, os_name) == prefix


def test_a_bare_name_is_looked_up_on_path(tmp_path: Path) -> None:
    py38 = make_python(tmp_path / "bin" / "python3.8")
    env = {"PATH": str(py38.parent)}
    assert resolve_target("python3.8", env, os_name="posix") == (str(py38), "--python")
    with pytest.raises(UsageError, match="no such file"):
        resolve_target("python3.99", env, os_name="posix")
