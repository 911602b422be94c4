"""The report file of a machine that could not be checked: `{"fleet_failure": {"name", "engine", "why"}}`.

`fleet run` writes it in place of the machine's `check --json` document, so `fleet report` lists the machine
under "could not be checked" with the reason, instead of forgetting it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Optional

KEY = "fleet_failure"
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]+")


def file_name(machine: str) -> str:
    """A file name for a machine name that came from outside (an inventory, a node list): no separators."""
    cleaned = _UNSAFE.sub("_", machine).strip("._") or "machine"
    return cleaned[:120] + ".json"


def write_failure(out_dir: Path, machine: str, engine: str, why: str) -> Path:
    path = out_dir / file_name(machine)
    doc = {KEY: {"name": machine, "engine": engine, "why": why}}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_report(out_dir: Path, machine: str, text: str) -> Path:
    path = out_dir / file_name(machine)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path


def failure_of(doc: Any) -> Optional[tuple[str, str]]:
    """(name, why) when doc is a failure record, else None."""
    if not isinstance(doc, dict) or KEY not in doc:
        return None
    body = doc[KEY]
    if not isinstance(body, dict):
        return ("", "")
    return (str(body.get("name") or ""), str(body.get("why") or ""))
