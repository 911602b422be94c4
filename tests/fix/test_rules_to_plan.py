"""The real rules feeding the planner: a CPU-only torch on a machine whose GPU could use CUDA is replaced from
a PyTorch CUDA index (or a mirror of it), never through a PyPI mirror, whatever mirror was chosen."""

from __future__ import annotations

import pytest

from d2l_doctor import rules
from d2l_doctor.fixes.conda_steps import requirement_name
from d2l_doctor.fixes.planner import TORCH_FAMILY, build_plan
from d2l_doctor.matrix import load_matrix
from d2l_doctor.mirrors import resolve_mirror
from d2l_doctor.models import Driver, Gpu, Host, ImportResult, PythonInfo, Snapshot, TorchInfo


def gpu_machine(os_name: str) -> Snapshot:
    windows = os_name == "windows"
    return Snapshot(
        host=Host(os=os_name, machine="AMD64" if windows else "x86_64"),
        driver=Driver("560.35", "12.6"),
        gpus=(Gpu("NVIDIA GeForce RTX 3060", "8.6"),),
        python=PythonInfo(
            "C:\\d2l\\Scripts\\python.exe" if windows else "/d2l/bin/python",
            "3.11.9",
            64,
            "AMD64" if windows else "x86_64",
            platform="win32" if windows else "linux",
            is_venv=True,
        ),
        packages={"torch": "2.13.0+cpu", "torchvision": "0.28.0+cpu", "pillow": "11.0.0", "numpy": "2.1.0"},
        torch=TorchInfo("2.13.0+cpu", cuda=None, cuda_available=False, device_count=0),
        imports={m: ImportResult(m, True) for m in ("torch", "torchvision", "PIL", "numpy")},
    )


@pytest.mark.parametrize("os_name", ["linux", "windows"])
@pytest.mark.parametrize("mirror", ["pypi", "tuna", "aliyun", "ustc", "sjtu", "nju", "douban"])
def test_cpu_torch_on_a_gpu_machine_is_replaced_from_a_cuda_index(os_name: str, mirror: str) -> None:
    matrix = load_matrix(None)
    snapshot = gpu_machine(os_name)
    findings = rules.evaluate(snapshot, matrix)
    assert "torch-cpu-only" in [f.id for f in findings]
    choice = resolve_mirror(mirror, matrix.mirrors)
    plan = build_plan(findings, snapshot, mirror=choice, shell="bash")
    torch_steps = [
        s for s in plan.steps if any(requirement_name(p) in TORCH_FAMILY for p in s.action.packages)
    ]
    assert torch_steps
    pypi_urls = {m.pypi_url for m in matrix.mirrors.values() if m.pypi_url}
    for step in torch_steps:
        argv = step.argv
        # Where torch comes from: a page of CUDA wheels (-f; a later -i serves the rest), or an index (-i).
        flag = "-f" if "-f" in argv else "-i"
        source = argv[argv.index(flag) + 1]
        assert source not in pypi_urls, argv
        assert "/cu" in source, argv
        assert all("+cu" in p for p in step.action.packages if requirement_name(p) in TORCH_FAMILY), argv
