"""Running `d2l-doctor smoke-gpu` as a user does (a subprocess), reading what it says; fake payload runs."""

from __future__ import annotations

import json
from typing import Any, Optional

from d2l_doctor.runner import CmdResult
from tests.support.doctor import Run, doctor, user_env


def device_tests(run: Run, device: str) -> dict[str, dict[str, Any]]:
    """The tests of one device in a --json document, by name."""
    (entry,) = [d for d in run.doc["devices"] if d["device"] == device]
    return {t["name"]: t for t in entry["tests"]}


def smoke(*args: str, env: Optional[dict[str, str]] = None) -> Run:
    return doctor("smoke-gpu", *args, env=user_env(env))


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
