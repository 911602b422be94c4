"""A real venv holding a torch release the matrix does not list (tiny local wheels named torch and torchvision,
with the metadata real ones carry; no real torch): the check still pairs torchvision by what it declares, says
which facts came from metadata, and says the matrix is behind, with its date."""

from __future__ import annotations

import pytest

from d2l_doctor.matrix import load_matrix
from tests.check.support import check
from tests.support.venvs import Venv, make_venv
from tests.support.wheels import build_wheel, fake_package_files, fake_torch_files

pytestmark = pytest.mark.venv

TORCH, TORCHVISION = "2.16.0", "0.31.0"  # newer than every release in the bundled matrix


@pytest.fixture(scope="module")
def newer_torch_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    wheels = tmp_path_factory.mktemp("wheels")
    build_wheel(wheels, "torch", TORCH, fake_torch_files(TORCH), requires_python=">=3.10")
    build_wheel(
        wheels,
        "torchvision",
        TORCHVISION,
        fake_package_files("torchvision", TORCHVISION),
        requires=[f"torch=={TORCH}"],
    )
    env = make_venv(tmp_path_factory.mktemp("horizon") / "venv")
    env.pip(
        "install",
        "-q",
        "--no-index",
        "--find-links",
        str(wheels),
        f"torch=={TORCH}",
        f"torchvision=={TORCHVISION}",
    )
    return env


def test_a_torch_newer_than_the_matrix_is_said_and_paired_by_metadata(newer_torch_venv: Venv) -> None:
    matrix = load_matrix(None)
    assert matrix.torch_release(TORCH) is None  # the premise: the matrix does not know it
    run = check("--python", str(newer_torch_venv.python), "--json", "--lang", "en")
    assert run.returncode == 0, run.output
    snapshot = run.doc["snapshot"]
    assert snapshot["packages"]["torch"] == TORCH
    assert f"torch=={TORCH}" in snapshot["requires"]["torchvision"]  # read from the installed metadata
    findings = run.findings()
    assert "torchvision-mismatch" not in findings  # paired correctly, by what torchvision declares
    behind = findings["matrix-behind"]
    assert behind["severity"] == "info"
    assert matrix.reviewed in behind["title"]
    assert matrix.newest_known_torch() in behind["detail"] and TORCH in behind["detail"]
    assert behind["evidence"]["from metadata"] == [f"torchvision: torch=={TORCH}"]


def test_check_v_shows_the_matrix_date_and_newest_torch(newer_torch_venv: Venv) -> None:
    matrix = load_matrix(None)
    run = check("--python", str(newer_torch_venv.python), "-v", "--lang", "en")
    assert run.returncode == 0, run.output
    line = (
        f"Compatibility table: compat_matrix.yaml, reviewed {matrix.reviewed}; "
        f"the newest torch it knows is {matrix.newest_known_torch()}"
    )
    assert line in run.stdout
    assert "from the packages' own metadata" in run.stdout
    zh = check("--python", str(newer_torch_venv.python), "-v", "--lang", "zh")
    assert f"审核于 {matrix.reviewed}" in zh.stdout
