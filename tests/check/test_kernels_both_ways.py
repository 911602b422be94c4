"""Kernels, both ways. A venv whose own Jupyter comes with it (`pip install d2l` brings Jupyter) is a kernel
already: its share/jupyter/kernels/python3 starts `python`, which that Jupyter resolves to the venv's own
interpreter. And the opposite case: Jupyter runs from another environment (base, the system) and the torch
environment has no ipykernel, so no notebook can use it. Jupyter's folders are temporary ones, and HOME too."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.check.support import check, fix_of
from tests.support.venvs import Venv, index_unreachable, make_venv

pytestmark = pytest.mark.venv


@pytest.fixture(scope="module")
def jupyter_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A venv with its own Jupyter (server and kernel), as `pip install d2l` leaves one, without torch."""
    try:
        return make_venv(tmp_path_factory.mktemp("jupyter") / "venv", "ipykernel", "jupyter-server")
    except RuntimeError as exc:
        index_unreachable(f"could not install Jupyter: {str(exc).splitlines()[-1]}")


def jupyter_dirs(tmp_path: Path, path: str = "") -> dict[str, str]:
    data = tmp_path / "jupyter-data"
    data.mkdir(exist_ok=True)
    return {
        "JUPYTER_DATA_DIR": str(data),
        "JUPYTER_PATH": "",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / ".local" / "share"),
        "PATH": path,
    }


def test_a_venv_with_its_own_jupyter_is_registered(
    jupyter_venv: Venv, torch_venv: Venv, tmp_path: Path
) -> None:
    """...and, having no torch itself, it names the kernels whose Python has torch."""
    assert (jupyter_venv.root / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").is_file()
    env = jupyter_dirs(tmp_path, os.defpath)
    spec = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / "torch-env"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps({"argv": [str(torch_venv.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "torch env", "language": "python"}),
        encoding="utf-8",
    )  # fmt: skip
    run = check("--python", str(jupyter_venv.python), "--json", env=env)
    assert run.returncode in (0, 1), run.output
    assert "jupyter-kernel-missing" not in run.finding_ids(), run.findings().get("jupyter-kernel-missing")
    kernels = {k["name"]: k for k in run.doc["snapshot"]["jupyter"]["kernelspecs"]}
    python3 = kernels["python3"]
    assert python3["argv0"] == "python"
    assert (python3["python"], python3["scope"]) == (str(jupyter_venv.python), "env")
    assert python3["python_version"] and "ipykernel" in python3["packages"]
    elsewhere = run.findings()["torch-missing"]["evidence"]["torch elsewhere"]
    assert elsewhere == [f"{torch_venv.python} (torch 2.13.0+cpu)"]


def test_jupyter_elsewhere_and_a_torch_env_without_ipykernel(
    torch_venv: Venv, jupyter_venv: Venv, tmp_path: Path
) -> None:
    """Jupyter on PATH runs from jupyter_venv; the torch venv has no ipykernel; the user's python3 kernel (a
    bare `python`) starts Jupyter's own interpreter, which has no torch."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    jupyter = bin_dir / "jupyter-lab"
    jupyter.write_text(f"#!{jupyter_venv.python}\nimport sys\n", encoding="utf-8")
    jupyter.chmod(0o755)
    env = jupyter_dirs(tmp_path, f"{bin_dir}{os.pathsep}{os.defpath}")
    spec = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        '{"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], '
        '"display_name": "Python 3", "language": "python"}',
        encoding="utf-8",
    )
    run = check("--python", str(torch_venv.python), "--json", env=env)
    assert run.returncode in (0, 1), run.output
    assert run.doc["snapshot"]["jupyter"]["frontends"] == [str(jupyter_venv.python)]
    missing = run.findings()["jupyter-kernel-missing"]
    assert missing["evidence"]["jupyter runs from"] == str(jupyter_venv.python)
    assert [f["packages"] for f in fix_of(missing, "pip-install")] == [["ipykernel"]]
    (install,) = fix_of(missing, "kernel-install")
    assert install["argv"][:5] == [str(torch_venv.python), "-m", "ipykernel", "install", "--user"]
    no_torch = run.findings()["jupyter-kernel-no-torch"]
    assert no_torch["params"]["python"] == str(jupyter_venv.python)
    assert no_torch["severity"] == "info"
