"""Findings -> Plan: order, merging, the target interpreter, the chosen index, conda's share, manual steps."""

from __future__ import annotations

import pytest

from d2l_doctor.fixes.conda_steps import Condarc
from d2l_doctor.fixes.planner import build_plan, manual, runnable
from d2l_doctor.fixes.render import plan_data
from d2l_doctor.fixes.shell import quote_argv
from d2l_doctor.mirrors import resolve_mirror
from d2l_doctor.models import Area, FixAction, FixKind, Plan, Severity, Snapshot
from tests.fix.helpers import (
    CPU_INDEX,
    TEST_CATALOGUE,
    VENV_PY,
    finding,
    kernels,
    official,
    pip_install,
    pip_uninstall,
    torch_stack,
    venv_snapshot,
)

TUNA = "https://pypi.tuna.tsinghua.edu.cn/simple"
PILLOW = finding("pillow-broken", pip_uninstall("pillow"), pip_install("pillow"))
NBCONVERT = finding(
    "nbconvert-jinja2-contextfilter", pip_install("nbconvert>=6.2", flags=("--upgrade",)), area=Area.JUPYTER
)
KERNEL_MISSING = finding(
    "jupyter-kernel-missing",
    pip_install("ipykernel"),
    FixAction(FixKind.KERNEL_INSTALL, name="d2l", display_name="Python (d2l)"),
    severity=Severity.WARNING,
    area=Area.JUPYTER,
)
KERNEL_STALE = finding(
    "jupyter-kernel-stale", FixAction(FixKind.KERNEL_REMOVE, name="old-env"), severity=Severity.WARNING
)
TV_MISMATCH = finding(
    "torchvision-mismatch",
    pip_install("torchvision==0.28.0", flags=("--no-deps",), index_url=CPU_INDEX, torch_variant="cpu"),
)
DRIVER = finding(
    "driver-too-old",
    FixAction(FixKind.MANUAL, url="https://www.nvidia.com/Download/index.aspx", message="manual.driver"),
    area=Area.GPU,
)


def plan_for(
    findings: list,
    snapshot: Snapshot | None = None,
    mirror: str = "tuna",
    shell: str = "bash",
    condarc: Condarc | None = None,
) -> Plan:
    return build_plan(
        findings,
        snapshot or venv_snapshot(),
        mirror=resolve_mirror(mirror, TEST_CATALOGUE),
        shell=shell,
        condarc=condarc,
    )


def argvs(plan: Plan) -> list[tuple[str, ...]]:
    return [s.argv for s in plan.steps if s.argv]


# --------------------------------------------------------------------------- one finding kind at a time


REINSTALL = ("--force-reinstall", "--no-deps")


def test_pillow_broken_is_one_reinstall_that_pip_rolls_back_itself_never_a_bare_uninstall() -> None:
    plan = plan_for([PILLOW])
    assert argvs(plan) == [(VENV_PY, "-m", "pip", "install", *REINSTALL, "-i", TUNA, "pillow")]
    assert [s.fixes for s in plan.steps] == [("pillow-broken",)]


def test_the_reinstall_pins_the_installed_version() -> None:
    plan = plan_for([PILLOW], venv_snapshot(packages={"pillow": "10.4.0"}))
    assert argvs(plan) == [(VENV_PY, "-m", "pip", "install", *REINSTALL, "-i", TUNA, "pillow==10.4.0")]


def test_the_users_own_configuration_adds_no_index() -> None:
    assert argvs(plan_for([PILLOW], mirror="pypi")) == [(VENV_PY, "-m", "pip", "install", *REINSTALL, "pillow")]


def test_a_loopback_url_gets_trusted_host() -> None:
    plan = plan_for([PILLOW], mirror="http://127.0.0.1:8080/simple")
    assert argvs(plan)[0] == (
        VENV_PY,
        "-m",
        "pip",
        "install",
        *REINSTALL,
        "-i",
        "http://127.0.0.1:8080/simple",
        "--trusted-host",
        "127.0.0.1:8080",
        "pillow",
    )


def test_nbconvert_upgrade_in_a_venv_goes_through_pip() -> None:
    assert argvs(plan_for([NBCONVERT])) == [
        (VENV_PY, "-m", "pip", "install", "--upgrade", "-i", TUNA, "nbconvert>=6.2")
    ]


def test_torchvision_mismatch_comes_from_the_pytorch_index_not_the_pypi_mirror() -> None:
    assert argvs(plan_for([TV_MISMATCH])) == [
        (VENV_PY, "-m", "pip", "install", "--no-deps", "-i", CPU_INDEX, "torchvision==0.28.0+cpu")
    ]


@pytest.mark.parametrize(
    ("mirror", "index_args", "packages"),
    [
        # Always the variant's local label: no other index's wheel of the same version can satisfy the pin.
        (
            "tuna",
            ("-i", "https://download.pytorch.org/whl/cu126"),
            ("torch==2.13.0+cu126", "torchvision==0.28.0+cu126"),
        ),
        (
            "sjtu",
            ("-i", "https://mirror.sjtu.edu.cn/pytorch-wheels/cu126"),
            ("torch==2.13.0+cu126", "torchvision==0.28.0+cu126"),
        ),
        (
            "nju",
            ("-i", "https://mirror.nju.edu.cn/pytorch/whl/cu126/"),
            ("torch==2.13.0+cu126", "torchvision==0.28.0+cu126"),
        ),
        (
            "aliyun",
            (
                "-f",
                "https://mirrors.aliyun.com/pytorch-wheels/cu126/",
                "-i",
                "https://mirrors.aliyun.com/pypi/simple/",
            ),
            ("torch==2.13.0+cu126", "torchvision==0.28.0+cu126"),
        ),
    ],
)
def test_torch_cpu_only_installs_the_cuda_build_from_a_pytorch_index(
    mirror: str, index_args: tuple, packages: tuple
) -> None:
    plan = plan_for([finding("torch-cpu-only", torch_stack("cu126"))], mirror=mirror)
    assert argvs(plan) == [(VENV_PY, "-m", "pip", "install", *index_args, *packages)]


def test_find_links_with_an_unpinned_torch_falls_back_to_the_official_index() -> None:
    action = pip_install("torch", "torchvision", index_url=official("cu126"), torch_variant="cu126")
    plan = plan_for([finding("torch-cpu-only", action)], mirror="aliyun")
    assert argvs(plan) == [(VENV_PY, "-m", "pip", "install", "-i", official("cu126"), "torch", "torchvision")]


def test_torch_without_a_wheel_index_never_goes_through_a_pypi_mirror() -> None:
    plan = plan_for([finding("torch-missing", pip_install("torch==2.13.0"))], mirror="tuna")
    assert argvs(plan) == [(VENV_PY, "-m", "pip", "install", "torch==2.13.0")]


def test_older_pytorch_pages_travel_in_the_flags_and_the_pypi_mirror_serves_the_rest() -> None:
    # The rules' actions for torch 1.12 (--extra-index-url, local-label pins) and 1.10 (-f torch_stable.html)
    extra = pip_install(
        "torch==1.12.1+cu113", flags=("--extra-index-url", official("cu113")), torch_variant="cu113"
    )
    stable = pip_install(
        "torch==1.10.2+cu102",
        flags=("-f", "https://download.pytorch.org/whl/torch_stable.html"),
        torch_variant="cu102",
    )
    assert argvs(plan_for([finding("a", extra)])) == [
        (
            VENV_PY,
            "-m",
            "pip",
            "install",
            "--extra-index-url",
            official("cu113"),
            "-i",
            TUNA,
            "torch==1.12.1+cu113",
        )
    ]
    assert argvs(plan_for([finding("b", stable)]))[0][4:7] == (
        "-f",
        "https://download.pytorch.org/whl/torch_stable.html",
        "-i",
    )


def test_pypis_own_torch_build_chosen_by_a_rule_may_use_the_mirror() -> None:
    # macOS: the rules pick PyPI's wheel (a variant, no index): there is no CUDA build to lose
    mac = pip_install("torch==2.2.2", "torchvision==0.17.2", torch_variant="cpu")
    assert argvs(plan_for([finding("torch-missing", mac)])) == [
        (VENV_PY, "-m", "pip", "install", "-i", TUNA, "torch==2.2.2", "torchvision==0.17.2")
    ]


def test_info_findings_are_not_fixed() -> None:
    d2l = finding("d2l-missing", pip_install("d2l==1.0.3"), severity=Severity.INFO, area=Area.D2L)
    assert plan_for([d2l]).steps == ()
    assert [s.fixes for s in plan_for([d2l, PILLOW]).steps] == [("pillow-broken",)]


def test_kernel_missing_installs_ipykernel_before_registering() -> None:
    assert argvs(plan_for([KERNEL_MISSING])) == [
        (VENV_PY, "-m", "pip", "install", "-i", TUNA, "ipykernel"),
        (VENV_PY, "-m", "ipykernel", "install", "--user", "--name", "d2l", "--display-name", "Python (d2l)"),
    ]


def test_stale_kernel_is_removed_first_with_the_targets_jupyter_when_it_has_one() -> None:
    with_jupyter = venv_snapshot(packages={"ipykernel": "6.29.0"}, jupyter=kernels("old-env"))
    plan = plan_for([KERNEL_MISSING, KERNEL_STALE], with_jupyter)
    assert argvs(plan)[0] == (VENV_PY, "-m", "jupyter", "kernelspec", "remove", "-y", "old-env")
    assert argvs(plan_for([KERNEL_STALE]))[0] == ("jupyter", "kernelspec", "remove", "-y", "old-env")


@pytest.mark.parametrize("packages", [{"ipykernel": "6.29.0"}, {}])
def test_check_shows_the_kernel_removal_that_fix_runs(packages: dict[str, str]) -> None:
    from d2l_doctor.render.view import fix_view

    snapshot = venv_snapshot(packages=packages, jupyter=kernels("old-env"))
    shown = fix_view(KERNEL_STALE.fixes[0], snapshot, "bash", "en").argv
    assert shown[-4:] == ("kernelspec", "remove", "-y", "old-env")
    assert argvs(plan_for([KERNEL_STALE], snapshot)) == [shown]


def test_numpy_and_d2l_fixes_go_through_the_mirror() -> None:
    plan = plan_for(
        [
            finding("numpy-abi-mismatch", pip_install("numpy<2")),
            finding("d2l-pins-unsatisfiable", pip_install("d2l==1.0.3", flags=("--no-deps",)), area=Area.D2L),
        ]
    )
    assert argvs(plan) == [
        (VENV_PY, "-m", "pip", "install", "-i", TUNA, "numpy<2"),
        (VENV_PY, "-m", "pip", "install", "--no-deps", "-i", TUNA, "d2l==1.0.3"),
    ]


@pytest.mark.parametrize("fid", ["driver-too-old", "nvidia-driver-missing", "python-32bit", "conda-32bit"])
def test_manual_steps_are_listed_last_and_never_run(fid: str) -> None:
    step = FixAction(FixKind.MANUAL, url="https://example.org/download", message="manual.x")
    plan = plan_for([finding(fid, step), PILLOW])
    assert plan.steps[-1].action.kind is FixKind.MANUAL and plan.steps[-1].argv == ()
    assert [s.fixes for s in manual(plan)] == [(fid,)]
    assert all(s.action.kind is not FixKind.MANUAL for s in runnable(plan))


def test_run_actions_keep_their_exact_argv() -> None:
    plan = plan_for([finding("x", FixAction(FixKind.RUN, argv=("conda", "clean", "--all", "-y")))])
    assert argvs(plan) == [("conda", "clean", "--all", "-y")]


# --------------------------------------------------------------------------- order and merging


def test_everything_together_runs_in_a_working_order() -> None:
    stack = finding("torch-cpu-only", torch_stack("cu126"))
    snap = venv_snapshot(packages={"ipykernel": "6.29.0"})
    plan = plan_for([DRIVER, KERNEL_MISSING, NBCONVERT, TV_MISMATCH, PILLOW, stack, KERNEL_STALE], snap)
    kinds = [(s.action.kind.value, s.fixes) for s in plan.steps]
    assert kinds == [
        ("kernel-remove", ("jupyter-kernel-stale",)),
        # one torch install: it brings the torchvision that matches it, so the separate one is dropped
        ("pip-install", ("torch-cpu-only", "torchvision-mismatch")),
        ("pip-install", ("jupyter-kernel-missing",)),
        ("pip-install", ("nbconvert-jinja2-contextfilter",)),
        ("pip-install", ("pillow-broken",)),
        ("kernel-install", ("jupyter-kernel-missing",)),
        ("manual", ("driver-too-old",)),
    ]


def test_torch_comes_before_a_torchaudio_it_does_not_bring() -> None:
    audio = finding(
        "torchaudio-mismatch", pip_install("torchaudio==2.11.0", index_url=CPU_INDEX, torch_variant="cpu")
    )
    plan = plan_for([audio, finding("torch-missing", torch_stack("cpu"))])
    assert [s.fixes for s in plan.steps] == [("torch-missing",), ("torchaudio-mismatch",)]


def test_identical_actions_are_merged_and_list_every_finding() -> None:
    other = finding("torchvision-import-failed", pip_uninstall("pillow"), pip_install("pillow"))
    plan = plan_for([PILLOW, other])
    assert [s.fixes for s in plan.steps] == [("pillow-broken", "torchvision-import-failed")]


def test_every_pip_step_runs_through_the_target_interpreter() -> None:
    plan = plan_for(
        [PILLOW, NBCONVERT, TV_MISMATCH, KERNEL_MISSING, finding("torch-cpu-only", torch_stack("cu126"))]
    )
    for argv in argvs(plan):
        assert argv[0] == VENV_PY and "pip" not in argv[0]
        if "pip" in argv:
            assert argv[1:3] == ("-m", "pip")


# --------------------------------------------------------------------------- shells and data


@pytest.mark.parametrize(
    ("shell", "expected"),
    [
        (
            "bash",
            "'/opt/my envs/it'\"'\"'s $(x) & y/bin/python' -m pip install -i " + TUNA + " 'nbconvert>=6.2'",
        ),
        (
            "powershell",
            "& '/opt/my envs/it''s $(x) & y/bin/python' -m pip install -i " + TUNA + " 'nbconvert>=6.2'",
        ),
        ("cmd", '"/opt/my envs/it\'s $(x) & y/bin/python" -m pip install -i ' + TUNA + ' "nbconvert>=6.2"'),
    ],
)
def test_plan_lines_for_each_shell(shell: str, expected: str) -> None:
    python = "/opt/my envs/it's $(x) & y/bin/python"
    nb = finding("nbconvert-jinja2-contextfilter", pip_install("nbconvert>=6.2"))
    plan = plan_for([nb], venv_snapshot(python=python), shell=shell)
    assert plan.steps[0].argv[0] == python  # one argv element, whatever it contains
    assert quote_argv(plan.steps[0].argv, shell) == expected
    assert plan_data(plan)["steps"][0]["command"] == expected


def test_plan_data_is_json_ready() -> None:
    import json

    data = plan_data(plan_for([PILLOW, DRIVER], shell="powershell"))
    again = json.loads(json.dumps(data))
    assert again["mirror"] == "tuna" and again["shell"] == "powershell"
    assert [s["action"]["kind"] for s in again["steps"]] == ["pip-install", "manual"]
    assert again["steps"][1]["command"] is None and again["steps"][1]["action"]["url"].startswith("https://")
    assert again["steps"][0]["fixes"] == ["pillow-broken"]
