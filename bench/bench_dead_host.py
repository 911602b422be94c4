"""What a dead package host costs `fix --apply`: the preflight's question (all hosts at once, 3 s timeout) and,
for comparison, one pip install against the same host with the doctor's bounded --timeout/--retries and with
pip's defaults. Hosts on 127.0.0.1: a port that refuses, a server that accepts and never answers.

    python bench/bench_dead_host.py            # prints a table of seconds
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from d2l_doctor.fixes.executor import STEP_ENV  # noqa: E402
from d2l_doctor.fixes.preflight import Source, probe_all  # noqa: E402
from tests.fix.hosts import refusing, silent  # noqa: E402


def pip_seconds(base: str, env: dict[str, str]) -> float:
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", os.devnull + ".d", "-i", f"{base}/simple",
         "--trusted-host", base.split("//")[1], "torch==2.13.0+cpu"],
        capture_output=True, env=env, timeout=900,
    )  # fmt: skip
    return time.monotonic() - start


def main() -> None:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    base_env["PIP_CONFIG_FILE"] = os.devnull
    rows = []
    for name, host in (("refusing", refusing), ("silent", silent)):
        with host() as base:
            start = time.monotonic()
            probe_all([Source(f"{base}/simple", "index", "torch")])
            preflight = time.monotonic() - start
            bounded = pip_seconds(base, {**base_env, **STEP_ENV})
            default = pip_seconds(base, base_env) if "--with-default" in sys.argv else float("nan")
        rows.append((name, preflight, bounded, default))
    print(f"{'host':10} {'preflight s':>12} {'pip bounded s':>14} {'pip default s':>14}")
    for name, preflight, bounded, default in rows:
        print(f"{name:10} {preflight:12.2f} {bounded:14.1f} {default:14.1f}")


if __name__ == "__main__":
    main()
