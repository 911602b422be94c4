"""Benchmark: `d2l-doctor check` against `python -m torch.utils.collect_env`, and `d2l-doctor --help`.

Everything runs in one venv (the one running this script: it must have torch and d2l-doctor installed),
alternating the three commands round by round so that a busy neighbour slows all of them alike. Reported: the
median and spread of each command's wall time, the ratio check / collect_env, and the peak RSS of the
doctor's own process (measured inside it with getrusage(RUSAGE_SELF), so the target interpreter that imports
torch is not counted). Targets (issue 2): check <= 0.75 x collect_env, --help <= 0.15 s, the doctor's peak
RSS <= 80 MiB.

    python bench/bench_check.py --rounds 15 [--write bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

TARGET_RATIO = 0.75
TARGET_HELP_S = 0.15
TARGET_RSS_MIB = 80.0

# Runs the doctor's CLI in this process and writes its own peak RSS (KiB on Linux) when it exits.
_RSS_WRAPPER = """
import atexit, resource, sys
out = sys.argv.pop(1)
def _report():
    with open(out, "w") as f:
        f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
atexit.register(_report)
sys.argv[0] = "d2l-doctor"
from d2l_doctor.entry import main
main()
"""


@dataclass(frozen=True)
class Stats:
    name: str
    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self) -> str:
        s = sorted(self.seconds)
        q1, _, q3 = statistics.quantiles(s, n=4) if len(s) >= 4 else (s[0], 0.0, s[-1])
        return f"min {s[0]:.3f} · IQR {q1:.3f}–{q3:.3f} · max {s[-1]:.3f}"


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # check exits 1 when it finds an error: still a complete run
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    return elapsed


def doctor_rss_mib(python: str, args: list[str], env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rss"
        subprocess.run([python, "-c", _RSS_WRAPPER, str(out), *args], stdout=subprocess.DEVNULL, env=env)
        kib = int(out.read_text())
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024  # macOS reports bytes


def top_imports(python: str, args: list[str], env: dict[str, str], top: int = 8) -> list[tuple[str, int]]:
    """The slowest top-level imports of `d2l-doctor ARGS` (cumulative microseconds), from -X importtime."""
    proc = subprocess.run(
        [python, "-X", "importtime", "-m", "d2l_doctor", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        if name.startswith(" ") and not name.startswith("  "):  # nested imports are indented further
            rows.append((name.strip(), int(parts[1])))
    return sorted(rows, key=lambda r: -r[1])[:top]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--write", type=Path, help="write the results as Markdown to this file")
    opts = parser.parse_args(argv)

    python = sys.executable
    doctor = str(Path(python).with_name("d2l-doctor"))
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("VIRTUAL_ENV", None)
    commands = {
        "d2l-doctor check": [doctor, "check", "--python", python, "--lang", "en"],
        "collect_env": [python, "-m", "torch.utils.collect_env"],
        "d2l-doctor --help": [doctor, "--help"],
        # The floor for any tool that imports torch to test it: check cannot beat this by much.
        "python -c 'import torch'": [python, "-c", "import torch"],
    }
    for argv_ in commands.values():  # warm-up: page cache, .pyc files
        timed(argv_, env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(opts.rounds):
        order = names[i % len(names) :] + names[: i % len(names)]  # rotate who goes first
        for name in order:
            samples[name].append(timed(commands[name], env))
    stats = {name: Stats(name, tuple(s)) for name, s in samples.items()}
    rss_check = max(doctor_rss_mib(python, ["check", "--python", python], env) for _ in range(3))
    rss_help = max(doctor_rss_mib(python, ["--help"], env) for _ in range(3))
    help_imports = top_imports(python, ["--help"], env)
    check_imports = top_imports(python, ["check", "--python", python], env)

    text = report(stats, rss_check, rss_help, help_imports, check_imports, opts.rounds, python)
    print(text)
    if opts.write:
        write_results(opts.write, text)
    ratio = stats["d2l-doctor check"].median / stats["collect_env"].median
    ok = (
        ratio <= TARGET_RATIO
        and stats["d2l-doctor --help"].median <= TARGET_HELP_S
        and rss_check <= TARGET_RSS_MIB
    )
    return 0 if ok else 1


def report(
    stats: dict[str, Stats],
    rss_check: float,
    rss_help: float,
    help_imports: list[tuple[str, int]],
    check_imports: list[tuple[str, int]],
    rounds: int,
    python: str,
) -> str:
    check, collect, help_ = stats["d2l-doctor check"], stats["collect_env"], stats["d2l-doctor --help"]
    floor = stats["python -c 'import torch'"]
    ratio = check.median / collect.median

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    torch_version = _version(python, "torch")
    doctor_version = _version(python, "d2l-doctor")
    lines = [
        "# d2l-doctor benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; torch {torch_version}; d2l-doctor {doctor_version}.",
        f"{rounds} rounds, the commands alternating (the first of each round rotates), after one "
        "warm-up run each. Wall time of the whole command, output to /dev/null.",
        "",
        "| command | median (s) | spread (s) |",
        "|---|---|---|",
        *(f"| `{s.name}` | {s.median:.3f} | {s.spread()} |" for s in (check, collect, help_, floor)),
        "",
        f"- check / collect_env: **{ratio:.2f}** (target ≤ {TARGET_RATIO}): "
        f"{verdict(ratio <= TARGET_RATIO)}. `import torch` alone is {floor.median / collect.median:.2f} of "
        "collect_env: the floor for a check that imports torch in the target.",
        f"- `--help`: **{help_.median:.3f} s** (target ≤ {TARGET_HELP_S} s): "
        f"{verdict(help_.median <= TARGET_HELP_S)}",
        f"- peak RSS of the doctor's own process during `check`: **{rss_check:.1f} MiB** (target ≤ "
        f"{TARGET_RSS_MIB:.0f} MiB): {verdict(rss_check <= TARGET_RSS_MIB)}; during `--help`: "
        f"{rss_help:.1f} MiB. (getrusage(RUSAGE_SELF) inside the doctor: the target interpreter, which "
        "imports torch, is a child and not counted.)",
        "",
        "Slowest top-level imports of the doctor (`python -X importtime`, cumulative ms):",
        "",
        "| `--help` | ms | `check` | ms |",
        "|---|---|---|---|",
    ]
    for i in range(max(len(help_imports), len(check_imports))):
        h = help_imports[i] if i < len(help_imports) else ("", 0)
        c = check_imports[i] if i < len(check_imports) else ("", 0)
        lines.append(f"| {h[0]} | {h[1] / 1000:.1f} | {c[0]} | {c[1] / 1000:.1f} |")
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def write_results(path: Path, text: str) -> None:
    """Replace the figures between the bench markers, keeping the notes around them (the analysis)."""
    block = f"{BEGIN}\n{text}{END}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        path.write_text(head + block + ("\n" + tail if tail else ""), encoding="utf-8")
    else:
        path.write_text(block + old, encoding="utf-8")


def _version(python: str, dist: str) -> str:
    proc = subprocess.run(
        [python, "-c", f"from importlib.metadata import version; print(version({dist!r}))"],
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip() or "?"


if __name__ == "__main__":
    raise SystemExit(main())
