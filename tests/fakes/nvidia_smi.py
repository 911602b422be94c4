"""A fake `nvidia-smi`: answers the queries d2l-doctor makes, as the scenario in $FAKE_NVIDIA_SMI says.

`install(bin_dir, scenario)` writes an executable `nvidia-smi` into bin_dir that runs this file; put bin_dir
first on PATH. Scenarios: healthy (driver 550, two GPUs), old (driver 470: no `compute_cap` field),
no-devices, failed (driver not loaded).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

HEADER = """\
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.14              Driver Version: 550.54.14      CUDA Version: 12.4     |
|-----------------------------------------+------------------------+----------------------+
"""
OLD_HEADER = HEADER.replace("550.54.14", "470.223.02").replace("12.4", "11.4")
ROWS = {
    "healthy": [
        "550.54.14, NVIDIA GeForce RTX 4090, 24564, 00000000:01:00.0, 8.9",
        "550.54.14, NVIDIA GeForce RTX 3060, 12288, 00000000:02:00.0, 8.6",
    ],
    "old": ["470.223.02, Tesla K80, 11441, 00000000:00:04.0"],
}
FAILED = (
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
    "Make sure that the latest NVIDIA driver is installed and running."
)


def main(argv: list[str]) -> int:
    scenario = os.environ.get("FAKE_NVIDIA_SMI", "healthy")
    if scenario == "failed":
        print(FAILED)
        return 9
    if scenario == "no-devices":
        print("No devices were found")
        return 6
    query = next((a.split("=", 1)[1] for a in argv if a.startswith("--query-gpu=")), None)
    if query is None:
        print(OLD_HEADER if scenario == "old" else HEADER)
        return 0
    if scenario == "old" and "compute_cap" in query:
        print('Field "compute_cap" is not a valid field to query.')
        return 2
    print("\n".join(ROWS[scenario]))
    return 0


def install(bin_dir: Path, scenario: str = "healthy") -> Path:
    """An executable `nvidia-smi` in bin_dir that runs this fake with the given scenario."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    exe = bin_dir / "nvidia-smi"
    exe.write_text(
        f"#!{sys.executable}\n"
        "import os, runpy, sys\n"
        f"os.environ.setdefault('FAKE_NVIDIA_SMI', {scenario!r})\n"
        f"sys.exit(runpy.run_path({str(Path(__file__).resolve())!r})['main'](sys.argv[1:]))\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return exe


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
