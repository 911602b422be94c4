"""Which Python and torch a new d2l environment gets, and the plan's steps, from facts alone (no process runs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from d2l_doctor.errors import UsageError
from d2l_doctor.matrix import Matrix, load_matrix
from d2l_doctor.mirrors import MirrorChoice, PipIndex
from d2l_doctor.models import Driver, Gpu, Host, PciGpu, Snapshot
from d2l_doctor.setup.choose import book_release, choose
from d2l_doctor.setup.plan import build, constraints, python_commands, satisfied
from d2l_doctor.setup.pythons import FoundPython
from d2l_doctor.setup.target import TargetState, venv_target


@pytest.fixture(scope="module")
def m() -> Matrix:
    return load_matrix(None)


LINUX = Snapshot(host=Host("linux", machine="x86_64"))
RTX_4090 = Snapshot(
    host=Host("linux", machine="x86_64"),
    driver=Driver("560.35.03", "12.6"),
    gpus=(Gpu("NVIDIA GeForce RTX 4090", "8.9"),),
)


def found(
    version: str, *, bits: int = 64, can_venv: bool = True, implementation: str = "cpython"
) -> FoundPython:
    return FoundPython(
        f"/opt/py{version}/bin/python3", version, bits, "x86_64", implementation, can_venv, "path"
    )


def test_the_newest_python_that_fits_the_pins_and_a_torch_build(m: Matrix) -> None:
    release = book_release(m, "1.0.3", "en")
    choice = choose(m, release, LINUX, [found("3.12.4"), found("3.11.9"), found("3.9.18")], None, "en")
    # numpy 1.23.5 has no wheel for 3.12: 3.11 is the newest Python d2l 1.0.3 installs on from wheels.
    assert choice.d2l_pythons == ("3.8", "3.9", "3.10", "3.11")
    assert (choice.python, choice.base and choice.base.version) == ("3.11", "3.11.9")
    assert choice.torch.variant == "cpu" and choice.torch.torchvision


def test_a_found_python_beats_one_that_must_be_installed(m: Matrix) -> None:
    release = book_release(m, "1.0.3", "en")
    choice = choose(m, release, LINUX, [found("3.9.18")], None, "en")
    assert choice.python == "3.9" and choice.base is not None
    newest = choose(m, release, LINUX, [found("3.9.18")], "3.11", "en")
    assert newest.python == "3.11" and newest.base is None  # asked for: the plan says how to get it


def test_the_gpu_and_driver_choose_the_cuda_build(m: Matrix) -> None:
    release = book_release(m, "1.0.3", "en")
    choice = choose(m, release, RTX_4090, [found("3.11.9")], None, "en")
    assert choice.torch.variant.startswith("cu") and choice.torch.index_url
    assert choice.torch.variant in m.torch_release(choice.torch.torch).variants  # type: ignore[union-attr]


def test_a_gpu_without_a_driver_gets_the_cpu_build(m: Matrix) -> None:
    release = book_release(m, "1.0.3", "en")
    host = Snapshot(host=Host("linux", machine="x86_64"), pci_gpus=(PciGpu("0000:01:00.0", "0x2684"),))
    assert choose(m, release, host, [found("3.11.9")], None, "en").torch.variant == "cpu"


@pytest.mark.parametrize(
    ("python", "words"),
    [("3.12", "only for Python 3.8–3.11"), ("2.7", "only for Python 3.8–3.11")],
)
def test_a_python_version_the_pins_rule_out_is_refused_with_the_reason(
    m: Matrix, python: str, words: str
) -> None:
    release = book_release(m, "1.0.3", "en")
    with pytest.raises(UsageError) as info:
        choose(m, release, LINUX, [found("3.12.4")], python, "en")
    assert words in str(info.value) and str(info.value).endswith("usable here: 3.8, 3.9, 3.10, 3.11")


def test_unknown_book_version_names_the_known_ones(m: Matrix) -> None:
    with pytest.raises(UsageError) as info:
        book_release(m, "9.9.9", "en")
    assert "1.0.3" in str(info.value)


def test_interpreters_that_cannot_build_are_said_not_used(m: Matrix) -> None:
    release = book_release(m, "1.0.3", "en")
    bad = [found("3.11.1", bits=32), found("3.11.2", can_venv=False), found("3.11.3", implementation="pypy")]
    choice = choose(m, release, LINUX, bad, None, "en")
    assert choice.base is None
    assert [why for _, why in choice.unusable] == [
        "setup.python.32bit",
        "setup.python.no_venv",
        "setup.python.not_cpython",
    ]


def test_the_plan_resumes_where_the_environment_stands(m: Matrix, tmp_path: Path) -> None:
    release = book_release(m, "1.0.3", "en")
    choice = choose(m, release, LINUX, [found("3.11.9")], None, "en")
    target = venv_target(tmp_path / "d2l-env", "linux")
    mirror = MirrorChoice("tuna", PipIndex("https://pypi.tuna.tsinghua.edu.cn/simple"))
    fresh = build(target, TargetState(False, False, False), choice, release, m, mirror)
    assert [s.id for s in fresh.pending] == ["environment", "torch", "d2l", "notebook", "kernel"]
    assert fresh.steps[0].step.argv == ("/opt/py3.11.9/bin/python3", "-m", "venv", str(target.prefix))
    torch = fresh.steps[1].step.argv
    assert (
        "https://download.pytorch.org/whl/cpu" in torch
        and "https://pypi.tuna.tsinghua.edu.cn/simple" not in torch
    )
    d2l = fresh.steps[2].step.argv
    assert d2l[-2:] == ("d2l==1.0.3", "ipython<9.16") and "https://pypi.tuna.tsinghua.edu.cn/simple" in d2l
    installed = {
        "torch": f"{choice.torch.torch}+cpu",
        "torchvision": f"{choice.torch.torchvision}+cpu",
        "d2l": "1.0.3", "jupyter": "1.0.0", "numpy": "1.23.5", "matplotlib": "3.7.2", "matplotlib-inline": "0.1.6",
        "requests": "2.31.0", "pandas": "2.0.3", "scipy": "1.10.1", "ipython": "9.15.0",
    }  # fmt: skip
    half = TargetState(True, True, False, "3.11.9", installed, kernel_python=None)
    resumed = build(target, half, choice, release, m, mirror)
    assert [s.id for s in resumed.pending] == ["notebook", "kernel"]
    whole = TargetState(
        True, True, False, "3.11.9", {**installed, "ipykernel": "7.1.0"}, {}, str(target.python)
    )
    assert build(target, whole, choice, release, m, mirror).pending == []


def test_no_python_blocks_the_plan_with_the_commands_that_get_one(m: Matrix, tmp_path: Path) -> None:
    release = book_release(m, "1.0.3", "en")
    choice = choose(m, release, LINUX, [], None, "en")
    plan = build(venv_target(tmp_path / "e", "linux"), TargetState(False, False, False), choice, release, m,
                 MirrorChoice("pypi", None))  # fmt: skip
    assert plan.blocked and not any(s.step.argv for s in plan.steps)
    assert python_commands(choice, m, "d2l") == [
        ("conda", "create", "-n", "d2l", "python=3.11", "-y"),
        ("uv", "python", "install", "3.11"),
    ]


def test_satisfied_reads_pins_local_labels_and_ranges() -> None:
    assert satisfied(["torch==2.13.0+cpu"], {"torch": "2.13.0+cpu"})
    assert not satisfied(["torch==2.13.0+cpu"], {"torch": "2.13.0+cu126"})
    assert not satisfied(["torch==2.13.0+cpu"], {"torch": "2.13.0"})
    assert satisfied(["numpy==1.23.5", "ipython<9.16"], {"numpy": "1.23.5", "ipython": "9.15.0"})
    assert not satisfied(["ipython<9.16"], {"ipython": "9.19.1"})
    assert not satisfied(["jupyter"], {})
    assert satisfied(["matplotlib-inline==0.1.6"], {"matplotlib-inline": "0.1.6"})


def test_constraints_follow_the_matplotlib_pin(m: Matrix) -> None:
    assert constraints(book_release(m, "1.0.3", "en"), m) == ("ipython<9.16",)
    assert constraints(book_release(m, "0.17.0", "en"), m) == ()  # nothing pinned: pip takes a new matplotlib
