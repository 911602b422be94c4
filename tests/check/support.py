"""Running `d2l-doctor check` as a user does (a subprocess), and reading what it says."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Optional

import pytest

from tests.support.venvs import doctor_argv

# A wall-clock guard: a hung doctor fails the test instead of hanging the suite (not a timing assertion).
GUARD_S = 300


def core_ready() -> bool:
    """probes.collect and rules.evaluate exist (written beside this part; the end-to-end tests need them)."""
    try:
        if find_spec("d2l_doctor.probes") is None or find_spec("d2l_doctor.rules") is None:
            return False
        from d2l_doctor.probes import collect  # noqa: F401
        from d2l_doctor.rules import evaluate  # noqa: F401
    except ImportError:
        return False
    return True


requires_core = pytest.mark.skipif(not core_ready(), reason="needs probes.collect and rules.evaluate")


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def doc(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def findings(self) -> dict[str, dict[str, Any]]:
        return {f["id"]: f for f in self.doc["findings"]}

    def errors(self) -> list[str]:
        return [f["id"] for f in self.doc["findings"] if f["severity"] in ("error", "crash")]


def check(*args: str, env: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None) -> Run:
    environ = {**os.environ, "NO_COLOR": "1", "LANG": "C.UTF-8", **(env or {})}
    environ.pop("LC_ALL", None)
    # The doctor must examine the --python given, not the venv the tests themselves run in.
    environ.pop("VIRTUAL_ENV", None)
    proc = subprocess.run(
        doctor_argv("check", *args), capture_output=True, env=environ, cwd=cwd, timeout=GUARD_S
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace"))


def evidence_text(finding: dict[str, Any]) -> str:
    return json.dumps(finding["evidence"], ensure_ascii=False)


def fix_of(finding: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in finding["fixes"] if f["kind"] == kind]


def requirement_names(fix: dict[str, Any]) -> list[str]:
    from packaging.requirements import Requirement

    return [Requirement(p).name.lower() for p in fix["packages"]]
