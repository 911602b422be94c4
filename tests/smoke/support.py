"""Running `d2l-doctor smoke-gpu` as a user does (a subprocess), reading what it says; fake payload runs."""

from __future__ import annotations

import json
import os
import subprocess
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from d2l_doctor.runner import CmdResult
from tests.support.venvs import Venv, doctor_argv

# A wall-clock guard: a hung doctor fails the test instead of hanging the suite (not a timing assertion).
GUARD_S = 600


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def doc(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def tests(self, device: str) -> dict[str, dict[str, Any]]:
        (entry,) = [d for d in self.doc["devices"] if d["device"] == device]
        return {t["name"]: t for t in entry["tests"]}


def smoke(*args: str, env: Optional[dict[str, str]] = None) -> Run:
    environ = {**os.environ, "NO_COLOR": "1", "LANG": "C.UTF-8", **(env or {})}
    environ.pop("LC_ALL", None)
    environ.pop("VIRTUAL_ENV", None)  # examine the --python given, not the venv the tests run in
    proc = subprocess.run(
        doctor_argv("smoke-gpu", *args), capture_output=True, text=True, env=environ, timeout=GUARD_S
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def fake_torch_venv(root: Path, body: str) -> Venv:
    """A venv without pip whose site-packages holds a `torch` package made of body."""
    venv.EnvBuilder(with_pip=False, clear=True).create(root)
    env = Venv(root)
    (env.site_packages / "torch").mkdir()
    (env.site_packages / "torch" / "__init__.py").write_text(body, encoding="utf-8")
    return env


def marker(**event: Any) -> str:
    return "@@d2l-smoke " + json.dumps(event)


def cmd_result(
    stdout: str = "",
    stderr: str = "",
    returncode: Optional[int] = 0,
    timed_out: bool = False,
    seconds: float = 1.0,
) -> CmdResult:
    return CmdResult(("python", "smoke.py"), returncode, stdout, stderr, seconds, timed_out=timed_out)


def payload_report(**fields: Any) -> dict[str, Any]:
    """A payload's final JSON object: the CPU-only torch of the tests unless fields say otherwise."""
    report: dict[str, Any] = {
        "payload": "smoke",
        "version": 1,
        "python": "/envs/d2l/bin/python",
        "torch": {"version": "2.13.0+cu126", "cuda": "12.6", "hip": None, "arch_list": ["sm_50", "sm_90"]},
        "devices": [],
        "multi": [],
        "env": {},
    }
    report.update(fields)
    return report


def record_of(name: str, status: str = "passed", **fields: Any) -> dict[str, Any]:
    return {"name": name, "status": status, "seconds": 0.01, "data": {}, **fields}
