"""Benchmark of `d2l-doctor fleet report` over many JSON reports, beside a plain `json.load` loop over the same files.

    python bench/bench_fleet.py generate DIR [N]   # N reports (default 10,000) made from tests/fleet/fixtures
    python bench/bench_fleet.py jsonload DIR       # the yardstick: json.load of every file, nothing else
    python bench/bench_fleet.py memory DIR         # the table's size against the peak while reading
    python bench/paired.py -n 5 --vs "python bench/bench_fleet.py jsonload DIR" -- d2l-doctor fleet report --json DIR

The generated machines vary the fixtures' facts (torch build, Python, GPU, driver) the way a classroom does, so
the report has many groups, not three. Each file is stamped with this d2l-doctor's version, as `check --json`
on each machine would be. Figures go in bench/RESULTS.md (section "fleet report").
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from d2l_doctor import __version__

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fleet" / "fixtures"
TORCH = ("2.13.0+cpu", "2.13.0+cu126", "2.5.1+cu124", "2.12.1+cu128")
PYTHON = ("3.11.7", "3.12.4", "3.10.14")
GPUS = ((), ("NVIDIA GeForce RTX 3060",), ("NVIDIA GeForce RTX 4090",), ("Tesla T4", "Tesla T4"))
DRIVERS = ("550.54.14", "560.35.03", "575.51.03")


def generate(out: Path, n: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.json"))]
    rng = random.Random(9)
    for i in range(n):
        doc = docs[i % len(docs)]
        doc["tool_version"] = __version__
        snap = doc["snapshot"]
        if snap.get("torch"):
            snap["torch"]["version"] = rng.choice(TORCH)
        snap["python"]["version"] = rng.choice(PYTHON)
        gpus = rng.choice(GPUS)
        snap["gpus"] = [{"name": g, "compute_capability": None, "index": k} for k, g in enumerate(gpus)]
        snap["driver"] = {"version": rng.choice(DRIVERS), "cuda_version": "12.4", "source": "nvml"} if gpus else None
        (out / f"student-{i:05d}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def jsonload(folder: Path) -> int:
    count = 0
    for path in sorted(folder.iterdir()):
        with path.open("rb") as handle:
            json.load(handle)
        count += 1
    return count


def memory(folder: Path) -> str:
    """What `fleet report` keeps: the table after reading every file, and the peak while reading them (Python
    allocations, tracemalloc). Peak minus table is what one file costs in passing: it must not grow with N."""
    import tracemalloc

    from d2l_doctor.fleet.reading import Reader
    from d2l_doctor.fleet.table import build

    reader = Reader("en")
    tracemalloc.start()
    table = build([folder], reader)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = len(table.machines)
    return (
        f"{n} machines: table {current / 2**20:.1f} MiB ({current / max(n, 1):.0f} B a machine), "
        f"peak {peak / 2**20:.1f} MiB, peak - table {(peak - current) / 2**20:.2f} MiB"
    )


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "generate":
        generate(Path(argv[1]), int(argv[2]) if len(argv) > 2 else 10_000)
        return 0
    if len(argv) == 2 and argv[0] == "jsonload":
        print(jsonload(Path(argv[1])))
        return 0
    if len(argv) == 2 and argv[0] == "memory":
        print(memory(Path(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
