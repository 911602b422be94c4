"""`setup --undo`: remove what setup made, and nothing else: the kernelspec it registered (only while it still
starts the environment's own interpreter) and the environment's folder (only with setup's mark in it).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from d2l_doctor import runner
from d2l_doctor.setup.target import Target, TargetState

CONDA_REMOVE_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class Removal:
    what: str  # kernel | environment
    path: str
    argv: tuple[str, ...] = ()  # a conda env is removed by conda; a folder or a kernelspec directly


def removals(target: Target, state: TargetState) -> list[Removal]:
    out: list[Removal] = []
    if state.kernel_dir and state.kernel_python and _inside(state.kernel_python, target.prefix):
        out.append(Removal("kernel", state.kernel_dir))
    if state.ours:
        argv: tuple[str, ...] = ()
        if target.kind == "conda":
            argv = (target.conda_exe or "conda", "env", "remove", "-p", str(target.prefix), "-y")
        out.append(Removal("environment", str(target.prefix), argv))
    return out


def remove(item: Removal) -> Optional[str]:
    """Carry out one removal; the error in words, or None."""
    if item.argv:
        result = runner.run(list(item.argv), CONDA_REMOVE_TIMEOUT_S)
        if not result.ok:
            tail = (result.stderr or result.stdout or result.error or "").strip().splitlines()
            return tail[-1] if tail else f"exit code {result.returncode}"
    if Path(item.path).exists():
        try:
            shutil.rmtree(item.path)
        except OSError as exc:
            return f"{exc.filename or item.path}: {exc.strerror or exc}"
    return None


def _inside(path: str, folder: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return False
    return True
