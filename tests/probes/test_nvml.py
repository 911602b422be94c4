"""The driver and GPUs: NVML through a fake pynvml, then the /proc and nvidia-smi fallbacks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from d2l_doctor.driver_api import cuda_from_driver_api
from d2l_doctor.models import Driver, Gpu
from d2l_doctor.probes import nvml
from tests.fakes import nvidia_smi
from tests.fakes.nvml import driver_450, healthy_two_gpus, library_missing, one_gpu_lost

PROC_CLOSED = "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.183.01  Sun May 12 19:39:15 UTC 2024\n"
PROC_OPEN = (
    "NVRM version: NVIDIA UNIX Open Kernel Module for aarch64  550.54.14  Release Build  (dvs-builder@U16)  "
    "Thu Feb 22 01:25:25 UTC 2024\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n"
)


def no_smi_env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": str(tmp_path / "empty-bin")}


def proc_tree(root: Path, text: str) -> str:
    version = root / "proc" / "driver" / "nvidia" / "version"
    version.parent.mkdir(parents=True)
    version.write_text(text)
    return str(root)


def test_healthy_two_gpus(tmp_path: Path) -> None:
    fake = healthy_two_gpus()
    facts = nvml.probe(no_smi_env(tmp_path), system="linux", proc_root=str(tmp_path), nvml=fake)
    assert facts.driver == Driver("550.54.14", "12.4", "nvml")
    assert facts.gpus == (
        Gpu("NVIDIA GeForce RTX 4090", "8.9", 24564, "0000:01:00.0", 0),
        Gpu("NVIDIA GeForce RTX 3060", "8.6", 12288, "0000:02:00.0", 1),
    )
    assert facts.problems == {}
    assert fake.calls[0] == "nvmlInit" and fake.calls[-1] == "nvmlShutdown"


def test_the_probe_finds_pynvml_in_sys_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", healthy_two_gpus())
    facts = nvml.probe(no_smi_env(tmp_path), system="linux", proc_root=str(tmp_path))
    assert facts.driver is not None and facts.driver.version == "550.54.14" and len(facts.gpus) == 2


def test_driver_450_era(tmp_path: Path) -> None:
    facts = nvml.probe(no_smi_env(tmp_path), system="linux", proc_root=str(tmp_path), nvml=driver_450())
    assert facts.driver == Driver("450.80.02", "11.0", "nvml")
    # bytes decoded; the missing PCI call costs only the bus id
    assert facts.gpus == (Gpu("Tesla V100-SXM2-16GB", "7.0", 16160, None, 0),)


def test_one_gpu_lost_keeps_the_other(tmp_path: Path) -> None:
    facts = nvml.probe(no_smi_env(tmp_path), system="linux", proc_root=str(tmp_path), nvml=one_gpu_lost())
    assert [g.name for g in facts.gpus] == ["NVIDIA GeForce RTX 4090"]
    assert {k: str(v) for k, v in facts.problems.items()} == {"nvml.gpu1": "GPU is lost"}
    assert facts.driver is not None and facts.driver.source == "nvml"


def test_library_missing_and_nothing_else(tmp_path: Path) -> None:
    facts = nvml.probe(no_smi_env(tmp_path), system="linux", proc_root=str(tmp_path), nvml=library_missing())
    assert facts.driver is None and facts.gpus == ()
    assert {k: str(v) for k, v in facts.problems.items()} == {"nvml": "NVML Shared Library Not Found"}


@pytest.mark.parametrize(("text", "version"), [(PROC_CLOSED, "535.183.01"), (PROC_OPEN, "550.54.14")])
def test_proc_fallback(tmp_path: Path, text: str, version: str) -> None:
    root = proc_tree(tmp_path, text)
    facts = nvml.probe(no_smi_env(tmp_path), system="linux", proc_root=root, nvml=library_missing())
    assert facts.driver == Driver(version, None, "proc")
    assert {k: str(v) for k, v in facts.problems.items()} == {"nvml": "NVML Shared Library Not Found"}


def test_proc_is_linux_only(tmp_path: Path) -> None:
    root = proc_tree(tmp_path, PROC_CLOSED)
    facts = nvml.probe(no_smi_env(tmp_path), system="darwin", proc_root=root, nvml=library_missing())
    assert facts.driver is None


def smi_env(tmp_path: Path, scenario: str) -> dict[str, str]:
    exe = nvidia_smi.install(tmp_path / "fake-bin", scenario)
    return {**os.environ, "PATH": f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def test_nvidia_smi_fallback(tmp_path: Path) -> None:
    facts = nvml.probe(
        smi_env(tmp_path, "healthy"), system="linux", proc_root=str(tmp_path), nvml=library_missing()
    )
    assert facts.driver == Driver("550.54.14", "12.4", "nvidia-smi")
    assert facts.gpus[1] == Gpu("NVIDIA GeForce RTX 3060", "8.6", 12288, "0000:02:00.0", 1)
    assert {k: str(v) for k, v in facts.problems.items()} == {"nvml": "NVML Shared Library Not Found"}


def test_old_nvidia_smi_without_compute_cap(tmp_path: Path) -> None:
    facts = nvml.probe(
        smi_env(tmp_path, "old"), system="linux", proc_root=str(tmp_path), nvml=library_missing()
    )
    assert facts.driver == Driver("470.223.02", "11.4", "nvidia-smi")
    assert facts.gpus == (Gpu("Tesla K80", None, 11441, "0000:00:04.0", 0),)


def test_proc_answers_the_driver_and_nvidia_smi_adds_cuda_and_gpus(tmp_path: Path) -> None:
    root = proc_tree(tmp_path / "root", PROC_CLOSED)
    env = smi_env(tmp_path, "healthy")
    facts = nvml.probe(env, system="linux", proc_root=root, nvml=library_missing())
    assert facts.driver == Driver("535.183.01", "12.4", "proc")
    assert len(facts.gpus) == 2


def test_a_failing_nvidia_smi_says_why(tmp_path: Path) -> None:
    facts = nvml.probe(
        smi_env(tmp_path, "failed"), system="linux", proc_root=str(tmp_path), nvml=library_missing()
    )
    assert facts.driver is None
    assert str(facts.problems["nvidia-smi"]).startswith(
        "NVIDIA-SMI has failed because it couldn't communicate"
    )


def test_windows_nvidia_smi_locations(tmp_path: Path) -> None:
    system32 = tmp_path / "Windows" / "System32"
    system32.mkdir(parents=True)
    (system32 / "nvidia-smi.exe").write_text("")
    env = {"SystemRoot": str(tmp_path / "Windows"), "PATH": ""}
    assert nvml.nvidia_smi_candidates(env, "windows") == [str(system32 / "nvidia-smi.exe")]


def test_only_the_known_calls_are_made() -> None:
    """The fake has no UUID, serial or board calls: asking for any would show up in `unknown`."""
    fake = healthy_two_gpus()
    nvml.read_nvml(fake)
    assert fake.unknown == []
    assert "nvmlDeviceGetPciInfo" in fake.calls


@pytest.mark.parametrize(
    ("raw", "text"), [(12040, "12.4"), (11000, "11.0"), (13000, "13.0"), (12080, "12.8")]
)
def test_cuda_version_text(raw: int, text: str) -> None:
    assert cuda_from_driver_api(raw) == text


@pytest.mark.parametrize(
    ("raw", "bus"),
    [
        ("00000000:01:00.0", "0000:01:00.0"),
        (b"00000000:0A:00.0", "0000:0a:00.0"),
        ("0000:02:00.0", "0000:02:00.0"),
    ],
)
def test_bus_id(raw: str | bytes, bus: str) -> None:
    assert nvml.bus_id(raw) == bus
