"""`smoke-gpu --json`: one UTF-8 JSON document.

    {schema_version, tool_version, ok, python, torch, devices: [{device, name, kind, capability, nominal,
     tests: [{name, ok, status, seconds, detail, value?, unit?, nominal?, fraction?, data, error, cause}]}],
     no_device, failures, findings, exit_code}

`detail` is the figure in words, or for a failed test the cause in words; `data` holds the payload's raw
measurements. The tests across devices (peer-to-peer, all-reduce) sit under the device "multi". Traces appear
only with -v.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Optional, TextIO

from d2l_doctor.envelope import envelope, write_json
from d2l_doctor.options import CommonOptions
from d2l_doctor.smoke.classify import Cause
from d2l_doctor.smoke.figures import cause_text, figure, test_name
from d2l_doctor.smoke.outcome import DeviceOutcome, Outcome, RunError
from d2l_doctor.smoke.report import SmokeReport, no_device_params


def document(report: SmokeReport, opts: CommonOptions) -> dict[str, Any]:
    lang, verbose = opts.lang, opts.verbose
    causes = {(f.device, f.test): f.cause for f in report.failures}
    body = {
        "ok": report.ok,
        "python": report.python,
        "chosen_by": report.chosen_by,
        "torch": report.run.torch,
        "devices": [_device(report, d, causes, lang, verbose) for d in report.run.devices],
        "no_device": _no_device(report, lang),
        "failures": [
            {"device": f.device, "test": f.test, "error": f.error, "cause": _cause(f.cause, lang)}
            for f in report.failures
        ],
        "findings": _findings(report, lang),
        "diagnose_error": report.diagnose_error,
    }
    return envelope(body, report.exit_code)


def _device(
    report: SmokeReport, d: DeviceOutcome, causes: dict[tuple[str, str], Cause], lang: str, verbose: bool
) -> dict[str, Any]:
    peak = report.peaks.get(d.device)
    return {
        "device": d.device,
        "name": d.name,
        "kind": d.kind,
        "capability": d.capability,
        "nominal": asdict(peak) if peak is not None else None,
        "tests": [_test(test, peak, causes.get((d.device, test.name)), lang, verbose) for test in d.tests],
    }


def _test(test: Outcome, peak: Any, cause: Optional[Cause], lang: str, verbose: bool) -> dict[str, Any]:
    fig = figure(test, peak, lang)
    out: dict[str, Any] = {
        "name": test.name,
        "title": test_name(test.name, lang),
        "ok": test.ok,
        "status": test.status,
        "seconds": test.seconds,
        "detail": cause_text(cause, lang) if cause is not None else fig.text,
    }
    if fig.value is not None:
        out.update(value=fig.value, unit=fig.unit, nominal=fig.nominal, fraction=fig.fraction)
    out["data"] = test.data
    out["error"] = _error(test.error, verbose)
    out["cause"] = _cause(cause, lang) if cause is not None else None
    return out


def _error(error: Optional[RunError], verbose: bool) -> Optional[dict[str, Any]]:
    if error is None:
        return None
    out = {"kind": error.kind, "type": error.type, "message": error.message}
    if verbose:
        out["traceback"] = error.traceback
    return out


def _cause(cause: Cause, lang: str) -> dict[str, Any]:
    return {"kind": cause.kind, "finding": cause.finding, "message": cause_text(cause, lang)}


def _no_device(report: SmokeReport, lang: str) -> Optional[dict[str, Any]]:
    if report.no_device is None:
        return None
    cause = report.no_device
    message = cause_text(Cause(cause.kind, cause.finding, no_device_params(report)), lang)
    return {"device": report.device_arg, "kind": cause.kind, "finding": cause.finding, "message": message}


def _findings(report: SmokeReport, lang: str) -> list[dict[str, Any]]:
    if not report.findings or report.snapshot is None:
        return []
    from d2l_doctor.probes.shell import detect_shell
    from d2l_doctor.render.json_out import finding_dict

    shell = detect_shell()
    return [finding_dict(f, report.snapshot, lang, shell) for f in report.findings]


def write(report: SmokeReport, opts: CommonOptions, stream: TextIO) -> None:
    write_json(document(report, opts), stream)
