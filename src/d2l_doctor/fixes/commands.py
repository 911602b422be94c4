"""Turn a FixAction into the exact argv that runs it, for a target interpreter and a package index.

`check` shows these argv (through the user's default index); the planner passes a mirror's index.
"""

from __future__ import annotations

from typing import Optional

from d2l_doctor.mirrors import PipIndex, index_at
from d2l_doctor.models import CondaInfo, FixAction, FixKind, Snapshot

# Any of these in the target brings jupyter_core, so `<python> -m jupyter` works there.
_JUPYTER_PACKAGES = (
    "jupyter-core",
    "ipykernel",
    "jupyter",
    "notebook",
    "jupyterlab",
    "nbconvert",
    "jupyter-client",
)


def target_python(snapshot: Snapshot) -> str:
    """The interpreter the commands run with; a report that does not name one (collect_env never does) gets
    plain `python`."""
    from d2l_doctor.rules.facts import python_executable

    return python_executable(snapshot) or "python"


def jupyter_argv(snapshot: Snapshot) -> tuple[str, ...]:
    """How a command runs `jupyter` for this target: the target's own (`<python> -m jupyter`) when it has
    Jupyter installed, so the kernelspecs it removes are the ones that target sees; else the one on PATH.
    `check` and `fix` both ask here, so what `check` shows is what `fix` runs."""
    if any(p in snapshot.packages for p in _JUPYTER_PACKAGES):
        return (target_python(snapshot), "-m", "jupyter")
    return ("jupyter",)


def action_argv(
    action: FixAction,
    python: str,
    conda: Optional[CondaInfo] = None,
    pypi: Optional[PipIndex] = None,
    torch_index: Optional[PipIndex] = None,
    jupyter: Optional[tuple[str, ...]] = None,
) -> tuple[str, ...]:
    """The argv for action. pypi: the index for ordinary packages (None: the user's pip configuration);
    torch_index: replaces the action's PyTorch wheel index (a mirror of download.pytorch.org);
    jupyter: how to run `jupyter` (`jupyter_argv(snapshot)`; default: the `jupyter` on PATH)."""
    kind = action.kind
    if kind is FixKind.PIP_INSTALL:
        argv: tuple[str, ...] = (python, "-m", "pip", "install", *action.flags)
        if action.index_url:
            index = torch_index or index_at(action.index_url)
            argv += index.args()
            if index.find_links and pypi is not None:
                # A page of wheels only adds files: the dependencies still come from the chosen PyPI mirror.
                argv += pypi.args()
        elif pypi is not None:
            argv += pypi.args()
        return argv + tuple(action.packages)
    if kind is FixKind.PIP_UNINSTALL:
        return (python, "-m", "pip", "uninstall", "-y", *action.flags, *action.packages)
    if kind is FixKind.CONDA_INSTALL:
        conda_exe = (conda.conda_exe if conda else None) or "conda"
        target: tuple[str, ...] = ("-p", conda.prefix) if conda and conda.prefix else ()
        return (conda_exe, "install", *target, "-y", *action.flags, *action.packages)
    if kind is FixKind.KERNEL_INSTALL:
        name = action.name or "python3"
        display = action.display_name or name
        return (python, "-m", "ipykernel", "install", "--user", "--name", name, "--display-name", display)
    if kind is FixKind.KERNEL_REMOVE:
        return (*(jupyter or ("jupyter",)), "kernelspec", "remove", "-y", action.name or "")
    if kind is FixKind.RUN:
        return tuple(action.argv)
    return ()  # MANUAL: nothing to run
