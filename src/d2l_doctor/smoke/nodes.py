"""`smoke-gpu` started by a launcher on several nodes (torchrun, srun, or RANK/WORLD_SIZE by hand): each rank
runs the all-reduce payload (payload/smoke_nodes.py) in the target interpreter; rank 0 prints one table, the
others one line; a rank that cannot join is named with the reason in words.

The launcher's variables are read here, once: torchrun sets RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
MASTER_PORT (and serves the store itself: TORCHELASTIC_USE_AGENT_STORE); srun sets SLURM_PROCID, SLURM_NTASKS and
SLURM_LOCALID, and the job script exports MASTER_ADDR and MASTER_PORT.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t


@dataclass(frozen=True)
class Launch:
    launcher: str  # torchrun | srun | env
    rank: int
    world: int
    local_rank: int
    addr: Optional[str]
    port: Optional[int]
    agent_store: bool
    run_id: str


def _int(env: Mapping[str, str], *names: str) -> Optional[int]:
    for name in names:
        value = env.get(name, "").strip()
        if value.isdigit():
            return int(value)
    return None


def launch_from_env(env: Mapping[str, str]) -> Optional[Launch]:
    """The launch this process is part of; None when it runs alone (a world of one is the ordinary smoke test)."""
    if "TORCHELASTIC_RUN_ID" in env:
        launcher = "torchrun"
    elif "RANK" in env and "WORLD_SIZE" in env:
        launcher = "env"
    elif "SLURM_STEP_ID" in env and "SLURM_PROCID" in env:
        launcher = "srun"
    else:
        return None
    rank = _int(env, "RANK", "SLURM_PROCID")
    world = _int(env, "WORLD_SIZE", "SLURM_NTASKS")
    if rank is None or world is None or world < 2:
        return None
    port = _int(env, "MASTER_PORT")
    run_id = env.get("TORCHELASTIC_RUN_ID") or ".".join(
        filter(None, (env.get("SLURM_JOB_ID"), env.get("SLURM_STEP_ID")))
    )
    return Launch(
        launcher,
        rank,
        world,
        _int(env, "LOCAL_RANK", "SLURM_LOCALID") or 0,
        env.get("MASTER_ADDR") or None,
        port,
        env.get("TORCHELASTIC_USE_AGENT_STORE", "").lower() == "true",
        "".join(c if c.isalnum() or c in "._-" else "_" for c in (run_id or "default"))[:64],
    )


def payload_path() -> Path:
    return Path(__file__).resolve().parent.parent / "payload" / "smoke_nodes.py"


def rendezvous_timeout(timeout: float) -> float:
    """The wait for the other ranks: a third of the command's timeout, leaving time to import torch and report."""
    return max(5.0, min(120.0, timeout / 3))


def run_nodes(python: str, launch: Launch, timeout: float, lang: str) -> dict[str, Any]:
    """This rank's payload run -> its JSON document (an `error` of kind no-output when it printed none)."""
    from d2l_doctor import runner

    if launch.addr is None or launch.port is None:
        raise UsageError(t("nodes.usage.master", lang, launcher=launch.launcher, world=launch.world))
    argv = [
        python, str(payload_path()),
        "--rank", str(launch.rank), "--world", str(launch.world), "--local-rank", str(launch.local_rank),
        "--addr", launch.addr, "--port", str(launch.port),
        "--timeout", f"{rendezvous_timeout(timeout):g}", "--run-id", launch.run_id,
    ]
    if launch.agent_store:
        argv.append("--agent-store")
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    result = runner.run(argv, timeout=timeout, env=env)
    for line in reversed(result.stdout.splitlines()):
        if line.startswith('{"payload": "smoke-nodes"'):
            try:
                doc: dict[str, Any] = json.loads(line)
                return doc
            except ValueError:
                break
    why = t("fleet.why.timeout", lang, seconds=f"{timeout:g}") if result.timed_out else (
        result.signal_name or result.error or _last(result.stderr) or f"exit code {result.returncode}"
    )
    return {"rank": launch.rank, "world": launch.world, "ok": False, "error": {"kind": "no-output", "message": why}}


def _last(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
