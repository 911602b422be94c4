"""What an engine run leaves: one report file per machine in the out folder, and the counts for the summary."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from d2l_doctor.fleet.failure import write_failure, write_report


@dataclass
class Collected:
    out_dir: Path
    engine: str
    checked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def report(self, machine: str, text: str) -> None:
        write_report(self.out_dir, machine, text)
        self.checked.append(machine)

    def failure(self, machine: str, why: str) -> None:
        write_failure(self.out_dir, machine, self.engine, " ".join(why.split()))
        self.failed.append(machine)


def check_document(text: str) -> Optional[dict[str, Any]]:
    """The `check --json` document a node printed, or None (nothing, a traceback, a half-written file)."""
    start = text.find("{")
    if start < 0:
        return None
    try:
        doc = json.loads(text[start:])
    except ValueError:
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("snapshot"), dict) else None


def last_line(text: str, most: int = 300) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:most] if lines else ""


def find_program(name: str) -> Optional[str]:
    """A program on PATH, else beside this interpreter (ansible-core installed into the doctor's own venv)."""
    found = shutil.which(name)
    if found is None:
        found = shutil.which(name, path=str(Path(sys.executable).parent))
    return found
