"""End to end in real venvs, through the real probes and rules, with a local index on 127.0.0.1 as the mirror:
a damaged Pillow repaired; nbconvert 6.1.0 under Jinja2 3.1 upgraded and an unregistered env made a kernel,
then all of it undone to the exact `pip freeze` from before; and no change at all without --apply."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest

from tests.fix.conftest import fix_venv, offline_env
from tests.support.doctor import GUARD_S, Run, doctor
from tests.support.venvs import Venv

pytestmark = pytest.mark.venv


def run_in(venv: Venv, code: str, env: Optional[dict[str, str]] = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv.python), "-c", code], capture_output=True, text=True, env=env, timeout=GUARD_S
    )


# --------------------------------------------------------------------------- 1 + 4: a damaged Pillow


@pytest.fixture(scope="module")
def damaged_pillow(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Venv:
    # Shell metacharacters in the path: every command must reach pip as the argv it is.
    root = tmp_path_factory.mktemp("pillow") / "it's a $(test) & dir" / "venv"
    venv = fix_venv(root, wheelhouse, "pillow")
    extensions = list((venv.site_packages / "PIL").glob("_imaging.*"))
    assert extensions
    for so in extensions:
        so.write_bytes(b"")
    return venv


def test_damaged_pillow_is_repaired_through_the_local_mirror(
    damaged_pillow: Venv, local_index: str, tmp_path: Path
) -> None:
    env = offline_env(local_index, D2L_DOCTOR_STATE_DIR=str(tmp_path / "state"))
    python = str(damaged_pillow.python)
    before = damaged_pillow.freeze()

    shown = doctor("fix", "--python", python, "--mirror", local_index, "--shell", "bash", env=env)
    assert shown.returncode == 1, shown.output
    assert "pillow-broken" in shown.stdout and "--trusted-host" in shown.stdout
    assert damaged_pillow.freeze() == before  # 4: no --apply, no change
    assert run_in(damaged_pillow, "from PIL import Image").returncode != 0

    applied = doctor("fix", "--python", python, "--mirror", local_index, "--apply", "--yes", env=env)
    assert applied.returncode == 0, applied.output
    assert "fixed: pillow-broken" in applied.stdout
    image = run_in(damaged_pillow, "from PIL import Image; print(Image.new('RGB', (2, 2)).size)")
    assert image.returncode == 0 and image.stdout.strip() == "(2, 2)", image.stderr
    checked = doctor("check", "--python", python, "--json", env=env)
    assert "pillow-broken" not in checked.finding_ids(), checked.output
    assert damaged_pillow.freeze() == before  # the same Pillow, reinstalled whole


# --------------------------------------------------------------------------- 2 + 3 + 4: nbconvert and a
# kernel


@dataclass(frozen=True)
class NotebookCase:
    venv: Venv
    env: dict[str, str]
    before: list[str]
    kernels_before: dict[str, Any]
    shown: Run
    after_show: list[str]
    applied: Run
    after_apply: list[str]
    kernels_after: dict[str, Any]


def kernelspecs(venv: Venv, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [str(venv.python), "-m", "jupyter", "kernelspec", "list", "--json"],
        capture_output=True, text=True, env=env, timeout=GUARD_S,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout)["kernelspecs"])


def points_at(specs: dict[str, Any], python: Path) -> list[str]:
    return [name for name, spec in specs.items() if spec["spec"]["argv"][0] == str(python)]


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path, local_index: str) -> NotebookCase:
    root = tmp_path_factory.mktemp("notebook")
    venv = fix_venv(root / "venv", wheelhouse, "nbconvert==6.1.0", "jinja2>=3.1", "ipykernel")
    env = offline_env(
        local_index,  # as PIP_INDEX_URL: the user's own configuration, `--mirror pypi`
        D2L_DOCTOR_STATE_DIR=str(root / "state"),
        JUPYTER_DATA_DIR=str(root / "jupyter-data"),
        JUPYTER_PATH=str(root / "jupyter-path"),
        JUPYTER_CONFIG_DIR=str(root / "jupyter-config"),
        IPYTHONDIR=str(root / "ipython"),
    )
    before = venv.freeze()
    kernels_before = kernelspecs(venv, env)
    shown = doctor("fix", "--python", str(venv.python), "--json", env=env)
    after_show = venv.freeze()
    applied = doctor("fix", "--python", str(venv.python), "--apply", "--yes", env=env)
    return NotebookCase(
        venv, env, before, kernels_before, shown, after_show, applied, venv.freeze(), kernelspecs(venv, env)
    )


def test_without_apply_nothing_changes(notebook: NotebookCase) -> None:
    assert notebook.shown.returncode == 1, notebook.shown.output
    steps = notebook.shown.doc["plan"]["steps"]
    fixed = {i for s in steps for i in s["fixes"]}
    assert {"nbconvert-jinja2-contextfilter", "jupyter-kernel-missing"} <= fixed
    assert notebook.after_show == notebook.before
    assert points_at(notebook.kernels_before, notebook.venv.python) == []


def test_apply_upgrades_nbconvert(notebook: NotebookCase) -> None:
    assert notebook.applied.returncode == 0, notebook.applied.output
    assert "fixed: nbconvert-jinja2-contextfilter" in notebook.applied.stdout
    imported = run_in(notebook.venv, "import nbconvert; print(nbconvert.__version__)")
    assert imported.returncode == 0, imported.stderr
    from packaging.version import Version

    assert Version(imported.stdout.strip()) >= Version("6.2")
    assert "nbconvert==6.1.0" not in notebook.after_apply


def test_apply_registers_the_env_as_a_kernel(notebook: NotebookCase) -> None:
    assert notebook.applied.returncode == 0, notebook.applied.output
    assert points_at(notebook.kernels_after, notebook.venv.python), notebook.kernels_after
    assert "fixed: jupyter-kernel-missing" in notebook.applied.stdout


def test_undo_brings_back_the_exact_freeze(notebook: NotebookCase) -> None:
    listed = doctor("fix", "--undo", "--list", env=notebook.env)
    assert listed.returncode == 0 and "can be undone" in listed.stdout, listed.output
    undone = doctor("fix", "--undo", "--yes", "--python", str(notebook.venv.python), env=notebook.env)
    assert undone.returncode == 0, undone.output
    assert notebook.venv.freeze() == notebook.before
    assert points_at(kernelspecs(notebook.venv, notebook.env), notebook.venv.python) == []
    again = doctor("fix", "--undo", "--yes", env=notebook.env)  # that snapshot is used up
    assert again.returncode == 1 and "No snapshot" in again.stdout
