"""`smoke-gpu` across nodes: torchrun with two nodes on 127.0.0.1 (c10d rendezvous, gloo), a third rank that
never comes, a rendezvous nobody serves, and different torch builds on the ranks (from their own facts)."""

from __future__ import annotations

import datetime
import importlib.util
import json
import socket
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest

from d2l_doctor.smoke.nodes import Launch, launch_from_env, payload_path
from d2l_doctor.smoke.nodes_render import explain
from tests.support.doctor import doctor_argv, user_env

GUARD_S = 300  # a hung rank fails the test instead of hanging the suite (not a timing assertion)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loopback_env(**extra: str) -> dict[str, str]:
    return user_env({"GLOO_SOCKET_IFNAME": "lo", "OMP_NUM_THREADS": "1", **extra})


def finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=GUARD_S)
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            raise
        results.append((proc.returncode, out, err))
    return results


def test_torchrun_two_nodes_rank_0_prints_one_table() -> None:
    port = free_port()

    def node(rank: int) -> subprocess.Popen[str]:
        argv = [
            sys.executable, "-m", "torch.distributed.run", "--nnodes", "2", "--node-rank", str(rank),
            "--nproc-per-node", "1", "--rdzv-backend", "c10d", "--rdzv-endpoint", f"127.0.0.1:{port}",
            "--rdzv-id", "d2l-doctor-test", "--local-addr", "127.0.0.1",
            "-m", "d2l_doctor", "smoke-gpu", "--python", sys.executable, "--timeout", "200", "--lang", "en",
        ]
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=loopback_env())

    results = finish([node(0), node(1)])
    for code, out, err in results:
        assert code == 0, f"{out}\n{err[-3000:]}"
    outputs = [out for _, out, _ in results]
    tables = [o for o in outputs if "smoke-gpu across 2 ranks (torchrun, gloo)" in o]
    assert len(tables) == 1, outputs  # rank 0 only
    table = tables[0].splitlines()
    header = next(i for i, line in enumerate(table) if line.split()[:2] == ["rank", "host"])
    rows = [line.split() for line in table[header + 1 : header + 3]]
    assert [r[0] for r in rows] == ["0", "1"] and all(r[-1] == "ok" for r in rows), table
    assert all(float(r[-2]) > 0 for r in rows)  # bus bandwidth per rank
    assert "All 2 ranks joined" in tables[0]
    assert any("rank 1 of 2: all-reduce ok" in o for o in outputs)


def test_a_third_rank_that_never_comes_is_named() -> None:
    port = free_port()
    procs = [
        subprocess.Popen(
            doctor_argv("smoke-gpu", "--python", sys.executable, "--timeout", "30", "--lang", "en"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=loopback_env(RANK=str(rank), WORLD_SIZE="3", LOCAL_RANK="0", MASTER_ADDR="127.0.0.1",
                             MASTER_PORT=str(port)),
        )
        for rank in (0, 1)
    ]
    results = finish(procs)
    for code, out, err in results:
        assert code == 1, f"{out}\n{err[-3000:]}"
        assert "rank 2 never joined within 10 s" in out, out  # the rendezvous wait: a third of --timeout
        assert "firewall" in out


def test_nobody_serves_the_rendezvous() -> None:
    run = subprocess.run(
        doctor_argv("smoke-gpu", "--python", sys.executable, "--timeout", "30", "--json"),
        capture_output=True, text=True, timeout=GUARD_S,
        env=loopback_env(RANK="1", WORLD_SIZE="2", MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port())),
    )
    assert run.returncode == 1, run.stderr[-3000:]
    doc = json.loads(run.stdout)
    assert doc["launcher"] == "env" and doc["ok"] is False
    assert doc["error"]["kind"] == "rendezvous" and doc["error"]["data"]["probe"] == "refused"
    launch = Launch("env", 1, 2, 0, "127.0.0.1", 29500, False, "x")
    assert "nothing listens there" in explain(doc["error"], launch, "en", 10)


def test_srun_without_a_master_address_is_bad_usage() -> None:
    run = subprocess.run(
        doctor_argv("smoke-gpu", "--python", sys.executable),
        capture_output=True, text=True, timeout=GUARD_S,
        env=user_env({"SLURM_STEP_ID": "0", "SLURM_PROCID": "1", "SLURM_NTASKS": "2", "SLURM_LOCALID": "0"}),
    )
    assert run.returncode == 2, run.stderr
    assert "MASTER_ADDR and MASTER_PORT are not set" in run.stderr


def test_launchers_read_from_the_environment() -> None:
    torchrun = launch_from_env({
        "TORCHELASTIC_RUN_ID": "job 7", "RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1",
        "MASTER_ADDR": "10.0.0.1", "MASTER_PORT": "29500", "TORCHELASTIC_USE_AGENT_STORE": "True",
    })
    assert torchrun == Launch("torchrun", 3, 4, 1, "10.0.0.1", 29500, True, "job_7")
    srun = launch_from_env({"SLURM_STEP_ID": "0", "SLURM_PROCID": "2", "SLURM_NTASKS": "8", "SLURM_LOCALID": "2",
                            "SLURM_JOB_ID": "41", "MASTER_ADDR": "n1", "MASTER_PORT": "1234"})
    assert srun == Launch("srun", 2, 8, 2, "n1", 1234, False, "41.0")
    assert launch_from_env({"RANK": "0", "WORLD_SIZE": "1"}) is None  # one rank: the ordinary smoke test
    assert launch_from_env({}) is None


def _payload() -> ModuleType:
    spec = importlib.util.spec_from_file_location("smoke_nodes_payload", payload_path())
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_different_torch_builds_on_the_ranks_stop_before_the_collective() -> None:
    """Rank 0 compares the facts every rank left in the (real) store: rank 1 runs another torch build."""
    from torch.distributed import TCPStore

    payload = _payload()
    port = free_port()
    store = TCPStore("127.0.0.1", port, None, True, datetime.timedelta(seconds=10))
    args = type("Args", (), {"rank": 0, "world": 2, "timeout": 5.0, "run_id": "t"})()
    theirs: dict[str, Any] = {"rank": 1, "host": "node2", "torch": "2.12.0+cu126", "cuda": "12.6",
                              "nccl": "2.26.2", "backend": "nccl"}
    store.set(payload.PREFIX + "t/facts/1", json.dumps(theirs))
    ours = {"rank": 0, "host": "node1", "torch": "2.13.0+cu128", "cuda": "12.8", "nccl": "2.27.3",
            "backend": "nccl"}
    with pytest.raises(payload.Stop) as stopped:
        payload.check_in(store, args, ours)
    assert stopped.value.kind == "version-mismatch"
    fields = stopped.value.data["fields"]
    assert fields["torch"] == {"2.13.0+cu128": [0], "2.12.0+cu126": [1]} and "nccl" in fields
    error = {"kind": "version-mismatch", "data": stopped.value.data}
    words = explain(error, Launch("torchrun", 0, 2, 0, "127.0.0.1", port, False, "t"), "en", 5)
    assert "torch 2.13.0+cu128 (ranks 0), 2.12.0+cu126 (ranks 1)" in words
    assert "NCCL" in words
    assert "不同" in explain(error, Launch("torchrun", 0, 2, 0, "127.0.0.1", port, False, "t"), "zh", 5)
