"""Kernelspecs: trees in tmp_path with live and dead interpreters, and Jupyter's search order per OS."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from d2l_doctor.probes import jupyter


def kernel(data_dir: Path, name: str, argv0: str, display: str | None = None) -> Path:
    folder = data_dir / "kernels" / name
    folder.mkdir(parents=True)
    spec = {"argv": [argv0, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "language": "python"}
    spec["display_name"] = display or name
    (folder / "kernel.json").write_text(json.dumps(spec))
    return folder


def test_live_dead_and_relative_interpreters(tmp_path: Path) -> None:
    data = tmp_path / "data"
    kernel(data, "d2l", sys.executable, "Python (d2l)")
    kernel(data, "old-env", str(tmp_path / "deleted-env" / "bin" / "python"))
    kernel(data, "python3", "python")  # a bare name: looked up on PATH
    kernel(data, "julia", "julia-that-is-nowhere")
    env = {"JUPYTER_DATA_DIR": str(data), "HOME": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    info = jupyter.probe(env, prefix=None, system="linux")
    by_name = {k.name: k for k in info.kernelspecs}
    assert by_name["d2l"].interpreter_exists is True and by_name["d2l"].display_name == "Python (d2l)"
    assert by_name["old-env"].interpreter_exists is False
    assert by_name["python3"].interpreter_exists is True
    assert by_name["julia"].interpreter_exists is None  # unknown: not ours to say
    assert by_name["d2l"].argv0 == sys.executable and by_name["d2l"].language == "python"
    assert by_name["d2l"].resource_dir == str(data / "kernels" / "d2l")


def test_search_order_and_first_one_wins(tmp_path: Path) -> None:
    extra, user, prefix = tmp_path / "extra", tmp_path / "user", tmp_path / "env"
    kernel(extra, "Shared", sys.executable, "from JUPYTER_PATH")
    kernel(user, "shared", "/gone/python", "from the user dir")
    kernel(prefix / "share" / "jupyter", "envkernel", sys.executable)
    env = {"JUPYTER_PATH": f"{extra}:{tmp_path / 'missing'}", "JUPYTER_DATA_DIR": str(user), "PATH": ""}
    info = jupyter.probe(env, prefix=str(prefix), system="linux")
    assert info.data_paths == (
        str(extra),
        str(tmp_path / "missing"),
        str(user),
        str(prefix / "share" / "jupyter"),
        "/usr/local/share/jupyter",
        "/usr/share/jupyter",
    )
    assert [(k.name, k.display_name) for k in info.kernelspecs][:2] == [
        ("shared", "from JUPYTER_PATH"),
        ("envkernel", "envkernel"),
    ]


def test_a_broken_kernel_json_is_still_listed(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "kernels" / "broken"
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text("{not json")
    info = jupyter.probe({"JUPYTER_DATA_DIR": str(tmp_path / "data"), "PATH": ""}, None, system="linux")
    assert [(k.name, k.argv0, k.interpreter_exists) for k in info.kernelspecs] == [("broken", None, None)]


def test_per_user_dirs_per_os(tmp_path: Path) -> None:
    assert jupyter.user_data_dir({"HOME": "/home/a"}, "linux") == Path("/home/a/.local/share/jupyter")
    assert jupyter.user_data_dir({"HOME": "/home/a", "XDG_DATA_HOME": "/x"}, "linux") == Path("/x/jupyter")
    assert jupyter.user_data_dir({"HOME": "/Users/a"}, "darwin") == Path("/Users/a/Library/Jupyter")
    appdata = tmp_path / "AppData" / "Roaming"
    assert jupyter.user_data_dir({"APPDATA": str(appdata)}, "windows") == appdata / "jupyter"


def test_windows_paths_and_interpreters(tmp_path: Path) -> None:
    appdata, programdata, prefix = tmp_path / "Roaming", tmp_path / "ProgramData", tmp_path / "envs" / "d2l"
    kernel(appdata / "jupyter", "gone", r"C:\Users\a\miniconda3\envs\gone\python.exe")
    scripts = tmp_path / "Scripts"
    scripts.mkdir()
    (scripts / "python.exe").write_text("")
    kernel(programdata / "jupyter", "bare", "python")
    env = {"APPDATA": str(appdata), "PROGRAMDATA": str(programdata), "PATH": f"{scripts};C:\\Windows"}
    info = jupyter.probe(env, prefix=str(prefix), system="windows")
    assert info.data_paths == (
        str(appdata / "jupyter"),
        str(prefix / "share" / "jupyter"),
        str(programdata / "jupyter"),
    )
    by_name = {k.name: k for k in info.kernelspecs}
    assert by_name["gone"].interpreter_exists is False
    assert by_name["bare"].interpreter_exists is True  # python.exe found on PATH
