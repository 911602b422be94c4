"""`fleet run --slurm`: a real one-host Slurm cluster (munged, slurmctld, slurmd for node1 and node2 on
127.0.0.1), written and started by the fixture and stopped after."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fleet.slurm_cluster import Cluster, missing_programs, running_cluster
from tests.fleet.support import fleet
from tests.support.doctor import Run, doctor, user_env
from tests.support.venvs import Venv


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    missing = missing_programs()
    if missing:
        message = f"Slurm is not installed ({', '.join(missing)}): .ci/run installs slurm-wlm and munge"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with running_cluster(tmp_path_factory.mktemp("slurm")) as running:
        yield running


def node_env(cluster: Cluster, venv: Venv) -> dict[str, str]:
    """The caller's environment, which srun exports to the tasks: each node examines this venv."""
    return user_env({"SLURM_CONF": str(cluster.conf), "VIRTUAL_ENV": str(venv.root)})


def run_fleet(cluster: Cluster, venv: Venv, out: Path, *srun_args: str, prefix: tuple[str, ...] = ()) -> Run:
    passed = ("--", *srun_args) if srun_args else ()
    args = ("fleet", "run", "--slurm", "--out", str(out), "--timeout", "120", *passed)
    if not prefix:
        return doctor(*args, env=node_env(cluster, venv), guard_s=600)
    proc = subprocess.run(
        [*prefix, sys.executable, "-m", "d2l_doctor", *args], capture_output=True, text=True,
        env=node_env(cluster, venv), timeout=600,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def test_one_report_per_node(cluster: Cluster, torch_venv: Venv, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    run = run_fleet(cluster, torch_venv, out, "-N2")
    assert run.returncode == 0, run.output + cluster.logs()
    files = sorted(p.name for p in out.glob("*.json"))
    assert len(files) == 2, files  # node1 and node2 share this host: host-0 and host-1
    for name in files:
        doc = json.loads((out / name).read_text(encoding="utf-8"))
        assert doc["snapshot"]["python"]["executable"].startswith(str(torch_venv.root)), name
    report = fleet("report", "--json", str(out))
    assert report.returncode == 0, report.output
    assert [len(g["machines"]) for g in report.doc["groups"]] == [2]


def test_inside_an_allocation_srun_uses_its_nodes(cluster: Cluster, torch_venv: Venv, tmp_path: Path) -> None:
    salloc = shutil.which("salloc") or "salloc"
    out = tmp_path / "reports"
    run = run_fleet(cluster, torch_venv, out, prefix=(salloc, "-N2"))
    assert run.returncode == 0, run.output + cluster.logs()
    assert len(list(out.glob("*.json"))) == 2


def test_nodes_that_fail_are_recorded_with_the_reason(cluster: Cluster, torch_venv: Venv, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    # The nodes' Python cannot start: a broken PYTHONHOME exported to the tasks.
    run = run_fleet(cluster, torch_venv, out, "-N2", "--export=ALL,PYTHONHOME=/nonexistent-python-home")
    assert run.returncode == 1, run.output
    files = sorted(out.glob("*.json"))
    assert len(files) == 2
    for path in files:
        failure = json.loads(path.read_text(encoding="utf-8"))["fleet_failure"]
        assert failure["engine"] == "slurm"
        assert "no report" in failure["why"] and "exit code" in failure["why"], failure
    report = fleet("report", "--json", str(out))
    assert report.returncode == 1 and len(report.doc["unreadable"]) == 2


def test_srun_that_cannot_start_is_recorded(cluster: Cluster, torch_venv: Venv, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    run = run_fleet(cluster, torch_venv, out, "-w", "no-such-node")
    assert run.returncode == 1, run.output
    failure = json.loads((out / "srun.json").read_text(encoding="utf-8"))["fleet_failure"]
    assert "srun failed" in failure["why"], failure
