"""`d2l-doctor smoke-notebook` through real kernels: one whose interpreter lacks torch, one whose cell hangs, an
interpreter without ipykernel, and bad usage. Jupyter's folders and HOME are temporary: no real kernelspec is
touched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import pytest

from d2l_doctor.models import SCHEMA_VERSION
from tests.fakes.torchvision_pkg import install_torchvision
from tests.support.doctor import Run, doctor, user_env
from tests.support.venvs import Venv, index_unreachable, make_venv

# What `from d2l import torch as d2l` imports, at today's versions (d2l itself goes in with --no-deps: the
# matrix's workaround), and ipykernel for the notebook.
D2L_IMPORTS = ("torch==2.13.0", "ipykernel", "numpy", "matplotlib", "pandas", "requests", "scipy")

pytestmark = pytest.mark.venv


@pytest.fixture(scope="module")
def kernel_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """ipykernel and nothing of the book."""
    try:
        return make_venv(tmp_path_factory.mktemp("kernel") / "venv", "ipykernel")
    except RuntimeError as exc:
        index_unreachable(f"could not install ipykernel: {str(exc).splitlines()[-1]}")


@pytest.fixture(scope="module")
def d2l_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    try:
        env = make_venv(tmp_path_factory.mktemp("d2l") / "venv", *D2L_IMPORTS, no_deps=("d2l==1.0.3",))
    except RuntimeError as exc:
        index_unreachable(f"could not build the d2l venv: {str(exc).splitlines()[-1]}")
    install_torchvision(env.site_packages)
    return env


def jupyter_env(tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "jupyter-data"
    (data / "kernels").mkdir(parents=True, exist_ok=True)
    return {
        "JUPYTER_DATA_DIR": str(data),
        "JUPYTER_PATH": "",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "HOME": str(tmp_path / "home"),
    }


def register(
    env: dict[str, str], name: str, python: Path, extra_env: Optional[dict[str, str]] = None
) -> None:
    folder = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / name
    folder.mkdir()
    spec = {"argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": name, "language": "python", "env": extra_env or {}}  # fmt: skip
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")


def smoke_notebook(*args: str, env: dict[str, str]) -> Run:
    return doctor("smoke-notebook", *args, env=user_env(env), guard_s=300)


def test_a_kernel_without_torch(kernel_venv: Venv, tmp_path: Path) -> None:
    env = jupyter_env(tmp_path)
    register(env, "no-torch", kernel_venv.python)
    run = smoke_notebook("--kernel", "no-torch", "--json", "--timeout", "60", env=env)
    assert run.returncode == 1, run.output
    doc = run.doc
    assert doc["schema_version"] == SCHEMA_VERSION and doc["exit_code"] == 1 and doc["kernel"]["ok"] is True
    (finding,) = doc["findings"]
    assert (finding["id"], finding["cell"]) == ("notebook-cell-failed", "torch")
    assert finding["cause"]["finding"] == "torch-missing"
    assert "No module named 'torch'" in finding["error"]
    assert all(c.get("skipped") for c in doc["cells"][1:])
    assert "Cell 1/5: torch" in run.stderr  # progress, cell by cell


def test_a_cell_that_hangs_is_stopped(kernel_venv: Venv, tmp_path: Path) -> None:
    """A torch whose import never returns: the cell's timeout stops it, and says so."""
    hang = tmp_path / "hang"
    (hang / "torch").mkdir(parents=True)
    (hang / "torch" / "__init__.py").write_text("import time\ntime.sleep(600)\n", encoding="utf-8")
    env = jupyter_env(tmp_path)
    register(env, "hangs", kernel_venv.python, {"PYTHONPATH": str(hang)})
    run = smoke_notebook("--kernel", "hangs", "--json", "--timeout", "5", env=env)
    assert run.returncode == 1, run.output
    (finding,) = run.doc["findings"]
    assert (finding["id"], finding["cell"]) == ("notebook-cell-timeout", "torch")
    assert finding["cause"]["kind"] == "cell-timeout"
    assert "5 s" in finding["error"]


def test_an_interpreter_without_ipykernel(torch_venv: Venv, tmp_path: Path) -> None:
    run = smoke_notebook(
        "--python", str(torch_venv.python), "--json", "--timeout", "60", env=jupyter_env(tmp_path)
    )
    assert run.returncode == 1, run.output
    (finding,) = run.doc["findings"]
    assert finding["id"] == "notebook-kernel-failed"
    assert (finding["cause"]["kind"], finding["cause"]["finding"]) == (
        "no-ipykernel",
        "jupyter-kernel-missing",
    )
    assert not list((Path(jupyter_env(tmp_path)["JUPYTER_DATA_DIR"]) / "kernels").iterdir())


@pytest.mark.parametrize(
    "args",
    [("--python", "/usr/bin/python3", "--kernel", "python3"), ("--kernel", "no-such-kernel")],
)
def test_bad_usage_is_one_line_and_exit_2(args: tuple[str, ...], tmp_path: Path) -> None:
    run = smoke_notebook(*args, env=jupyter_env(tmp_path))
    assert run.returncode == 2, run.output
    assert run.stderr.startswith("d2l-doctor: error: ") and run.stderr.count("\n") == 1


def test_the_book_runs_in_a_d2l_environment(d2l_venv: Venv, tmp_path: Path) -> None:
    """Every cell runs (the CPU twin of the GPU check here), on a temporary kernel that leaves nothing behind;
    and `check` runs the book's first cell there without a failure."""
    env = jupyter_env(tmp_path)
    run = smoke_notebook("--python", str(d2l_venv.python), "--json", "--timeout", "120", env=env)
    assert run.returncode == 0, run.output
    doc = run.doc
    assert doc["findings"] == [] and doc["kernel"]["python"] == str(d2l_venv.python)
    assert [c["name"] for c in doc["cells"] if c["ok"]] == [
        "torch",
        "tensor",
        "d2l",
        "linear regression",
        "plot",
    ]
    assert not list((Path(env["JUPYTER_DATA_DIR"]) / "kernels").iterdir())
    checked = doctor("check", "--python", str(d2l_venv.python), "--json", env=user_env(env))
    assert "book-cell-failed" not in [f["id"] for f in checked.doc["findings"]], checked.output
    steps = {s["name"]: s for s in checked.doc["snapshot"]["book"]}
    assert all(s["ok"] for s in steps.values()) and steps["tensor"]["device"] == "cpu"
