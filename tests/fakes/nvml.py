"""A fake `pynvml` module: the functions d2l_doctor.probes.nvml calls, over scenarios of machines.

Use: `monkeypatch.setitem(sys.modules, "pynvml", healthy_two_gpus())`, or pass it as `nvml=` to the probe.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Optional


class NVMLError(Exception):
    """Like pynvml.NVMLError: str() is NVML's own text ("NVML Shared Library Not Found")."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


class FakeModule(types.ModuleType):
    """Records each name asked for that the fake lacks (e.g. nvmlDeviceGetUUID): tests assert none."""

    def __init__(self) -> None:
        super().__init__("pynvml")
        self.calls: list[str] = []
        self.unknown: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("__"):
            self.unknown.append(name)
        raise AttributeError(name)


@dataclass(frozen=True)
class FakeGpu:
    name: str
    capability: tuple[int, int]
    memory_mib: int
    bus_id: str  # as NVML writes it: "00000000:01:00.0"
    lost: bool = False  # every query of this GPU raises "GPU is lost"


def fake_pynvml(
    gpus: tuple[FakeGpu, ...] = (),
    driver: str = "550.54.14",
    cuda: int = 12040,
    init_error: Optional[str] = None,
    as_bytes: bool = False,
    missing: tuple[str, ...] = (),
) -> FakeModule:
    """A module object with the NVML calls; `missing` functions raise "Function Not Found" (older drivers)."""
    module = FakeModule()
    module.NVMLError = NVMLError  # type: ignore[attr-defined]
    calls = module.calls

    def text(value: str) -> Any:
        return value.encode() if as_bytes else value

    def call(name: str, fn: Any) -> Any:
        def wrapper(*args: Any) -> Any:
            calls.append(name)
            if name in missing:
                raise NVMLError("Function Not Found")
            return fn(*args)

        setattr(module, name, wrapper)

    def gpu(handle: int) -> FakeGpu:
        if gpus[handle].lost:
            raise NVMLError("GPU is lost")
        return gpus[handle]

    def init() -> None:
        if init_error:
            raise NVMLError(init_error)

    call("nvmlInit", init)
    call("nvmlShutdown", lambda: None)
    call("nvmlSystemGetDriverVersion", lambda: text(driver))
    call("nvmlSystemGetCudaDriverVersion", lambda: cuda)
    call("nvmlDeviceGetCount", lambda: len(gpus))
    call("nvmlDeviceGetHandleByIndex", lambda i: i)
    call("nvmlDeviceGetName", lambda h: text(gpu(h).name))
    call("nvmlDeviceGetCudaComputeCapability", lambda h: gpu(h).capability)
    call("nvmlDeviceGetMemoryInfo", lambda h: types.SimpleNamespace(total=gpu(h).memory_mib * 1024 * 1024))
    call("nvmlDeviceGetPciInfo", lambda h: types.SimpleNamespace(busId=text(gpu(h).bus_id)))
    return module


# ---- scenarios ---------------------------------------------------------------------------------------------

RTX_4090 = FakeGpu("NVIDIA GeForce RTX 4090", (8, 9), 24564, "00000000:01:00.0")
RTX_3060 = FakeGpu("NVIDIA GeForce RTX 3060", (8, 6), 12288, "00000000:02:00.0")


def healthy_two_gpus() -> FakeModule:
    return fake_pynvml((RTX_4090, RTX_3060))


def driver_450() -> FakeModule:
    """The driver 450 era: CUDA 11.0, strings as bytes, no nvmlDeviceGetPciInfo_v3 behind pynvml's PciInfo."""
    v100 = FakeGpu("Tesla V100-SXM2-16GB", (7, 0), 16160, "00000000:00:1E.0")
    return fake_pynvml(
        (v100,), driver="450.80.02", cuda=11000, as_bytes=True, missing=("nvmlDeviceGetPciInfo",)
    )


def library_missing() -> FakeModule:
    return fake_pynvml(init_error="NVML Shared Library Not Found")


def one_gpu_lost() -> FakeModule:
    return fake_pynvml(
        (RTX_4090, FakeGpu("NVIDIA GeForce RTX 3060", (8, 6), 12288, "00000000:02:00.0", lost=True))
    )
