"""The planner in conda envs: conda's packages go to conda, the rest to pip; a mirror's channels are optional
steps."""

from __future__ import annotations

from d2l_doctor.fixes.conda_steps import Condarc
from tests.fix.helpers import (
    CONDA_EXE,
    CONDA_PREFIX,
    CONDA_PY,
    CPU_INDEX,
    conda_snapshot,
    finding,
    pip_install,
    pip_uninstall,
)
from tests.fix.test_planner import NBCONVERT, PILLOW, TUNA, TV_MISMATCH, argvs, plan_for


def test_conda_managed_packages_are_fixed_with_conda() -> None:
    plan = plan_for([NBCONVERT], conda_snapshot())
    assert argvs(plan) == [(CONDA_EXE, "install", "-p", CONDA_PREFIX, "-y", "nbconvert>=6.2")]


def test_a_conda_managed_pillow_is_force_reinstalled_by_conda_not_uninstalled_by_pip() -> None:
    plan = plan_for([PILLOW], conda_snapshot())
    assert argvs(plan) == [(CONDA_EXE, "install", "-p", CONDA_PREFIX, "-y", "--force-reinstall", "pillow")]


def test_packages_conda_does_not_manage_stay_with_pip() -> None:
    mixed = finding("x", pip_install("nbconvert>=6.2", "ipykernel", flags=("--upgrade",)))
    plan = plan_for([mixed, TV_MISMATCH], conda_snapshot())
    assert argvs(plan) == [
        (CONDA_EXE, "install", "-p", CONDA_PREFIX, "-y", "nbconvert>=6.2"),
        (CONDA_PY, "-m", "pip", "install", "--no-deps", "-i", CPU_INDEX, "torchvision==0.28.0+cpu"),
        (CONDA_PY, "-m", "pip", "install", "--upgrade", "-i", TUNA, "ipykernel"),
    ]


def test_a_conda_uninstall_without_reinstall_removes_only_that_package() -> None:
    plan = plan_for([finding("x", pip_uninstall("jinja2"))], conda_snapshot())
    assert argvs(plan) == [(CONDA_EXE, "remove", "-p", CONDA_PREFIX, "-y", "--force", "jinja2")]


def test_conda_env_with_a_mirror_gets_optional_channel_steps_first() -> None:
    rc = Condarc("/home/ada/.condarc", has_default_channels=True)
    plan = plan_for([NBCONVERT], conda_snapshot(), condarc=rc)
    optional = [s for s in plan.steps if s.optional]
    assert plan.steps[: len(optional)] == tuple(optional) and all(s.fixes == () for s in optional)
    assert [s.argv for s in optional] == [
        (CONDA_EXE, "config", "--file", "/home/ada/.condarc", "--remove-key", "default_channels"),
        (
            CONDA_EXE,
            "config",
            "--file",
            "/home/ada/.condarc",
            "--append",
            "default_channels",
            "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main",
            "--append",
            "default_channels",
            "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/r",
        ),
        (
            CONDA_EXE,
            "config",
            "--file",
            "/home/ada/.condarc",
            "--set",
            "show_channel_urls",
            "yes",
            "--set",
            "custom_channels.conda-forge",
            "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud",
        ),
        (CONDA_EXE, "clean", "-i", "-y"),
    ]
    fresh = plan_for([NBCONVERT], conda_snapshot(), condarc=Condarc("/home/ada/.condarc"))
    assert not any("--remove-key" in s.argv for s in fresh.steps)


def test_no_channel_steps_in_a_venv_or_with_nothing_to_run() -> None:
    rc = Condarc("/home/ada/.condarc")
    assert not any(s.optional for s in plan_for([NBCONVERT], condarc=rc).steps)
    assert plan_for([], conda_snapshot(), condarc=rc).steps == ()
    assert not any(
        s.optional for s in plan_for([NBCONVERT], conda_snapshot(), mirror="sjtu", condarc=rc).steps
    )
