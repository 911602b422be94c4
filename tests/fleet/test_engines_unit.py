"""The engines' command lines and how their outputs become report files, without the engines (their real runs
are test_slurm.py and test_ansible.py): a node cut off by the time limit, node names, the callback's JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from d2l_doctor import runner
from d2l_doctor.fleet import ansible, slurm
from d2l_doctor.fleet.collected import Collected
from d2l_doctor.runner import CmdResult
from tests.fleet.support import FIXTURES


def test_node_names_from_srun_files() -> None:
    assert slurm.node_names(["gpu01.0.out", "gpu02.1.out"]) == ["gpu01", "gpu02"]
    assert slurm.node_names(["vm.0.out", "vm.1.out"]) == ["vm-0", "vm-1"]


def test_srun_argv_keeps_one_task_per_node_whatever_the_user_passes(tmp_path: Path) -> None:
    argv = slurm.srun_argv("srun", ["-N4", "--ntasks-per-node=8", "-p", "gpu"], tmp_path, 90)
    assert argv[:4] == ["srun", "-N4", "--ntasks-per-node=8", "-p"]
    assert argv.index("--ntasks-per-node=1") > argv.index("--ntasks-per-node=8")  # srun takes the last
    assert f"--output={tmp_path}/%N.%n.out" in argv and "--time=2" in argv
    assert argv[-7:] == [sys.executable, "-m", "d2l_doctor", "check", "--json", "--timeout", "90"]


def test_a_node_cut_off_by_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """srun killed at the deadline: the node that finished keeps its report, the other is recorded."""
    report = (FIXTURES / "healthy.json").read_text(encoding="utf-8")

    def fake_run(argv: list[str], timeout: float, env: object = None, **_: object) -> CmdResult:
        raw = Path(next(a for a in argv if a.startswith("--output=")).split("=", 1)[1]).parent
        (raw / "gpu01.0.out").write_text(report, encoding="utf-8")
        (raw / "gpu02.1.out").write_text(report[:100], encoding="utf-8")  # cut off mid-document
        return CmdResult(tuple(argv), None, "", "", timeout, timed_out=True)

    monkeypatch.setattr(runner, "run", fake_run)
    monkeypatch.setattr(slurm.shutil, "which", lambda name: "/usr/bin/srun")
    done = slurm.collect([], tmp_path, 30, "en")
    assert done.checked == ["gpu01"] and done.failed == ["gpu02"]
    failure = json.loads((tmp_path / "gpu02.json").read_text(encoding="utf-8"))["fleet_failure"]
    assert failure == {"name": "gpu02", "engine": "slurm", "why": "timed out after 30 s"}


def test_ansible_command_and_callback_output(tmp_path: Path) -> None:
    argv = ansible.ansible_argv("ansible", tmp_path / "inv", "lab", 60)
    assert argv[:6] == ["ansible", "all", "-i", str(tmp_path / "inv"), "--limit", "lab"]
    cmd = json.loads(argv[argv.index("-a") + 1])["cmd"]
    assert "d2l_doctor_python | quote" in cmd and "ansible_python_interpreter | quote" in cmd
    assert cmd.startswith("{{ d2l_doctor_command | default('d2l-doctor') }} check --json")
    env = ansible.ansible_env()
    assert env["ANSIBLE_STDOUT_CALLBACK"] == "d2l_doctor_json" and (ansible.PLUGINS / "d2l_doctor_json.py").exists()
    stdout = "[WARNING]: something\n" + json.dumps(
        {
            "d2l_doctor_hosts": {
                "a": {"status": "failed", "rc": 1, "stdout": (FIXTURES / "healthy.json").read_text(), "msg": "x"},
                "b": {"status": "failed", "rc": 127, "stdout": "", "stderr": "d2l-doctor: not found", "msg": "x"},
                "c": {"status": "unreachable", "msg": "ssh: connect to host c port 22: Connection refused"},
            }
        }
    )
    hosts = ansible.parse_hosts(stdout)
    assert hosts is not None
    done = Collected(tmp_path, "ansible")
    for name, host in sorted(hosts.items()):
        ansible.record(done, name, host, 60, "zh")
    assert done.checked == ["a"] and done.failed == ["b", "c"]
    why_b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["fleet_failure"]["why"]
    assert why_b == "检查未能运行：d2l-doctor: not found"
    assert ansible.parse_hosts("ERROR! the inventory is broken") is None
