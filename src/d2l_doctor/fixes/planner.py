"""Findings -> one ordered, de-duplicated Plan of argv steps for the target interpreter, a mirror and a shell.

Pure: no probing and no I/O. The order is what makes a plan work when run top to bottom: stale kernelspecs and
uninstalls first, then conda's packages, then torch before the torchvision/torchaudio that must match it, then
the rest, then kernel registration (it needs ipykernel installed). Steps a person must do (a driver, a 64-bit
Miniconda) are listed, never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Optional

from d2l_doctor.fixes.commands import action_argv, jupyter_argv, target_python
from d2l_doctor.fixes.conda_steps import Condarc, canonical, channel_steps, requirement_name, to_conda
from d2l_doctor.mirrors import MirrorChoice, PipIndex, index_at, torch_wheel_index
from d2l_doctor.models import CondaInfo, Finding, FixAction, FixKind, Plan, PlanStep, Severity, Snapshot

TORCH_FAMILY = frozenset({"torch", "torchvision", "torchaudio"})
# Phases, in run order.
_KERNEL_REMOVE, _UNINSTALL, _CONDA, _TORCH, _TORCH_DOMAIN, _PIP, _KERNEL_INSTALL, _RUN, _MANUAL = range(1, 10)


@dataclass
class _Item:
    action: FixAction
    fixes: list[str]
    phase: int
    order: int = 0


def build_plan(
    findings: Sequence[Finding],
    snapshot: Snapshot,
    *,
    mirror: MirrorChoice,
    shell: str,
    condarc: Optional[Condarc] = None,
) -> Plan:
    """condarc: the file the optional conda channel steps write (None: no such steps)."""
    python = target_python(snapshot)
    # Info findings are not problems (d2l-missing): `check` shows their commands, `fix` leaves them be.
    problems = [f for f in findings if f.severity is not Severity.INFO]
    items = [_Item(a, [f.id], _phase(a)) for f in problems for a in _one_reinstall(f.fixes, snapshot)]
    for i, item in enumerate(items):
        item.order = i
    if snapshot.conda is not None and snapshot.conda.managed:
        items = _hand_to_conda(items, snapshot)
    items = _drop_superseded_torch(_merge(items))
    items.sort(key=lambda it: (it.phase, it.order))
    jupyter = jupyter_argv(snapshot)
    steps = [plan_step(item.action, python, mirror, tuple(item.fixes), snapshot.conda, jupyter) for item in items]
    if (
        mirror.conda is not None
        and snapshot.conda is not None
        and condarc is not None
        and any(s.argv for s in steps)
    ):
        # Optional, and first: the channels speed up what conda installs next; they fix no finding alone.
        channel = [
            PlanStep(FixAction(FixKind.RUN, argv=argv, reason="conda-mirror"), argv, (), True)
            for argv in channel_steps(mirror.conda, snapshot.conda, condarc)
        ]
        steps = channel + steps
    return Plan(python=python, mirror=mirror.label, shell=shell, steps=tuple(steps))


def plan_step(
    action: FixAction,
    python: str,
    mirror: MirrorChoice,
    fixes: tuple[str, ...],
    conda: Optional[CondaInfo] = None,
    jupyter: Optional[tuple[str, ...]] = None,
) -> PlanStep:
    """One action as the step that runs it: torch from the PyTorch index (or the chosen mirror of it), every
    other package through the chosen PyPI mirror."""
    action, torch_index = _with_torch_index(action, mirror)
    pypi = None if _installs_torch_without_index(action, torch_index) else mirror.pypi
    return PlanStep(action, action_argv(action, python, conda, pypi, torch_index, jupyter), fixes)


def runnable(plan: Plan) -> list[PlanStep]:
    """The steps d2l-doctor can run (everything but the manual ones), in order."""
    return [s for s in plan.steps if s.argv]


def manual(plan: Plan) -> list[PlanStep]:
    return [s for s in plan.steps if s.action.kind is FixKind.MANUAL]


def _phase(action: FixAction) -> int:
    kind = action.kind
    if kind is FixKind.PIP_INSTALL:
        names = {requirement_name(p) for p in action.packages}
        if "torch" in names:
            return _TORCH
        return _TORCH_DOMAIN if names & TORCH_FAMILY else _PIP
    return {
        FixKind.KERNEL_REMOVE: _KERNEL_REMOVE,
        FixKind.PIP_UNINSTALL: _UNINSTALL,
        FixKind.CONDA_INSTALL: _CONDA,
        FixKind.KERNEL_INSTALL: _KERNEL_INSTALL,
        FixKind.RUN: _RUN,
    }.get(kind, _MANUAL)


def _hand_to_conda(items: list[_Item], snapshot: Snapshot) -> list[_Item]:
    assert snapshot.conda is not None
    managed = {canonical(n) for n in snapshot.conda.managed}
    removed = {
        requirement_name(p)
        for it in items
        if it.action.kind is FixKind.PIP_UNINSTALL
        for p in it.action.packages
    }
    installed = {
        requirement_name(p)
        for it in items
        if it.action.kind is FixKind.PIP_INSTALL
        for p in it.action.packages
    }
    reinstall = removed & installed & managed
    out: list[_Item] = []
    for item in items:
        for action in to_conda(item.action, snapshot.conda, reinstall):
            # A conda removal stands where the pip uninstall stood; a conda install runs in conda's phase.
            phase = item.phase if action.kind is not FixKind.CONDA_INSTALL else _CONDA
            out.append(_Item(action, list(item.fixes), phase, item.order))
    return out


def _merge(items: list[_Item]) -> list[_Item]:
    """Identical actions (whatever their reason) become one step that fixes every finding they came from."""
    by_key: dict[tuple[object, ...], _Item] = {}
    for item in items:
        a = item.action
        key = (
            a.kind,
            tuple(sorted(a.packages)),
            a.flags,
            a.index_url,
            a.torch_variant,
            a.name,
            a.display_name,
            a.argv,
            a.url,
            a.message,
        )
        kept = by_key.get(key)
        if kept is None:
            by_key[key] = item
        else:
            kept.fixes.extend(i for i in item.fixes if i not in kept.fixes)
    return list(by_key.values())


def _drop_superseded_torch(items: list[_Item]) -> list[_Item]:
    """One torch install per plan: it brings the torchvision/torchaudio that match it, so a separate install
    of those (planned against the torch being replaced) or a second, different torch install would undo it."""
    stack = next((it for it in items if it.phase == _TORCH), None)
    if stack is None:
        return items
    stack_names = {requirement_name(p) for p in stack.action.packages}
    out: list[_Item] = []
    for item in items:
        names = {requirement_name(p) for p in item.action.packages}
        superseded = item is not stack and (
            item.phase == _TORCH or (item.phase == _TORCH_DOMAIN and names <= stack_names)
        )
        if superseded:
            stack.fixes.extend(i for i in item.fixes if i not in stack.fixes)
        else:
            out.append(item)
    return out


def _with_torch_index(action: FixAction, mirror: MirrorChoice) -> tuple[FixAction, Optional[PipIndex]]:
    """The PyTorch wheel index for an action that names one, and the action adjusted to it.

    Only `index_url` names one: the older wheel pages (`-f …torch_stable.html`, `--extra-index-url`) travel in
    the action's flags with local-label pins, and an action with a variant but no index is PyPI's own build
    (macOS)."""
    if action.kind is not FixKind.PIP_INSTALL or not action.index_url:
        return action, None
    variant = action.torch_variant
    index = torch_wheel_index(mirror, variant, action.index_url)
    if index is None or variant is None:
        return action, index
    # Only an exact pin with the variant's local label (torchvision==0.28.0+cpu) is sure to come from the
    # variant's page: pip may take the same version from another configured index (PyPI's CUDA build), and a
    # find-links page only adds files beside the PyPI index.
    pinned = _pin_variant(action.packages, variant)
    if pinned is None:
        return action, index_at(action.index_url) if index.find_links else index
    return replace(action, packages=pinned), index


def _pin_variant(packages: Sequence[str], variant: str) -> Optional[tuple[str, ...]]:
    from packaging.requirements import InvalidRequirement, Requirement

    out: list[str] = []
    for spec in packages:
        try:
            req = Requirement(spec)
        except InvalidRequirement:
            return None
        if canonical(req.name) not in TORCH_FAMILY:
            out.append(spec)
            continue
        pins = [s for s in req.specifier if s.operator == "==" and "*" not in s.version]
        if len(pins) != 1 or len(req.specifier) != 1:
            return None
        version = pins[0].version
        out.append(f"{req.name}=={version}" if "+" in version else f"{req.name}=={version}+{variant}")
    return tuple(out)


def _installs_torch_without_index(action: FixAction, torch_index: Optional[PipIndex]) -> bool:
    """Never send torch through a PyPI mirror unless the rule chose PyPI's build (a variant and no index:
    macOS): PyPI's torch is one CUDA build on Linux and CPU-only on Windows."""
    if action.kind is not FixKind.PIP_INSTALL or torch_index is not None or action.torch_variant:
        return False
    return any(requirement_name(p) in TORCH_FAMILY for p in action.packages)


def _one_reinstall(actions: Sequence[FixAction], snapshot: Snapshot) -> list[FixAction]:
    """A `pip uninstall P` and a `pip install P` of one finding become one `pip install --force-reinstall
    --no-deps P==<installed version>`: pip removes and installs in one command and puts the old files back
    when the install fails, where an uninstall standing alone would leave the package gone."""
    conda_owns = {canonical(n) for n in snapshot.conda.managed} if snapshot.conda is not None else set()
    removed = {
        requirement_name(p) for a in actions if a.kind is FixKind.PIP_UNINSTALL for p in a.packages
    } - conda_owns  # conda's own packages: the conda planner reinstalls them with conda
    fused = {
        requirement_name(p)
        for a in actions
        if a.kind is FixKind.PIP_INSTALL and a.packages and {requirement_name(q) for q in a.packages} <= removed
        for p in a.packages
    }
    out: list[FixAction] = []
    for action in actions:
        names = {requirement_name(p) for p in action.packages}
        if action.kind is FixKind.PIP_UNINSTALL:
            rest = tuple(p for p in action.packages if requirement_name(p) not in fused)
            out += [replace(action, packages=rest)] if rest else []
        elif action.kind is FixKind.PIP_INSTALL and names and names <= fused:
            flags = tuple(dict.fromkeys(("--force-reinstall", "--no-deps", *action.flags)))
            out.append(replace(action, packages=tuple(_exact(p, snapshot) for p in action.packages), flags=flags))
        else:
            out.append(action)
    return out


def _exact(spec: str, snapshot: Snapshot) -> str:
    """`pillow` -> `pillow==10.4.0`: the installed version, so that the reinstall puts back the same one."""
    name = requirement_name(spec)
    version = snapshot.packages.get(name)
    if version and spec.strip().lower().replace("_", "-") == name:
        return f"{spec.strip()}=={version}"
    return spec
