"""A smoke run judged: each failure with its cause, why nothing could be tested, and the `check` findings that
explain it. Both renderers read this one value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Optional

from d2l_doctor.models import Area, Finding, Severity, Snapshot
from d2l_doctor.smoke.classify import (
    Cause,
    classify_abort,
    classify_test,
    classify_text,
    classify_unavailable,
    first_line,
    known_params,
)
from d2l_doctor.smoke.outcome import MULTI, DeviceOutcome, Outcome, SmokeRun

if TYPE_CHECKING:
    from d2l_doctor.matrix import GpuPeak

# What `check` says about why a GPU cannot be used, shown when nothing could be tested: these findings, and
# any error or warning about the GPU and CUDA (torch's own problems come through the ids).
_DEVICE_AREAS = (Area.GPU, Area.CUDA)
_DEVICE_FINDINGS = frozenset(
    {
        "nvidia-driver-missing",
        "no-nvidia-gpu",
        "torch-cpu-only",
        "driver-too-old",
        "gpu-arch-unsupported",
        "torch-missing",
    }
)
_SERIOUS = (Severity.ERROR, Severity.CRASH, Severity.WARNING)
# Why no GPU can be used, the most basic reason first: the machine, its driver, then the torch build.
_ROOT_CAUSES = (
    "no-nvidia-gpu",
    "nvidia-driver-missing",
    "driver-too-old",
    "gpu-arch-unsupported",
    "torch-cpu-only",
)


@dataclass(frozen=True)
class Failure:
    device: str
    test: str  # the test's name; "-" for a failure outside any test
    cause: Cause
    error: str  # torch's words, first line
    trace: str = ""  # for -v


@dataclass(frozen=True)
class SmokeReport:
    python: str
    chosen_by: str
    device_arg: str
    run: SmokeRun
    failures: tuple[Failure, ...]
    no_device: Optional[Cause]  # why nothing could be tested; None when something was
    findings: tuple[Finding, ...] = ()  # from `check`, the ones that explain the failures
    snapshot: Optional[Snapshot] = None
    peaks: dict[str, GpuPeak] = field(default_factory=dict)  # device -> the card's nominal figures
    diagnose_error: Optional[str] = None  # the probes of `check` failed: said, not fatal

    @property
    def tested(self) -> tuple[DeviceOutcome, ...]:
        return tuple(d for d in self.run.devices if d.device != MULTI and d.tests)

    @property
    def ok(self) -> bool:
        return self.no_device is None and not self.failures and bool(self.tested)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def wanted_findings(self) -> frozenset[str]:
        causes = [f.cause for f in self.failures] + ([self.no_device] if self.no_device else [])
        return frozenset(c.finding for c in causes if c.finding)


def judge(run: SmokeRun, python: str, chosen_by: str, device_arg: str) -> SmokeReport:
    """Classify every failure of run; the command adds findings and peaks (from the probes, the matrix)."""
    failures: list[Failure] = []
    for device, test in run.tests:
        cause = classify_test(test, device.device)
        if cause is not None:
            failures.append(_failure(run, device, test, cause))
    tested = [d for d in run.devices if d.device != MULTI and d.tests]
    no_device = None if tested else classify_unavailable(run)
    if tested and run.error is not None:  # a failure between tests (while setting up the multi-GPU tests)
        # No test was running: the words name the devices only.
        found = classify_text(run.error.message)
        if found is None:
            cause = Cause("unknown", None, {"device": MULTI, "error": first_line(run.error.message)})
        else:
            cause = Cause(found.kind, found.finding, {**found.params, "device": MULTI})
        failures.append(Failure(MULTI, "-", cause, first_line(run.error.message), run.error.traceback))
    if (
        tested
        and run.aborted is not None
        and not any(t.error and t.error.kind in ("crash", "timeout") for _, t in run.tests)
    ):
        failures.append(Failure("-", "-", classify_abort(run.aborted, run.stderr), ""))
    return SmokeReport(python, chosen_by, device_arg, run, tuple(failures), no_device)


def _failure(run: SmokeRun, device: DeviceOutcome, test: Outcome, cause: Cause) -> Failure:
    params = {**_torch_params(run), **cause.params}
    override = run.env.get("NVIDIA_TF32_OVERRIDE")
    kind = cause.kind
    if kind == "wrong-numbers" and override and override != "0" and test.name == "matmul_fp32":
        kind, params["value"] = "tf32-override", override
    err = test.error
    if err is not None and err.kind in ("crash", "timeout"):  # no words of torch's: the cause says it all
        err = replace(err, message="")
    return Failure(
        device.device,
        test.name,
        Cause(kind, cause.finding, params),
        first_line(err.message) if err else "",
        err.traceback if err else "",
    )


def no_device_params(report: SmokeReport) -> dict[str, str]:
    """The no-device cause's params, with the torch facts its message may name."""
    assert report.no_device is not None
    return {**_torch_params(report.run), "device": report.device_arg, **report.no_device.params}


def _torch_params(run: SmokeRun) -> dict[str, str]:
    """The facts of the torch build that a cause's message may name, where the payload knows them."""
    torch = run.torch
    return known_params(
        arch_list=" ".join(torch.get("arch_list") or []),
        torch_cuda=torch.get("cuda"),
        version=torch.get("version"),
    )


def with_findings(report: SmokeReport, findings: tuple[Finding, ...], snapshot: Snapshot) -> SmokeReport:
    """The report with the findings of `check` that explain it. With nothing tested, a finding about the
    machine outranks the payload's own reason: "no NVIDIA GPU" says more than "this torch is CPU-only"."""
    related = related_findings(report, findings)
    no_device = report.no_device
    if no_device is not None and (no_device.kind in _ROOT_CAUSES or no_device.kind == "no-cuda-device"):
        ids = {f.id for f in related}
        for finding_id in _ROOT_CAUSES:
            if finding_id == no_device.finding:
                break
            if finding_id in ids:
                no_device = Cause(finding_id, finding_id, {})
                break
    return replace(report, findings=related, snapshot=snapshot, no_device=no_device)


def related_findings(report: SmokeReport, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings of `check` that explain this report: the ones its causes name; with no device tested, also
    those that say why a GPU cannot be used, and every error or warning about the GPU and CUDA."""
    wanted = report.wanted_findings
    chosen = [f for f in findings if f.id in wanted]
    if report.no_device is not None:
        chosen += [
            f
            for f in findings
            if f.id not in wanted
            and (f.id in _DEVICE_FINDINGS or (f.area in _DEVICE_AREAS and f.severity in _SERIOUS))
        ]
    return tuple(chosen)
