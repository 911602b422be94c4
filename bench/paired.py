"""Time command A against command B in alternating rounds (A B A B …) and print the medians and the ratio A/B
pair by pair, so that a comparison holds while a shared machine's speed drifts.

    python bench/paired.py [-n RUNS] [--warmup N] [--vs 'COMMAND B'] -- COMMAND A [ARG ...]

Each run is a whole process: wall seconds from start to exit, CPU seconds (user + sys) from the operating
system's accounting of that child (os.wait4), and its peak memory (ru_maxrss: the largest process of the run
that the kernel charged to it). Output is read and thrown away. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_mib: float
    code: int


def run_once(argv: list[str]) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss, proc.returncode)


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f}  min {min(values):.3f}  max {max(values):.3f}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="counted runs of each command")
    parser.add_argument("--warmup", type=int, default=1, help="runs not counted, first")
    parser.add_argument("--vs", help="command B, one string split as a shell splits words (no shell runs it)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND A [ARG ...]")
    args = parser.parse_args(argv)
    a = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not a or args.n < 1:
        parser.error("give -- COMMAND, and -n of at least 1")
    b = shlex.split(args.vs) if args.vs else None
    for _ in range(args.warmup):
        run_once(a)
        if b:
            run_once(b)
    runs_a: list[Sample] = []
    runs_b: list[Sample] = []
    for _ in range(args.n):
        runs_a.append(run_once(a))
        if b:
            runs_b.append(run_once(b))
    print(f"A: {shlex.join(a)}")
    print(f"   wall s  {spread([s.wall for s in runs_a])}")
    print(f"   cpu s   {spread([s.cpu for s in runs_a])}")
    print(f"   rss MiB {spread([s.rss_mib for s in runs_a])}")
    if b:
        print(f"B: {shlex.join(b)}")
        print(f"   wall s  {spread([s.wall for s in runs_b])}")
        print(f"   cpu s   {spread([s.cpu for s in runs_b])}")
        print(f"A/B wall   {spread([x.wall / y.wall for x, y in zip(runs_a, runs_b)])}")
        print(f"A/B cpu    {spread([x.cpu / y.cpu for x, y in zip(runs_a, runs_b) if y.cpu > 0])}")
    codes = sorted({s.code for s in runs_a + runs_b})
    print(f"exit codes seen: {codes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
