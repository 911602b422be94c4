"""A Slurm cluster on this one host for the tests: munged, slurmctld and two slurmd (node1, node2), all on
127.0.0.1, written and started under a temporary folder and stopped after.

Debian's Slurm is built with MULTIPLE_SLURMD, so two node names share the host, each slurmd on its own port.
Everything runs as root (CI's container and this machine); the daemons log under the folder for a failing test.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NODES = ("node1", "node2")
PROGRAMS = ("munged", "mungekey", "slurmctld", "slurmd", "srun", "sinfo")


@dataclass(frozen=True)
class Cluster:
    root: Path
    conf: Path

    @property
    def env(self) -> dict[str, str]:
        """What a client (srun, sinfo, the doctor) needs to find this cluster."""
        return {**os.environ, "SLURM_CONF": str(self.conf)}

    def logs(self) -> str:
        parts = []
        for log in sorted((self.root / "log").glob("*.log")):
            parts.append(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)


def missing_programs() -> list[str]:
    return [p for p in PROGRAMS if shutil.which(p) is None and not Path("/usr/sbin", p).exists()]


def _program(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


def _free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def write_conf(root: Path) -> Path:
    host = socket.gethostname().split(".")[0]
    ctld, *node_ports = _free_ports(1 + len(NODES))
    for sub in ("munge", "state", "log", "run", *(f"spool/{n}" for n in NODES)):
        (root / sub).mkdir(parents=True, exist_ok=True)
    lines = [
        "ClusterName=d2ltest",
        f"SlurmctldHost={host}(127.0.0.1)",
        f"SlurmctldPort={ctld}",
        "SlurmUser=root",
        "SlurmdUser=root",
        "AuthType=auth/munge",
        "CredType=cred/munge",
        f"AuthInfo=socket={root}/munge/munge.socket",
        f"StateSaveLocation={root}/state",
        f"SlurmdSpoolDir={root}/spool/%n",
        f"SlurmctldPidFile={root}/run/slurmctld.pid",
        f"SlurmdPidFile={root}/run/slurmd-%n.pid",
        f"SlurmctldLogFile={root}/log/slurmctld.log",
        f"SlurmdLogFile={root}/log/slurmd-%n.log",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "JobCompType=jobcomp/none",
        "SwitchType=switch/none",
        "MpiDefault=none",
        "MailProg=/bin/true",
        "SchedulerType=sched/backfill",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_Core",
        "SlurmdParameters=config_overrides",
        "ReturnToService=2",
        "KillWait=5",
        "InactiveLimit=0",
    ]
    for name, port in zip(NODES, node_ports):
        lines.append(
            f"NodeName={name} NodeHostname={host} NodeAddr=127.0.0.1 Port={port} CPUs=2 Sockets=1 "
            "CoresPerSocket=2 ThreadsPerCore=1"
        )
    lines.append("PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP")
    conf = root / "slurm.conf"
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return conf


@contextmanager
def running_cluster(root: Path) -> Iterator[Cluster]:
    conf = write_conf(root)
    cluster = Cluster(root, conf)
    munge = root / "munge"
    subprocess.run([_program("mungekey"), "--create", f"--keyfile={munge}/munge.key"], check=True)
    daemons: list[subprocess.Popen[bytes]] = []
    log = (root / "log" / "daemons.out").open("wb")
    try:
        daemons.append(_start([
            _program("munged"), "--foreground", "--force", f"--socket={munge}/munge.socket",
            f"--key-file={munge}/munge.key", f"--log-file={root}/log/munged.log",
            f"--pid-file={munge}/munged.pid", f"--seed-file={munge}/munge.seed",
        ], log))
        _wait_for(lambda: (munge / "munge.socket").exists(), 10, "munged", cluster)
        daemons.append(_start([_program("slurmctld"), "-D", "-f", str(conf)], log))
        for node in NODES:
            daemons.append(_start([_program("slurmd"), "-D", "-f", str(conf), "-N", node], log))
        _wait_for(lambda: _idle(cluster), 30, "the nodes to be idle", cluster)
        yield cluster
    finally:
        # The node daemons first, then the controller, then munged: a slurmd whose controller is gone waits.
        for stage in (daemons[2:], daemons[1:2], daemons[:1]):
            _stop(stage)
        log.close()


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _start(argv: list[str], log: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # type: ignore[arg-type]


def _idle(cluster: Cluster) -> bool:
    out = subprocess.run(
        [_program("sinfo"), "-h", "-N", "-o", "%N %t"], env=cluster.env, capture_output=True, text=True
    )
    states = dict(line.split() for line in out.stdout.splitlines() if len(line.split()) == 2)
    return all(states.get(n) == "idle" for n in NODES)


def _wait_for(ready: object, seconds: float, what: str, cluster: Cluster) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise RuntimeError(f"the test cluster did not start ({what}):\n{cluster.logs()}")
