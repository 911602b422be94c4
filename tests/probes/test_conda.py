"""conda environments: fake prefixes with conda-meta records, and a fake `conda info --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from d2l_doctor.probes import conda

INFO = {
    "conda_version": "24.1.2",
    "platform": "linux-64",
    "channels": [
        "https://user:secret@mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main/linux-64",
        "https://user:secret@mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main/noarch",
        "https://conda.anaconda.org/pytorch/linux-64",
        "https://conda.anaconda.org/pytorch/noarch",
    ],
}


def record(meta: Path, name: str, version: str, build: str, subdir: str) -> None:
    meta.mkdir(parents=True, exist_ok=True)
    data = {"name": name, "version": version, "build": build, "subdir": subdir, "files": ["a", "b"]}
    (meta / f"{name}-{version}-{build}.json").write_text(json.dumps(data, indent=2))


def fake_conda(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "miniconda3"
    (root / "condabin").mkdir(parents=True)
    (root / "envs").mkdir()
    record(root / "conda-meta", "conda", "24.1.2", "py311h06a4308_0", "linux-64")
    record(root / "conda-meta", "python", "3.11.7", "h955ad1f_0", "linux-64")
    return root


@pytest.fixture
def d2l_env(base: Path) -> Path:
    prefix = base / "envs" / "d2l"
    meta = prefix / "conda-meta"
    record(meta, "_libgcc_mutex", "0.1", "main", "linux-64")
    record(meta, "python", "3.8.18", "h955ad1f_0", "win-32")
    record(meta, "pytorch", "2.0.1", "py3.8_cpu_0", "win-32")
    record(meta, "matplotlib_inline", "0.1.6", "py38_0", "noarch")
    record(meta, "requests", "2.31.0", "pypi_0", "pypi")  # installed by pip, listed by conda
    return prefix


def test_not_conda(tmp_path: Path) -> None:
    assert conda.probe(str(tmp_path), {}) == conda.CondaFacts(None)


def test_env_from_its_files_only(d2l_env: Path, base: Path) -> None:
    facts = conda.probe(str(d2l_env), {}, run_info=False)
    info = facts.info
    assert info is not None and facts.problem is None
    assert (info.env_name, info.is_base, info.prefix) == ("d2l", False, str(d2l_env))
    assert info.platform == "win-32"  # the python record's subdir
    assert info.conda_version == "24.1.2"  # from the base's conda record
    assert info.managed == ("-libgcc-mutex", "matplotlib-inline", "python", "pytorch", "torch")
    assert info.conda_exe is None and info.channels == ()


def test_base_env(base: Path) -> None:
    info = conda.probe(str(base), {}, run_info=False).info
    assert info is not None
    assert (info.env_name, info.is_base, info.platform) == ("base", True, "linux-64")


def test_conda_info_adds_channels_without_credentials(d2l_env: Path, base: Path) -> None:
    answer = base / "info.json"
    answer.write_text(json.dumps(INFO))
    fake_conda(base / "bin" / "conda", f"cat '{answer}'")
    facts = conda.probe(str(d2l_env), {"PATH": "/bin:/usr/bin"})
    info = facts.info
    assert info is not None and facts.problem is None
    assert info.conda_exe == str(base / "bin" / "conda")
    assert info.channels == (
        "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main",
        "https://conda.anaconda.org/pytorch",
    )
    assert info.platform == "win-32"  # the env's own records win over conda's platform


def test_a_slow_conda_is_given_up_on(d2l_env: Path, base: Path) -> None:
    exe = fake_conda(base / "slow-conda", "sleep 30")
    facts = conda.probe(str(d2l_env), {"CONDA_EXE": str(exe), "PATH": "/bin:/usr/bin"}, timeout=0.5)
    assert facts.info is not None and facts.info.conda_exe == str(exe)
    assert facts.problem == "conda info --json: timed out after 0.5 s"
    assert facts.info.platform == "win-32"  # the cheap facts are kept


def test_conda_info_garbage(d2l_env: Path, base: Path) -> None:
    exe = fake_conda(base / "bad-conda", "echo '[1, 2]'")
    facts = conda.probe(str(d2l_env), {"CONDA_EXE": str(exe), "PATH": "/bin:/usr/bin"})
    assert facts.problem == "conda info --json: not a JSON object"


def test_windows_conda_exe_in_base(tmp_path: Path) -> None:
    root = tmp_path / "Miniconda3"
    (root / "condabin").mkdir(parents=True)
    record(root / "conda-meta", "python", "3.12.1", "h1d929f7_0", "win-64")
    exe = root / "Scripts" / "conda.exe"
    exe.parent.mkdir()
    exe.write_text("")
    info = conda.probe(str(root), {}, run_info=False).info
    assert info is not None and info.conda_exe == str(exe) and info.platform == "win-64"
