"""The NVIDIA driver and its GPUs. The ONLY module that touches `pynvml` (from the nvidia-ml-py distribution).

NVML first; when it cannot answer, `/proc/driver/nvidia/version` (Linux), then `nvidia-smi`. `Driver.source`
says which one answered. No UUIDs, serial numbers or host names are read: reports get pasted into public
forums.
"""

from __future__ import annotations

import csv
import os
import platform
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from d2l_doctor import runner
from d2l_doctor.driver_api import cuda_from_driver_api
from d2l_doctor.models import Driver, Gpu, Problem

_MIB = 1024 * 1024
_SMI_FIELDS = ("driver_version", "name", "memory.total", "pci.bus_id", "compute_cap")
# "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  …" or "… Open Kernel Module for aarch64  …"
_PROC_VERSION = re.compile(r"Kernel Module(?:\s+for\s+\S+)?\s+(\d+\.\d+(?:\.\d+)?)")
_SMI_CUDA = re.compile(r"CUDA Version:\s*(\d+\.\d+)")

T = TypeVar("T")


@dataclass(frozen=True)
class NvidiaFacts:
    driver: Optional[Driver]
    gpus: tuple[Gpu, ...]
    problems: dict[str, Problem]


def probe(
    env: Mapping[str, str],
    *,
    system: Optional[str] = None,
    proc_root: str = "/",
    timeout: float = 10.0,
    nvml: Any = None,
) -> NvidiaFacts:
    """Driver and GPUs. `system` (linux | windows | darwin), `proc_root` and `nvml` are for tests."""
    system = (system or platform.system()).lower()
    try:
        return read_nvml(nvml)
    except Exception as exc:  # NVMLError_LibraryNotFound, DriverNotLoaded, ImportError…
        problems = {"nvml": _why(exc)}
    driver = read_proc_version(proc_root) if system == "linux" else None
    smi_driver, gpus, smi_problem = read_nvidia_smi(env, system, timeout)
    if smi_problem:
        problems["nvidia-smi"] = Problem.error(smi_problem)
    if driver is None:
        driver = smi_driver
    elif smi_driver is not None:
        driver = Driver(driver.version, smi_driver.cuda_version, driver.source)
    return NvidiaFacts(driver, gpus, problems)


def _why(exc: BaseException) -> Problem:
    if isinstance(exc, ImportError):
        return Problem("ui.why.no_pynvml")
    return Problem.error(str(exc) or type(exc).__name__)


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def bus_id(value: Any) -> str:
    """ "00000000:01:00.0" (NVML, nvidia-smi) as sysfs writes it: "0000:01:00.0"."""
    text = _text(value).strip().lower()
    domain, sep, rest = text.partition(":")
    if sep and len(domain) > 4:
        domain = domain[-4:]
    return f"{domain}{sep}{rest}"


def _optional(fn: Callable[[], T]) -> Optional[T]:
    """One field of one GPU: old drivers lack some NVML functions, and that costs only that field."""
    try:
        return fn()
    except Exception:
        return None


def read_nvml(nvml: Any = None) -> NvidiaFacts:
    if nvml is None:
        import pynvml  # heavy and only needed here

        nvml = pynvml
    nvml.nvmlInit()
    try:
        version = _text(nvml.nvmlSystemGetDriverVersion())
        cuda_raw = _optional(nvml.nvmlSystemGetCudaDriverVersion)
        driver = Driver(version, cuda_from_driver_api(cuda_raw) if cuda_raw else None, "nvml")
        gpus: list[Gpu] = []
        problems: dict[str, Problem] = {}
        for index in range(int(nvml.nvmlDeviceGetCount())):
            try:
                gpus.append(_read_gpu(nvml, index))
            except Exception as exc:  # "GPU is lost": the others are still worth reporting
                problems[f"nvml.gpu{index}"] = _why(exc)
        return NvidiaFacts(driver, tuple(gpus), problems)
    finally:
        _optional(nvml.nvmlShutdown)


def _read_gpu(nvml: Any, index: int) -> Gpu:
    """One GPU; raises when it cannot even be named."""
    handle = nvml.nvmlDeviceGetHandleByIndex(index)
    name = _text(nvml.nvmlDeviceGetName(handle))
    capability = _optional(lambda: "{}.{}".format(*nvml.nvmlDeviceGetCudaComputeCapability(handle)))
    memory = _optional(lambda: int(nvml.nvmlDeviceGetMemoryInfo(handle).total) // _MIB)
    pci = _optional(lambda: bus_id(nvml.nvmlDeviceGetPciInfo(handle).busId))
    return Gpu(name, capability, memory, pci, index)


def read_proc_version(proc_root: str = "/") -> Optional[Driver]:
    """The loaded kernel module's version from /proc/driver/nvidia/version (Linux), or None."""
    try:
        text = (Path(proc_root) / "proc" / "driver" / "nvidia" / "version").read_text(errors="replace")
    except OSError:
        return None
    match = _PROC_VERSION.search(text)
    return Driver(match.group(1), None, "proc") if match else None


def nvidia_smi_candidates(env: Mapping[str, str], system: str) -> list[str]:
    """Every nvidia-smi to try, in order: PATH first, then where the Windows driver puts it."""
    exe = "nvidia-smi.exe" if system == "windows" else "nvidia-smi"
    sep = ";" if system == "windows" else ":"
    found = [str(Path(d) / exe) for d in env.get("PATH", env.get("Path", "")).split(sep) if d]
    if system == "windows":
        root = env.get("SystemRoot", env.get("SYSTEMROOT", r"C:\Windows"))
        found += [
            str(Path(root) / "System32" / exe),
            r"C:\Program Files\NVIDIA Corporation\NVSMI\nvidia-smi.exe",
        ]
    elif system == "linux":
        found.append("/usr/lib/wsl/lib/nvidia-smi")  # WSL 2: the Windows driver's tools
    seen: list[str] = []
    for path in found:
        if path not in seen and os.path.isfile(path):
            seen.append(path)
    return seen


def parse_smi_query(text: str, fields: tuple[str, ...]) -> tuple[Optional[str], tuple[Gpu, ...]]:
    """`--query-gpu=... --format=csv,noheader,nounits` output: (driver version, GPUs)."""
    driver: Optional[str] = None
    gpus: list[Gpu] = []
    rows = csv.reader(text.splitlines(), skipinitialspace=True)
    for index, row in enumerate(r for r in rows if r):
        values = {
            key: (value.strip() if value.strip() and not value.strip().startswith("[") else None)
            for key, value in zip(fields, row)
        }
        driver = driver or values.get("driver_version")
        memory = values.get("memory.total")
        gpus.append(
            Gpu(
                name=values.get("name") or "NVIDIA GPU",
                compute_capability=values.get("compute_cap"),
                memory_total_mib=int(float(memory)) if memory and memory.replace(".", "").isdigit() else None,
                pci_bus_id=bus_id(values["pci.bus_id"]) if values.get("pci.bus_id") else None,
                index=index,
            )
        )
    return driver, tuple(gpus)


def _query(exe: str, fields: tuple[str, ...], timeout: float, env: Mapping[str, str]) -> runner.CmdResult:
    return runner.run([exe, f"--query-gpu={','.join(fields)}", "--format=csv,noheader,nounits"], timeout, env)


def read_nvidia_smi(
    env: Mapping[str, str], system: str, timeout: float
) -> tuple[Optional[Driver], tuple[Gpu, ...], Optional[str]]:
    """(driver, GPUs, why it failed) from the first nvidia-smi that answers; nothing when there is none."""
    why: Optional[str] = None
    for exe in nvidia_smi_candidates(env, system):
        fields: tuple[str, ...] = _SMI_FIELDS
        result = _query(exe, fields, timeout, env)
        # Drivers before ~510 lack the compute_cap field: ask again without it.
        if not result.ok and "compute_cap" in result.stdout + result.stderr:
            fields = _SMI_FIELDS[:-1]
            result = _query(exe, fields, timeout, env)
        if not result.ok:
            lines = (result.stdout + "\n" + result.stderr).strip().splitlines()
            why = (lines[0] if lines else result.error) or ("timed out" if result.timed_out else "failed")
            continue
        version, gpus = parse_smi_query(result.stdout, fields)
        if version is None:
            why = "no GPU in its answer"
            continue
        header = runner.run([exe], timeout, env)
        cuda = _SMI_CUDA.search(header.stdout)
        return Driver(version, cuda.group(1) if cuda else None, "nvidia-smi"), gpus, None
    return None, (), why
