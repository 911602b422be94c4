"""`d2l-doctor smoke-gpu`: run the payload in the target interpreter, judge what it reports, print it.

The payload runs in a subprocess under the timeout, so a crash, a hang or a CUDA error never takes the doctor
down. The probes of `check` run only when they can explain something (nothing could be tested, or a failure
names a finding), since they take a while.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Optional, TextIO

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.options import CommonOptions

if TYPE_CHECKING:
    from d2l_doctor.matrix import GpuPeak, Matrix
    from d2l_doctor.smoke.nodes import Launch
    from d2l_doctor.smoke.report import SmokeReport

SIZE_RANGE = (16, 8192)  # above 8192 the float64 CPU reference alone takes minutes
MAX_WORLD_SIZE = 64
_DEVICE = re.compile(r"^(all|cpu|mps|cuda|cuda:\d+)$")


@dataclass(frozen=True)
class SmokeRequest:
    device: str  # all | cpu | mps | cuda:N
    size: Optional[int]  # None: the payload's default for each kind of device
    world_size: Optional[int]  # None: one process per GPU with --device all, none on the CPU


def parse_request(device: str, size: Optional[int], world_size: Optional[int], lang: str) -> SmokeRequest:
    """Validate the options: bad ones are a UsageError (one line, exit 2)."""
    spec = device.strip().lower()
    if not _DEVICE.match(spec):
        raise UsageError(t("smoke.usage.device", lang, value=device))
    if spec == "cuda":
        spec = "cuda:0"
    low, high = SIZE_RANGE
    if size is not None and not low <= size <= high:
        raise UsageError(t("smoke.usage.size", lang, value=size, low=low, high=high))
    if world_size is not None:
        if not 1 <= world_size <= MAX_WORLD_SIZE:
            raise UsageError(t("smoke.usage.world_size", lang, value=world_size, high=MAX_WORLD_SIZE))
        if world_size > 1 and spec not in ("all", "cpu"):
            raise UsageError(t("smoke.usage.world_size_device", lang, device=spec))
    return SmokeRequest(spec, size, world_size)


def run_smoke(
    opts: CommonOptions,
    device: str = "all",
    size: Optional[int] = None,
    world_size: Optional[int] = None,
    stream: Optional[TextIO] = None,
) -> int:
    """The command: 0 when every test passed, 1 when one failed or no device could be tested."""
    request = parse_request(device, size, world_size, opts.lang)
    out = stream if stream is not None else sys.stdout
    from d2l_doctor.smoke.nodes import launch_from_env

    launch = launch_from_env(os.environ)
    if launch is not None:  # one rank of torchrun / srun: the all-reduce across the nodes
        return run_launched(opts, launch, out)
    try:
        report = build_report(opts, request)
    except UsageError:
        raise
    except Exception as exc:  # a bug of ours: one line, the trace with -v
        err = sys.stderr if stream is None else stream
        from d2l_doctor.textsafe import visible

        err.write(visible(t("smoke.internal_error", opts.lang, error=f"{type(exc).__name__}: {exc}")) + "\n")
        if opts.verbose:
            err.write(traceback.format_exc())
        return 1
    emit(report, opts, out)
    return report.exit_code


def run_launched(opts: CommonOptions, launch: Launch, out: TextIO) -> int:
    """This rank's part: rank 0 prints the table of every rank, the others one line; 1 when it failed."""
    from d2l_doctor.probes.resolve import resolve_target
    from d2l_doctor.smoke.nodes import rendezvous_timeout, run_nodes
    from d2l_doctor.smoke.nodes_render import lines

    python, _ = resolve_target(opts.python, lang=opts.lang)
    doc = run_nodes(python, launch, opts.timeout, opts.lang)
    if opts.json:
        from d2l_doctor.envelope import envelope, write_json

        body = {"launcher": launch.launcher, **{k: v for k, v in doc.items() if k != "payload"}}
        write_json(envelope(body, 0 if doc.get("ok") else 1), out)
    else:
        out.write("\n".join(lines(doc, launch, opts.lang, rendezvous_timeout(opts.timeout))) + "\n")
        out.flush()
    return 0 if doc.get("ok") else 1


def build_report(opts: CommonOptions, request: SmokeRequest) -> SmokeReport:
    from d2l_doctor import runner
    from d2l_doctor.matrix import load_matrix
    from d2l_doctor.probes.resolve import resolve_target
    from d2l_doctor.smoke.outcome import parse
    from d2l_doctor.smoke.progress import SmokeProgress
    from d2l_doctor.smoke.report import judge

    # The matrix first: a broken --matrix is bad input and should not wait for the tests.
    matrix = load_matrix(opts.matrix)
    python, chosen_by = resolve_target(opts.python, lang=opts.lang)
    progress = SmokeProgress.for_terminal(sys.stderr, opts.lang)  # which test is running, for a person waiting
    try:
        result = runner.run(
            payload_argv(python, request, opts.timeout),
            timeout=opts.timeout,
            env=payload_env(),
            on_stderr_line=progress.line if progress is not None else None,
        )
    finally:
        if progress is not None:
            progress.close()
    report = judge(parse(result, python), python, chosen_by, request.device)
    report = _with_findings(report, opts)
    return replace(report, peaks=_peaks(report, matrix))


def payload_argv(python: str, request: SmokeRequest, timeout: float) -> list[str]:
    # The all-reduce gets its own deadline inside the payload, so a stuck NCCL leaves time to report.
    collective = max(10.0, min(120.0, timeout / 3))
    return [
        python,
        str(payload_path()),
        "--device",
        request.device,
        "--size",
        str(request.size or 0),
        "--world-size",
        str(request.world_size or 0),
        "--collective-timeout",
        f"{collective:.0f}",
    ]


def payload_path() -> Path:
    return Path(__file__).resolve().parent.parent / "payload" / "smoke.py"


def payload_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONFAULTHANDLER"] = "1"  # a segfault leaves the Python stack on stderr, shown with -v
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _with_findings(report: SmokeReport, opts: CommonOptions) -> SmokeReport:
    """Ask `check` why, when there is something it can explain; its failure is said, never fatal."""
    from d2l_doctor.smoke.report import with_findings

    if report.no_device is None and not report.wanted_findings:
        return report
    from d2l_doctor.diagnose import diagnose

    try:
        diagnosis = diagnose(opts)
    except UsageError:
        raise
    except Exception as exc:  # the probes broke: the smoke results still stand
        detail = f"{type(exc).__name__}: {exc}"
        if opts.verbose:
            detail += "\n" + traceback.format_exc()
        return replace(report, diagnose_error=detail)
    return with_findings(report, diagnosis.findings, diagnosis.snapshot)


def _peaks(report: SmokeReport, matrix: Matrix) -> dict[str, GpuPeak]:
    peaks: dict[str, GpuPeak] = {}
    for device in report.tested:
        if device.kind == "cuda":
            peak = matrix.gpu_peak(device.name)
            if peak is not None:
                peaks[device.device] = peak
    return peaks


def emit(report: SmokeReport, opts: CommonOptions, out: TextIO) -> None:
    if opts.json:
        from d2l_doctor.smoke import render_json

        render_json.write(report, opts, out)
    else:
        from d2l_doctor.smoke import render_console

        render_console.write(report, opts, out)
