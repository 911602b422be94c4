"""Warnings torch printed into a report are evidence.

collect_env imports torch, and its stderr lands in the paste:

- "CUDA initialization: The NVIDIA driver on your system is too old (found version 11040)"
  (c10/cuda/CUDAFunctions.cpp; older torch raised it as RuntimeError/AssertionError): the number is
  cuDriverGetVersion(), 1000 * major + 10 * minor, so this driver runs CUDA up to 11.4.
- "CUDA initialization: Found no NVIDIA driver on your system", "CUDA unknown error ...": CUDA unusable.
- "<GPU> with CUDA capability sm_120 is not compatible with the current PyTorch installation. The current
  PyTorch install supports CUDA capabilities sm_50 sm_60 ..." (torch/cuda/__init__.py): the GPU's
  capability and the wheel's arch list.
- "Found GPU0 GeForce GT 750M which is of cuda capability 3.0. PyTorch no longer supports this GPU because
  it is too old." (older torch): the GPU's capability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from d2l_doctor.driver_api import cuda_from_driver_api
from d2l_doctor.models import Evidence, Source

_TOO_OLD = re.compile(r"driver on your system is too old\s*\(found version (\d{4,6})\)", re.IGNORECASE)
_CUDA_INIT = re.compile(
    r"CUDA initialization:\s*(.+?)(?:\s*\(Triggered internally at[^)]*\)?|$)", re.MULTILINE
)
_NO_DRIVER = re.compile(r"Found no NVIDIA driver on your system[^\n]*", re.IGNORECASE)
_TOO_OLD_LINE = re.compile(r"The NVIDIA driver on your system is too old \(found version \d+\)\.?")
_CAPABILITY = re.compile(
    r"(?P<gpu>[^\n]*?)\s+with CUDA capability sm_(?P<cc>\d+) is not compatible"
    r" with the current PyTorch installation\."
    r"\s*The current PyTorch install supports CUDA capabilities (?P<archs>(?:sm_\d+[a-z]?\s*)+)",
    re.IGNORECASE,
)
_TOO_OLD_GPU = re.compile(
    r"Found GPU\d+ (?P<gpu>.+?) which is of cuda capability (?P<cc>\d+\.\d+)\.?(?P<rest>[^\n]*)",
    re.IGNORECASE,
)
_WARNING_PREFIX = re.compile(r"^.*?Warning:\s*")


@dataclass(frozen=True)
class TorchWarnings:
    init_warning: Optional[str] = None  # the CUDA-related warnings, one per line
    driver_cuda: Optional[str] = None  # "11.4", from "found version 11040"
    arch_list: tuple[str, ...] = ()  # "sm_50", ... from the capability warning
    device_capabilities: tuple[str, ...] = ()  # "12.0", ... from the same warning
    evidence: Optional[Evidence] = None  # the line of the first of them


def line_at(text: str, position: int) -> Evidence:
    """The line of `text` that holds `position`, as evidence (1-based line number)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end >= 0 else len(text)].strip()
    return Evidence(Source.WARNING, line, text.count("\n", 0, position) + 1)


def capability_from_sm(sm: str) -> str:
    """ "120" -> "12.0", "86" -> "8.6" (the last digit is the minor version)."""
    return f"{sm[:-1]}.{sm[-1]}"


def find(text: str) -> TorchWarnings:
    messages: list[str] = []
    first: list[int] = []  # where the first warning starts

    def at(position: int) -> None:
        first[:] = [min(first + [position])]

    def add(message: str) -> None:
        message = " ".join(message.split())
        if message and message not in messages:
            messages.append(message)

    for match in _CUDA_INIT.finditer(text):
        add(match.group(1))
        at(match.start())
    for match in _NO_DRIVER.finditer(text):
        at(match.start())
        if not any("Found no NVIDIA driver" in m for m in messages):
            add(match.group(0))
    too_old = _TOO_OLD.search(text)
    if too_old:
        at(too_old.start())
    if too_old and not any("too old" in m for m in messages):
        line = _TOO_OLD_LINE.search(" ".join(text.split()))
        add(line.group(0) if line else too_old.group(0))
    archs: list[str] = []
    capabilities: list[str] = []
    for match in _CAPABILITY.finditer(text):
        at(match.start("cc"))
        gpu = _WARNING_PREFIX.sub("", match.group("gpu").strip())
        add(
            f"{gpu} with CUDA capability sm_{match.group('cc')} is not compatible with the "
            f"current PyTorch installation (it supports {' '.join(match.group('archs').split())})"
        )
        archs = archs or match.group("archs").split()
        cc = capability_from_sm(match.group("cc"))
        if cc not in capabilities:
            capabilities.append(cc)
    for match in _TOO_OLD_GPU.finditer(text):
        at(match.start())
        add(match.group(0))
        if match.group("cc") not in capabilities:
            capabilities.append(match.group("cc"))
    return TorchWarnings(
        init_warning="\n".join(messages) or None,
        driver_cuda=cuda_from_driver_api(int(too_old.group(1))) if too_old else None,
        arch_list=tuple(archs),
        device_capabilities=tuple(capabilities),
        evidence=line_at(text, first[0]) if first else None,
    )
