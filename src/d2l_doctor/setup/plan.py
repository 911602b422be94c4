"""The steps that build a d2l environment, each with what must hold for it to count as done. Pure.

environment -> torch (with the matching torchvision, from the PyTorch index for this machine's build) -> d2l
(with its pins, through the PyPI mirror) -> Jupyter and ipykernel -> the kernel. A step whose outcome already
holds is done and is not run again: a setup that was stopped resumes where it stopped, and one that finished
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from d2l_doctor.fixes.conda_steps import canonical
from d2l_doctor.fixes.planner import plan_step
from d2l_doctor.models import FixAction, FixKind, PlanStep
from d2l_doctor.probes.resolve import same_python
from d2l_doctor.setup.target import Target, TargetState

if TYPE_CHECKING:
    from d2l_doctor.matrix import D2lRelease, Matrix
    from d2l_doctor.mirrors import MirrorChoice
    from d2l_doctor.setup.choose import SetupChoice

ENV, TORCH, D2L, NOTEBOOK, KERNEL = "environment", "torch", "d2l", "notebook", "kernel"
STEP_IDS = (ENV, TORCH, D2L, NOTEBOOK, KERNEL)


@dataclass(frozen=True)
class SetupStep:
    id: str  # one of STEP_IDS
    step: PlanStep  # the argv (empty when no interpreter is there to build from) and its action
    done: bool  # its outcome holds already: not run
    wants: tuple[str, ...] = ()  # the requirements that make it done


@dataclass(frozen=True)
class SetupPlan:
    target: Target
    choice: SetupChoice
    steps: tuple[SetupStep, ...]

    @property
    def pending(self) -> list[SetupStep]:
        return [s for s in self.steps if not s.done]

    @property
    def blocked(self) -> bool:
        """A person must act first (install a Python): nothing can run."""
        return any(not s.done and not s.step.argv for s in self.steps)


def build(
    target: Target,
    state: TargetState,
    choice: SetupChoice,
    release: D2lRelease,
    m: Matrix,
    mirror: MirrorChoice,
) -> SetupPlan:
    python = str(target.python)
    packages = state.packages
    env_done = state.ours and state.python is not None and _minor(state.python) == choice.python
    steps = [SetupStep(ENV, _env_step(target, choice, mirror), env_done)]
    torch_wants = choice.torch.packages(("torch", "torchvision"))
    torch_action = choice.torch.fix(("torch", "torchvision"))
    steps.append(_pip(TORCH, torch_action, python, mirror, env_done and satisfied(torch_wants, packages)))
    extra = constraints(release, m)
    d2l_wants = (f"d2l=={release.version}", *extra, *release.requires)
    d2l_action = FixAction(
        FixKind.PIP_INSTALL, (f"d2l=={release.version}", *extra), reason=f"d2l {release.version}"
    )
    steps.append(
        _pip(D2L, d2l_action, python, mirror, env_done and satisfied(d2l_wants, packages), d2l_wants)
    )
    nb_wants = tuple(m.d2l.setup.notebook)
    nb_action = FixAction(FixKind.PIP_INSTALL, nb_wants, reason="Jupyter + ipykernel")
    steps.append(
        _pip(NOTEBOOK, nb_action, python, mirror, env_done and satisfied(nb_wants, packages), nb_wants)
    )
    kernel = FixAction(FixKind.KERNEL_INSTALL, name=target.kernel, display_name=target.display_name)
    kernel_done = env_done and state.kernel_python is not None and same_python(state.kernel_python, python)
    steps.append(SetupStep(KERNEL, plan_step(kernel, python, mirror, (KERNEL,)), kernel_done))
    if target.kind == "venv" and choice.base is None:  # no interpreter to build from: a person acts first
        steps = [SetupStep(s.id, PlanStep(s.step.action, (), s.step.fixes), s.done, s.wants) for s in steps]
    return SetupPlan(target, choice, tuple(steps))


def constraints(release: D2lRelease, m: Matrix) -> tuple[str, ...]:
    """What must come with the release's pins so that the book runs in a notebook today: its matplotlib pin
    before 3.9 needs an IPython from before 9.16 (the matrix's matplotlib_ipython breakage)."""
    from d2l_doctor.rules.jupyter import ipython_before, matplotlib_needs_old_ipython

    pin = next((r.split("==", 1)[1] for r in release.requires if r.lower().startswith("matplotlib==")), None)
    return (ipython_before(m),) if matplotlib_needs_old_ipython(m, pin) else ()


def satisfied(wants: Sequence[str], packages: Mapping[str, str]) -> bool:
    """Every requirement holds for the installed versions (a local label such as +cpu must match too)."""
    for spec in wants:
        try:
            req = Requirement(spec)
        except InvalidRequirement:
            return False
        have = packages.get(canonical(req.name))
        if have is None:
            return False
        try:
            version = Version(have)
        except InvalidVersion:
            return False
        pins = [s for s in req.specifier if s.operator == "==" and "+" in s.version]
        if pins and any(Version(p.version) != version for p in pins):
            return False
        if not req.specifier.contains(version if pins else Version(version.public), prereleases=True):
            return False
    return True


def _pip(
    step_id: str,
    action: FixAction,
    python: str,
    mirror: MirrorChoice,
    done: bool,
    wants: tuple[str, ...] = (),
) -> SetupStep:
    step = plan_step(action, python, mirror, (step_id,))
    return SetupStep(step_id, step, done, wants or tuple(step.action.packages))


def _env_step(target: Target, choice: SetupChoice, mirror: MirrorChoice) -> PlanStep:
    if target.kind == "conda":
        argv: tuple[str, ...] = (
            target.conda_exe or "conda", "create", "-p", str(target.prefix), f"python={choice.python}", "-y",
        )  # fmt: skip
        if mirror.conda is not None and mirror.conda.default_channels:
            argv += (
                "--override-channels",
                *[a for url in mirror.conda.default_channels for a in ("-c", url)],
            )
        action = FixAction(FixKind.RUN, argv=argv, reason=f"conda env, Python {choice.python}")
    else:
        base = choice.base.executable if choice.base else ""
        argv = (base, "-m", "venv", str(target.prefix)) if base else ()
        action = FixAction(FixKind.RUN, argv=argv, reason=f"venv, Python {choice.python}")
    return PlanStep(action, argv, (ENV,))


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def python_commands(choice: SetupChoice, m: Matrix, name: str) -> list[tuple[str, ...]]:
    """How to get the Python the plan needs when none is on the machine: conda as the book does, or uv."""
    table = m.d2l.setup
    fill = {"name": name, "version": choice.python}
    return [tuple(a.format(**fill) for a in argv) for argv in (table.conda_python, table.uv_python) if argv]


def uv_mirror_command(m: Matrix, shell: str) -> Optional[str]:
    """How to point uv's Python downloads at the first mirror the matrix lists, in this shell."""
    from d2l_doctor.fixes.shell import quote_argv

    mirrors = m.d2l.setup.uv_mirrors
    if not mirrors:
        return None
    name, url = m.d2l.setup.uv_mirror_setting, mirrors[0].url
    if shell == "powershell":
        return f"$env:{name} = {quote_argv([url], shell)}"
    if shell == "cmd":
        return f"set {name}={url}"
    return f"export {name}={quote_argv([url], shell)}"
