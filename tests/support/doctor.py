"""Running d2l-doctor as a user does (a subprocess of the interpreter the tests run under), and reading what
it printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

# A wall-clock guard: a hung doctor fails the test instead of hanging the suite (not a timing assertion).
GUARD_S = 600


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def doc(self) -> Any:
        """The --json document on stdout."""
        return json.loads(self.stdout)

    @property
    def output(self) -> str:
        """Both streams, for an assertion's message."""
        return f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"

    def finding_ids(self) -> list[str]:
        return [f["id"] for f in self.doc["findings"]]

    def findings(self) -> dict[str, dict[str, Any]]:
        return {f["id"]: f for f in self.doc["findings"]}

    def errors(self) -> list[str]:
        return [f["id"] for f in self.doc["findings"] if f["severity"] in ("error", "crash")]


def doctor_argv(*args: str) -> list[str]:
    """The doctor as a user runs it, from the interpreter the tests run under."""
    return [sys.executable, "-m", "d2l_doctor", *args]


def user_env(extra: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """This process's environment as a plain UTF-8 terminal without colour, plus extra. The doctor must
    examine the --python given, not the venv the tests themselves run in: no VIRTUAL_ENV."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "LC_ALL")}
    env.update(NO_COLOR="1", LANG="C.UTF-8")
    env.update(extra or {})
    return env


def doctor(*args: str, env: Mapping[str, str], cwd: Optional[Path] = None, guard_s: float = GUARD_S) -> Run:
    """`d2l-doctor args…` in env, with nobody at the keyboard (stdin is empty)."""
    proc = subprocess.run(
        doctor_argv(*args),
        capture_output=True,
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=guard_s,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace"))
