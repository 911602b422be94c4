"""`fleet run --slurm`: one `check --json` task per node through `srun`, each node's output in its own file.

srun writes each task's stdout and stderr to `OUT/.srun/%N.%n.out|err` (%N the node's host name, %n its index in
the step), so a node that fails or is cut off by the time limit still leaves its own trace, and the others
their reports. The doctor on the nodes is this one (`python -m d2l_doctor` of this interpreter): clusters share
home folders, where learners install it. srun exports this environment, so each node examines the same
conda env or venv.
"""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

from d2l_doctor.errors import UsageError
from d2l_doctor.fleet.collected import Collected, check_document, last_line
from d2l_doctor.i18n import t

RAW = ".srun"  # hidden: `fleet report OUT` reads only the machines' files
GRACE_S = 30  # srun's own start and stop around the check's timeout


def srun_argv(srun: str, srun_args: list[str], raw: Path, timeout: float) -> list[str]:
    minutes = max(1, math.ceil((timeout + GRACE_S) / 60))
    return [
        srun,
        *srun_args,
        # ours last: srun takes the last of a repeated option, and one task per node is the contract
        "--ntasks-per-node=1",
        "--kill-on-bad-exit=0",
        f"--time={minutes}",
        f"--output={raw}/%N.%n.out",
        f"--error={raw}/%N.%n.err",
        sys.executable,
        "-m",
        "d2l_doctor",
        "check",
        "--json",
        "--timeout",
        f"{timeout:g}",
    ]


def collect(srun_args: list[str], out_dir: Path, timeout: float, lang: str) -> Collected:
    from d2l_doctor import runner

    srun = shutil.which("srun")
    if srun is None:
        raise UsageError(t("fleet.usage.engine_missing", lang, program="srun"))
    raw = out_dir / RAW
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    result = runner.run(srun_argv(srun, srun_args, raw, timeout), timeout=timeout + 2 * GRACE_S)
    done = Collected(out_dir, "slurm")
    outputs = sorted(raw.glob("*.out"), key=_node_index)
    names = node_names([p.name for p in outputs])
    for path, name in zip(outputs, names):
        text = path.read_text(encoding="utf-8", errors="replace")
        if check_document(text) is not None:
            done.report(name, text)
            continue
        err = path.with_suffix(".err")
        stderr = last_line(err.read_text(encoding="utf-8", errors="replace")) if err.exists() else ""
        if result.timed_out:
            done.failure(name, t("fleet.why.timeout", lang, seconds=f"{timeout:g}"))
        else:
            rc = result.returncode if result.returncode is not None else "?"
            done.failure(name, t("fleet.why.no_report", lang, rc=rc, stderr=f": {stderr}" if stderr else ""))
    if not outputs:  # srun never started a task: no allocation, a bad option, no controller
        rc = result.returncode if result.returncode is not None else "?"
        detail = last_line(result.stderr or result.error or "")
        why = t("fleet.why.timeout", lang, seconds=f"{timeout:g}") if result.timed_out else t(
            "fleet.why.engine_failed", lang, engine="srun", rc=rc, stderr=f": {detail}" if detail else ""
        )
        done.failure("srun", why)
    return done


def _node_index(path: Path) -> tuple[int, str]:
    parts = path.name.split(".")
    return (int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else 0, path.name)


def node_names(files: list[str]) -> list[str]:
    """`host.N.out` -> the host's name; `host-N` where several Slurm nodes share one host."""
    split = [(f.rsplit(".", 2) + ["", ""])[:2] for f in files]
    hosts = [host for host, _ in split]
    return [host if hosts.count(host) == 1 else f"{host}-{index}" for host, index in split]
