"""What the smoke payload reported, as frozen values; rebuilt from its progress markers if it crashed or hung.

The payload prints one JSON object at the end; before that it writes `@@d2l-smoke {...}` lines on stderr as
each step starts and ends. A process killed by a signal or by the timeout leaves only those lines: they still
give the finished tests and the step that was running, which becomes a failed test of kind "crash" or
"timeout".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from d2l_doctor.runner import CmdResult

PROGRESS = "@@d2l-smoke "
MULTI = "multi"  # the pseudo-device that holds the tests across devices (peer-to-peer, all-reduce)

PASSED, FAILED, SKIPPED, INFO = "passed", "failed", "skipped", "info"


@dataclass(frozen=True)
class RunError:
    kind: str  # exception | mismatch | no-learning | leak | cudnn-unavailable | world-size | crash | timeout
    type: str  # the exception class, "Failed" for a wrong result
    message: str
    traceback: str = ""
    stage: Optional[str] = None  # outside the tests: "import torch", "cuda init", "tests"


@dataclass(frozen=True)
class Outcome:
    name: str  # ones_add, matmul_fp32, ..., "p2p cuda:0->cuda:1", allreduce
    status: str  # passed | failed | skipped | info (a figure, never a failure)
    seconds: Optional[float]
    data: dict[str, Any] = field(default_factory=dict)
    error: Optional[RunError] = None

    @property
    def ok(self) -> bool:
        return self.status != FAILED


@dataclass(frozen=True)
class DeviceOutcome:
    device: str  # cuda:0 | cpu | mps | multi
    kind: str
    name: str
    capability: Optional[str] = None
    tests: tuple[Outcome, ...] = ()


@dataclass(frozen=True)
class Aborted:
    """The payload did not finish: killed by a signal, by the timeout, or it never started."""

    how: str  # crash | timeout | not-started | no-output
    step: Optional[str]  # "import torch", "cuda init", or "<test> on <device>"
    signal: Optional[str] = None  # SIGSEGV; a Windows status such as 0xC0000005
    returncode: Optional[int] = None
    seconds: float = 0.0
    reason: Optional[str] = None  # not-started: why the interpreter could not be run


@dataclass(frozen=True)
class SmokeRun:
    python: str
    torch: dict[str, Any]
    devices: tuple[DeviceOutcome, ...]  # the tested devices, then MULTI when tests across devices ran
    unavailable: Optional[dict[str, Any]]  # why no device was tested: {device, reason, count?}
    cuda_state: Optional[dict[str, Any]]  # {available, warnings, error}: torch's own words about CUDA
    error: Optional[RunError]  # outside any test, e.g. `import torch` failed
    aborted: Optional[Aborted]
    stderr: str  # without the progress markers: for -v
    env: dict[str, Optional[str]] = field(default_factory=dict)

    @property
    def tests(self) -> tuple[tuple[DeviceOutcome, Outcome], ...]:
        return tuple((d, t) for d in self.devices for t in d.tests)


def parse(result: CmdResult, python: str) -> SmokeRun:
    """The run as the payload told it: the final JSON when there is one, else the progress markers."""
    events, stderr = _split_stderr(result.stderr)
    report = _last_json(result.stdout)
    if report is not None:
        return _from_report(report, python, stderr)
    return _from_events(events, result, python, stderr)


def _split_stderr(text: str) -> tuple[list[dict[str, Any]], str]:
    events: list[dict[str, Any]] = []
    rest: list[str] = []
    for line in text.splitlines():
        if line.startswith(PROGRESS):
            try:
                event = json.loads(line[len(PROGRESS) :])
            except ValueError:  # a line cut short by the kill
                continue
            if isinstance(event, dict):
                events.append(event)
        else:
            rest.append(line)
    return events, "\n".join(rest)


def _last_json(stdout: str) -> Optional[dict[str, Any]]:
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict) and data.get("payload") == "smoke":
                return data
    return None


def _from_report(report: dict[str, Any], python: str, stderr: str) -> SmokeRun:
    devices = [_device(d) for d in report.get("devices") or []]
    multi = tuple(_test(t) for t in report.get("multi") or [])
    if multi:
        devices.append(DeviceOutcome(MULTI, MULTI, _multi_name(devices), None, multi))
    return SmokeRun(
        python=str(report.get("python") or python),
        torch=dict(report.get("torch") or {}),
        devices=tuple(devices),
        unavailable=report.get("unavailable"),
        cuda_state=report.get("cuda_state"),
        error=_error(report.get("error")),
        aborted=None,
        stderr=stderr,
        env=dict(report.get("env") or {}),
    )


def _from_events(events: list[dict[str, Any]], result: CmdResult, python: str, stderr: str) -> SmokeRun:
    """Rebuild a run from the progress markers of a payload that never printed its JSON."""
    names: dict[str, str] = {}
    tests: dict[str, list[Outcome]] = {}
    torch: dict[str, Any] = {}
    running: Optional[tuple[str, str]] = None
    for event in events:
        device, test = str(event.get("device", "")), str(event.get("test", ""))
        if event.get("event") == "facts" and isinstance(event.get("torch"), dict):
            torch = event["torch"]
        elif event.get("event") == "device":
            names[device] = str(event.get("name", device))
            tests.setdefault(device, [])
        elif event.get("event") == "start":
            running = (device, test)
        elif event.get("event") == "done":
            running = None
            if device and isinstance(event.get("record"), dict):
                tests.setdefault(device, []).append(_test(event["record"]))
    aborted = _aborted(result, running)
    error: Optional[RunError] = None
    if running is not None and aborted.how in ("crash", "timeout"):
        device, test = running
        died = RunError(aborted.how, aborted.signal or aborted.how, _abort_text(aborted), stage=test)
        if device:
            tests.setdefault(device, []).append(Outcome(test, FAILED, aborted.seconds, {}, died))
        else:  # import torch, cuda init: outside any test
            error = died
    devices = [
        DeviceOutcome(d, _kind(d), names.get(d, d), None, tuple(ts)) for d, ts in tests.items() if d != MULTI
    ]
    if tests.get(MULTI):
        devices.append(DeviceOutcome(MULTI, MULTI, _multi_name(devices), None, tuple(tests[MULTI])))
    return SmokeRun(python, torch, tuple(devices), None, None, error, aborted, stderr)


def _aborted(result: CmdResult, running: Optional[tuple[str, str]]) -> Aborted:
    step = None
    if running is not None:
        device, test = running
        step = f"{test} on {device}" if device else test
    if result.returncode is None and not result.timed_out:
        return Aborted("not-started", step, reason=result.error or "not found", seconds=result.seconds)
    if result.timed_out:
        return Aborted("timeout", step, seconds=result.seconds)
    signal = result.signal_name or _windows_status(result.returncode)
    if signal is not None:
        return Aborted("crash", step, signal=signal, returncode=result.returncode, seconds=result.seconds)
    return Aborted("no-output", step, returncode=result.returncode, seconds=result.seconds)


def _windows_status(code: Optional[int]) -> Optional[str]:
    """Windows reports a crash as an NTSTATUS exit code (0xC0000005: access violation), not a signal."""
    if code is not None and code >= 0xC0000000:
        return f"0x{code:08X}"
    return None


def _abort_text(aborted: Aborted) -> str:
    if aborted.how == "timeout":
        return f"killed after {aborted.seconds:.0f} s (timeout)"
    return f"the interpreter died ({aborted.signal})"


def _device(d: dict[str, Any]) -> DeviceOutcome:
    return DeviceOutcome(
        device=str(d.get("device", "?")),
        kind=str(d.get("kind", "?")),
        name=str(d.get("name") or d.get("device", "?")),
        capability=d.get("capability"),
        tests=tuple(_test(t) for t in d.get("tests") or []),
    )


def _test(t: dict[str, Any]) -> Outcome:
    seconds = t.get("seconds")
    return Outcome(
        name=str(t.get("name", "?")),
        status=str(t.get("status", FAILED)),
        seconds=float(seconds) if isinstance(seconds, (int, float)) else None,
        data=dict(t.get("data") or {}),
        error=_error(t.get("error")),
    )


def _error(e: Any) -> Optional[RunError]:
    if not isinstance(e, dict):
        return None
    return RunError(
        kind=str(e.get("kind", "exception")),
        type=str(e.get("type", "")),
        message=str(e.get("message", "")),
        traceback=str(e.get("traceback", "")),
        stage=e.get("stage"),
    )


def _kind(device: str) -> str:
    return device.split(":", 1)[0]


def _multi_name(devices: list[DeviceOutcome]) -> str:
    return ", ".join(d.device for d in devices)
