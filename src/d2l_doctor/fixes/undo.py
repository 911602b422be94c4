"""`fix --undo` and the rollback of a failed transaction: the steps that take an environment back to a saved
`pip freeze`, exactly, as a transaction of their own.

Fetch first: `pip download` brings every wheel the way back needs into a folder (pip's own cache answers where
it can, else the index each came from: PyTorch builds with a local label through that variant's index, the rest
through the index the plan used). Downloads change nothing, so when one fails nothing has changed. Then conda
envs go back to the saved revision, kernelspecs the plan added are removed, one `pip install --no-deps
--force-reinstall --no-index --find-links FOLDER` puts back every changed package (pip undoes its own
install when it fails), and what the plan added is uninstalled.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
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


FETCH = "undo-fetch"  # the reason of a step that only downloads


def undo_plan(
    saved: EnvSnapshot,
    current_freeze: Sequence[str],
    shell: str,
    explicit_file: Optional[str] = None,
    wheel_dir: str = "wheels",
) -> UndoPlan:
    """explicit_file: where the saved `conda list --explicit` was written, for a conda env whose revision was
    not known (then conda reinstalls that exact list). wheel_dir: where the fetched wheels go."""
    managed = set(saved.conda.managed) if saved.conda is not None else set()
    fetch, install, uninstall = restore_steps(saved, saved.freeze, current_freeze, wheel_dir, managed)
    steps = fetch + _kernel_steps(saved, current_freeze)
    conda_step = _conda_step(saved, explicit_file)
    steps += [conda_step] if conda_step else []
    steps += install + uninstall
    plan = Plan(python=saved.python, mirror=saved.mirror, shell=shell, steps=tuple(steps))
    _, editables_before = parse_freeze(saved.freeze)
    _, editables_now = parse_freeze(current_freeze)
    return UndoPlan(plan, tuple(e for e in editables_before if e not in editables_now))


def restore_steps(
    saved: EnvSnapshot,
    target: Sequence[str],
    current: Sequence[str],
    wheel_dir: str,
    leave: Collection[str] = (),
) -> tuple[list[PlanStep], list[PlanStep], list[PlanStep]]:
    """(fetch, install, uninstall) steps that turn the `current` freeze into `target`, through the indexes
    saved in the snapshot; packages named in `leave` (conda's own) are not touched."""
    python = saved.python
    before, _ = parse_freeze(target)
    now, _ = parse_freeze(current)
    added = sorted(n for n in now if n not in before and n not in leave)
    changed = [line for n, line in sorted(before.items()) if n not in leave and now.get(n) != line]
    fetch: list[PlanStep] = []
    for index, lines in _by_index(changed, saved).items():
        argv = (python, "-m", "pip", "download", "--no-deps", "-d", wheel_dir, *(index.args() if index else ()))
        action = FixAction(FixKind.RUN, packages=tuple(lines), argv=(*argv, *lines), reason=FETCH)
        fetch.append(_step(action, action.argv))
    install: list[PlanStep] = []
    if changed:
        flags = ("--no-deps", "--force-reinstall", "--no-index", "--find-links", wheel_dir)
        action = FixAction(FixKind.PIP_INSTALL, packages=tuple(changed), flags=flags)
        install.append(_step(action, (python, "-m", "pip", "install", *flags, *changed)))
    uninstall: list[PlanStep] = []
    if added:
        action = FixAction(FixKind.PIP_UNINSTALL, packages=tuple(added))
        uninstall.append(_step(action, (python, "-m", "pip", "uninstall", "-y", *added)))
    return fetch, install, uninstall


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
