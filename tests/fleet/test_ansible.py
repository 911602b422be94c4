"""`fleet run --ansible`: real Ansible (ansible-core) over an inventory of local hosts, each pointing at a real
venv, and one host that cannot be reached (ssh to a closed loopback port); and the shipped playbook."""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from d2l_doctor.fleet.ansible import PLAYBOOK
from tests.fleet.support import fleet
from tests.support.venvs import Venv

pytestmark = pytest.mark.venv


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def inventory(
    tmp_path_factory: pytest.TempPathFactory, torch_venv: Venv, mismatch_venv: Venv, pillow_venv: Venv
) -> Path:
    """healthy and pillow name the examined env with d2l_doctor_python; mismatch only through
    ansible_python_interpreter (the fallback); gone is an ssh host on a port nobody listens on."""
    doctor = shlex.quote(f"{sys.executable} -m d2l_doctor")
    runner = f"ansible_connection=local ansible_python_interpreter={sys.executable} d2l_doctor_command={doctor}"
    lines = [
        "[lab]",
        f"healthy {runner} d2l_doctor_python={torch_venv.python}",
        f"mismatch ansible_connection=local ansible_python_interpreter={mismatch_venv.python} "
        f"d2l_doctor_command={doctor}",
        f"pillow {runner} d2l_doctor_python={pillow_venv.python}",
        f"gone ansible_host=127.0.0.1 ansible_port={closed_port()} ansible_user=nobody",
    ]
    path = tmp_path_factory.mktemp("inventory") / "lab.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ansible_env(home: Path) -> dict[str, str]:
    """Ansible from the test venv, its state under the test's folder."""
    from tests.support.doctor import user_env

    return user_env(
        {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "ANSIBLE_HOME": str(home),
            "ANSIBLE_SSH_ARGS": "-o ConnectTimeout=5 -o BatchMode=yes",
        }
    )


def test_every_host_gets_a_report_file_and_the_unreachable_one_says_why(
    inventory: Path, tmp_path: Path, torch_venv: Venv, mismatch_venv: Venv, pillow_venv: Venv
) -> None:
    from tests.support.doctor import doctor

    out = tmp_path / "reports"
    run = doctor("fleet", "run", "--ansible", str(inventory), "--out", str(out), "--timeout", "120",
                 env=ansible_env(tmp_path / "ansible"), guard_s=600)
    assert run.returncode == 1, run.output  # one host could not be checked
    assert "4 reports" in run.stdout and "1 could not be checked" in run.stdout, run.output
    assert sorted(p.name for p in out.iterdir()) == ["gone.json", "healthy.json", "mismatch.json", "pillow.json"]
    gone = json.loads((out / "gone.json").read_text(encoding="utf-8"))["fleet_failure"]
    assert gone["engine"] == "ansible" and gone["why"].startswith("unreachable:"), gone
    # Each host examined its own venv: d2l_doctor_python, else ansible_python_interpreter.
    examined = {
        name: json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["snapshot"]["python"]["executable"]
        for name in ("healthy", "mismatch", "pillow")
    }
    assert examined == {"healthy": str(torch_venv.python), "mismatch": str(mismatch_venv.python),
                        "pillow": str(pillow_venv.python)}

    report = fleet("report", "--json", str(out))
    assert report.returncode == 1
    machines = {m["name"]: m for m in report.doc["machines"]}
    assert machines["healthy"]["ok"] is True
    assert "torchvision-mismatch" in machines["mismatch"]["findings"]
    assert "pillow-broken" in machines["pillow"]["findings"]
    assert [u["name"] for u in report.doc["unreadable"]] == ["gone"]


def test_limit_picks_hosts(inventory: Path, tmp_path: Path) -> None:
    from tests.support.doctor import doctor

    out = tmp_path / "reports"
    run = doctor("fleet", "run", "--ansible", str(inventory), "--limit", "healthy", "--out", str(out),
                 env=ansible_env(tmp_path / "ansible"), guard_s=600)
    assert run.returncode == 0, run.output
    assert [p.name for p in out.iterdir()] == ["healthy.json"]
    assert fleet("report", str(out)).returncode == 0


def test_the_shipped_playbook_fetches_every_report(inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "fetched"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), str(PLAYBOOK),
         "-e", f"d2l_doctor_reports={out}"],
        env=ansible_env(tmp_path / "ansible"), capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode != 0  # `gone` is unreachable: ansible-playbook says so with its exit code
    assert "unreachable=1" in proc.stdout, proc.stdout[-3000:]
    assert sorted(p.name for p in out.iterdir()) == ["healthy.json", "mismatch.json", "pillow.json"]
    report = fleet("report", "--json", str(out))
    assert {m["name"] for m in report.doc["machines"]} == {"healthy", "mismatch", "pillow"}
