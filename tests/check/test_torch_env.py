"""End to end in real venvs with torch 2.13.0 (CPU): a healthy one, and one with PyPI's CUDA torchvision."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.check.support import check, evidence_text, fix_of
from tests.support.venvs import Venv, make_venv

pytestmark = pytest.mark.venv


def test_healthy_torch_venv(torch_venv: Venv) -> None:
    run = check("--python", str(torch_venv.python), "--json")
    assert run.returncode == 0, run.stderr
    doc = run.doc
    assert doc["exit_code"] == 0
    assert run.errors() == []
    assert "no-nvidia-gpu" in run.findings()
    assert doc["snapshot"]["python"]["executable"] == str(torch_venv.python)
    assert doc["snapshot"]["python"]["chosen_by"] == "--python"
    assert doc["snapshot"]["packages"]["torch"].startswith("2.13.0")
    assert doc["snapshot"]["imports"]["torch"]["ok"] is True
    # This machine has the CUDA 13.0 toolkit in /usr/local/cuda-13.0 (no GPU): it is reported as a fact.
    toolkits = doc["snapshot"]["cuda_toolkits"]
    assert any(k["version"] == "13.0" for k in toolkits), toolkits


def test_healthy_torch_venv_on_the_console(torch_venv: Venv) -> None:
    run = check("--python", str(torch_venv.python), "--lang", "en")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].endswith(f"examined {torch_venv.python} (given with --python)")
    areas = [ln.split(":")[0] for ln in lines if re.match(r"^\[(✓|!|✗|\?)\] ", ln)]
    names = ["GPU & driver", "CUDA & cuDNN", "Python & conda", "PyTorch stack", "Jupyter", "d2l"]
    assert [a[4:] for a in areas] == names
    assert "[✓] PyTorch stack: torch 2.13.0" in run.stdout
    assert re.search(r"^0 errors, \d+ warnings?, \d+ notes? in 6 areas$", run.stdout, re.M)


def test_markdown_report_of_a_real_venv_names_no_home(torch_venv: Venv) -> None:
    run = check("--python", str(torch_venv.python), "--markdown", "--lang", "en", "-v")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("### d2l-doctor report")
    assert "<details>" in run.stdout
    assert f"{Path.home()}{os.sep}" not in run.stdout


@pytest.fixture(scope="module")
def cuda_torchvision_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """torch 2.13.0+cpu with PyPI's torchvision 0.28.0, which is built for the CUDA torch of PyPI."""
    root = tmp_path_factory.mktemp("tv") / "venv"
    return make_venv(root, "torch==2.13.0", no_deps=("torchvision==0.28.0",))


def test_torchvision_built_for_another_torch(cuda_torchvision_venv: Venv) -> None:
    run = check("--python", str(cuda_torchvision_venv.python), "--json")
    assert run.returncode == 1, run.stderr
    finding = run.findings()["torchvision-mismatch"]
    assert finding["severity"] == "error"
    assert "operator torchvision::nms does not exist" in evidence_text(finding)
    installs = [f for f in fix_of(finding, "pip-install") if any("torchvision" in p for p in f["packages"])]
    assert installs, finding["fixes"]
    fix = installs[0]
    assert "torchvision==0.28.0" in fix["packages"]
    assert fix["index_url"] == "https://download.pytorch.org/whl/cpu"
    # The argv runs pip of the examined interpreter, from the CPU wheel index.
    argv = fix["argv"]
    assert argv[:4] == [str(cuda_torchvision_venv.python), "-m", "pip", "install"]
    index_flag = "-i" if "-i" in argv else "--index-url"
    assert argv[argv.index(index_flag) + 1] == "https://download.pytorch.org/whl/cpu"
    assert "torchvision==0.28.0" in argv
