"""Helpers of the fleet tests: fleets of report files made from the real reports in fixtures/, and the doctor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Optional

from tests.support.doctor import Run, doctor, user_env

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INGEST = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def put(folder: Path, machine: str, doc: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{machine}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def classroom(folder: Path, healthy: int = 2, mismatch: int = 3, pillow: int = 1) -> Path:
    """A folder of students' reports: the three fixtures, copied under students' names."""
    n = 0
    for name, count in (("healthy", healthy), ("torchvision-mismatch", mismatch), ("pillow-broken", pillow)):
        for _ in range(count):
            n += 1
            shutil.copy(FIXTURES / f"{name}.json", folder / f"student{n:02d}-{name}.json")
    return folder


def fleet(*args: str, cwd: Optional[Path] = None) -> Run:
    return doctor("fleet", *args, env=user_env(), cwd=cwd, guard_s=300)
