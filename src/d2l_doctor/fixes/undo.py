"""`fix --undo`: the steps that take an environment back to a saved snapshot, exactly.

conda envs first go back to the saved conda revision; then pip removes what was added and installs the exact
`name==version` set that was there (with --no-deps: the saved set is already complete), each through the index
it came from: PyTorch builds with a local label (+cu126, +cpu) through that variant's index, the rest through
the index the plan used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from d2l_doctor.fixes.conda_steps import canonical
from d2l_doctor.fixes.state import TORCH_LABEL, EnvSnapshot, local_label
from d2l_doctor.mirrors import PipIndex
from d2l_doctor.models import FixAction, FixKind, Plan, PlanStep


@dataclass(frozen=True)
class UndoPlan:
    plan: Plan
    skipped: tuple[str, ...] = ()  # editable installs that are gone: no index has them, so they stay gone

    @property
    def empty(self) -> bool:
        return not self.plan.steps


def parse_freeze(lines: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """canonical name -> freeze line (`name==1.0` or `name @ url`); and the lines that are not (editables)."""
    named: dict[str, str] = {}
    other: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-e ") or line.startswith("--editable"):
            other.append(line)
            continue
        name = line.split("==", 1)[0].split(" @ ", 1)[0].strip()
        named[canonical(name)] = line
    return named, other


def undo_plan(
    saved: EnvSnapshot, current_freeze: Sequence[str], shell: str, explicit_file: Optional[str] = None
) -> UndoPlan:
    """explicit_file: where the saved `conda list --explicit` was written, for a conda env whose revision was
    not known (then conda reinstalls that exact list)."""
    python = saved.python
    steps = _kernel_steps(saved, current_freeze)
    conda_step = _conda_step(saved, explicit_file)
    steps += [conda_step] if conda_step else []
    managed = set(saved.conda.managed) if saved.conda is not None else set()
    before, editables_before = parse_freeze(saved.freeze)
    now, editables_now = parse_freeze(current_freeze)
    added = sorted(n for n in now if n not in before and n not in managed)
    if added:
        action = FixAction(FixKind.PIP_UNINSTALL, packages=tuple(added))
        steps.append(_step(action, (python, "-m", "pip", "uninstall", "-y", *added)))
    changed = [line for n, line in sorted(before.items()) if n not in managed and now.get(n) != line]
    for index, lines in _by_index(changed, saved).items():
        action = FixAction(FixKind.PIP_INSTALL, packages=tuple(lines), flags=("--no-deps",))
        argv = (python, "-m", "pip", "install", "--no-deps", *(index.args() if index else ()), *lines)
        steps.append(_step(action, argv))
    plan = Plan(python=python, mirror=saved.mirror, shell=shell, steps=tuple(steps))
    return UndoPlan(plan, tuple(e for e in editables_before if e not in editables_now))


def _kernel_steps(saved: EnvSnapshot, current_freeze: Sequence[str]) -> list[PlanStep]:
    # First: pip may remove ipykernel next, and with it `python -m jupyter`.
    here = _names(current_freeze)
    runner = (
        (saved.python, "-m", "jupyter") if "jupyter-core" in here or "ipykernel" in here else ("jupyter",)
    )
    return [
        _step(FixAction(FixKind.KERNEL_REMOVE, name=name), (*runner, "kernelspec", "remove", "-y", name))
        for name in saved.kernels_added
    ]


def _conda_step(saved: EnvSnapshot, explicit_file: Optional[str]) -> Optional[PlanStep]:
    if saved.conda is None:
        return None
    exe, prefix = saved.conda.conda_exe, saved.conda.prefix
    if saved.conda.revision is not None:
        argv: tuple[str, ...] = (exe, "install", "-p", prefix, "-y", "--revision", str(saved.conda.revision))
    elif explicit_file is not None:
        argv = (exe, "install", "-p", prefix, "-y", "--file", explicit_file)
    else:
        return None
    return _step(FixAction(FixKind.RUN, argv=argv, reason="conda-revision"), argv)


def _by_index(lines: Sequence[str], saved: EnvSnapshot) -> dict[Optional[PipIndex], list[str]]:
    groups: dict[Optional[PipIndex], list[str]] = {}
    for line in lines:
        label = local_label(line)
        index = saved.pypi_index
        if label and TORCH_LABEL.match(label) and label in saved.torch_indexes:
            index = saved.torch_indexes[label]
        groups.setdefault(index, []).append(line)
    return groups


def _names(lines: Sequence[str]) -> set[str]:
    return set(parse_freeze(lines)[0])


def _step(action: FixAction, argv: tuple[str, ...]) -> PlanStep:
    return PlanStep(action=action, argv=argv, fixes=())
