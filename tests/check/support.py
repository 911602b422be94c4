"""Running `d2l-doctor check` as a user does (a subprocess), and reading what it says."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Optional

from tests.support.doctor import Run, doctor, user_env

__all__ = ["Run", "check", "evidence_text", "fix_of", "requirement_names"]

# `check` runs in seconds; a hung one fails sooner than the default guard.
GUARD_S = 300


def check(*args: str, env: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None) -> Run:
    return doctor("check", *args, env=user_env(env), cwd=cwd, guard_s=GUARD_S)


def evidence_text(finding: dict[str, Any]) -> str:
    return json.dumps(finding["evidence"], ensure_ascii=False)


def fix_of(finding: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in finding["fixes"] if f["kind"] == kind]


def requirement_names(fix: dict[str, Any]) -> list[str]:
    from packaging.requirements import Requirement

    return [Requirement(p).name.lower() for p in fix["packages"]]
