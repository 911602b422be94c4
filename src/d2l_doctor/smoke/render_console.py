"""smoke-gpu on the console: a table per device (test, result, time, figure), then each failure with its cause
and fix, then a one-line count.

Colour follows rich (NO_COLOR, a terminal or not); a stream that cannot encode ✓ gets ASCII marks and table
borders, and every string passes through `safe`, so printing never raises UnicodeEncodeError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from d2l_doctor.i18n import t
from d2l_doctor.models import Severity
from d2l_doctor.options import CommonOptions
from d2l_doctor.render.marks import UNICODE_MARKS, Marks, marks_for
from d2l_doctor.render.wording import say
from d2l_doctor.smoke.classify import Cause
from d2l_doctor.smoke.figures import cause_text, figure, seconds_text, test_name
from d2l_doctor.smoke.outcome import FAILED, INFO, MULTI, PASSED, SKIPPED, DeviceOutcome
from d2l_doctor.smoke.report import Failure, SmokeReport, no_device_params
from d2l_doctor.terminal import can_encode, isatty, lang_for, safe, stream_encoding
from d2l_doctor.version import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from d2l_doctor.models import Finding
    from d2l_doctor.render.view import FindingView

_STYLE = {PASSED: "green", FAILED: "red bold", SKIPPED: "yellow", INFO: "cyan"}
_TORCH_FACTS = (
    "version",
    "cuda",
    "hip",
    "cudnn",
    "arch_list",
    "device_count",
    "mps_available",
    "num_threads",
)
_INDENT = "  "
_BODY = "      "
_PIPE_WIDTH = 120


class _Out:
    """A rich console that only ever receives text the stream can encode."""

    def __init__(self, file: TextIO) -> None:
        from d2l_doctor.terminal import console

        self.encoding = stream_encoding(file)
        # Not a terminal (a pipe, a file): wide enough that the tables need not fold the figures.
        width = None if isatty(file) else _PIPE_WIDTH
        self.console: Console = console(file, width=width, soft_wrap=False)

    def line(self, *parts: tuple[str, str]) -> None:
        from rich.text import Text

        text = Text()
        for chunk, style in parts:
            text.append(safe(chunk, self.encoding), style=style or None)
        self.console.print(text, soft_wrap=True)  # never wrapped by us: a wrapped command would not paste

    def labelled(self, indent: str, label: str, value: str, style: str = "") -> None:
        first, *rest = value.splitlines() or [""]
        self.line((indent + label, "dim"), (first, style))
        for more in rest:
            self.line((indent + "  " + more, style))

    def block(self, indent: str, text: str, style: str = "dim") -> None:
        for more in text.rstrip().splitlines():
            self.line((indent + more, style))



def write(report: SmokeReport, opts: CommonOptions, file: TextIO) -> None:
    out = _Out(file)
    lang = lang_for(opts.lang, out.encoding)
    marks = marks_for(out.encoding)
    out.line((_header(report, lang), "bold"))
    if opts.verbose:
        _facts(out, report)
    for device in report.run.devices:
        out.line()
        _table(out, report, device, lang, marks)
    if report.no_device is not None:
        _no_device(out, report, lang, marks, opts.verbose)
    if report.failures:
        out.line()
        out.line((t("smoke.label.failures", lang), "bold"))
        for failure in report.failures:
            _failure(out, report, failure, lang, marks, opts.verbose)
    if opts.verbose and report.run.aborted is not None and report.run.stderr.strip():
        out.line()
        out.line((t("smoke.label.stderr", lang), "dim"))
        out.block(_INDENT, "\n".join(report.run.stderr.strip().splitlines()[-30:]), "")
    if report.diagnose_error:
        out.line((t("smoke.diagnose_failed", lang, error=report.diagnose_error), "dim"))
    out.line()
    if report.tested:
        out.line((_summary(report, lang), ""))
    if report.ok:
        out.line((t("smoke.verdict.ok", lang), "green bold"))
    else:
        verdict = "smoke.verdict.nodevice" if report.no_device is not None else "smoke.verdict.failed"
        out.line((t(verdict, lang), "red bold"))
    if not opts.verbose and _has_traces(report):
        out.line((t("smoke.hint.verbose", lang), "dim"))


def _header(report: SmokeReport, lang: str) -> str:
    from d2l_doctor.render.facts import chosen_by_text

    params = {
        "version": __version__,
        "python": report.python,
        "chosen": chosen_by_text(report.chosen_by, lang),
    }
    return say("smoke.header", lang, torch=report.run.torch.get("version"), **params)


def _facts(out: _Out, report: SmokeReport) -> None:
    torch = report.run.torch
    for key in _TORCH_FACTS:
        if torch.get(key) is not None:  # hip: None on a CUDA build says nothing
            out.line((f"{_INDENT}torch.{key}: ", "dim"), (str(torch[key]), ""))
    for key, value in sorted(report.run.env.items()):
        if value is not None:
            out.line((f"{_INDENT}{key}=", "dim"), (value, ""))


def _table(out: _Out, report: SmokeReport, device: DeviceOutcome, lang: str, marks: Marks) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if device.device == MULTI:
        title = say("smoke.device.multi", lang, devices=device.name)
    else:
        title = say("smoke.device", lang, device=device.device, name=device.name, cc=device.capability)
    out.line((title, "bold"))
    table = Table(box=box.SIMPLE_HEAD if can_encode("─", out.encoding) else box.ASCII, show_edge=False)
    for key in ("smoke.col.test", "smoke.col.result", "smoke.col.time", "smoke.col.figure"):
        table.add_column(safe(t(key, lang), out.encoding), overflow="fold")  # fold: no "…" on ASCII streams
    peak = report.peaks.get(device.device)
    for test in device.tests:
        result = f"{_mark(test.status, marks)} {t('smoke.status.' + test.status, lang)}"
        cells = (
            test_name(test.name, lang),
            result,
            seconds_text(test.seconds, lang),
            figure(test, peak, lang).text,
        )
        styles = ("", _STYLE.get(test.status, ""), "", "")
        table.add_row(*(Text(safe(c, out.encoding), style=s) for c, s in zip(cells, styles)))
    out.console.print(table)


def _mark(status: str, marks: Marks) -> str:
    if marks is UNICODE_MARKS:
        return {PASSED: "✓", FAILED: "✗", SKIPPED: "-"}.get(status, "•")
    return {PASSED: "OK", FAILED: "X", SKIPPED: "-"}.get(status, "i")


def _failure(
    out: _Out, report: SmokeReport, failure: Failure, lang: str, marks: Marks, verbose: bool
) -> None:
    if failure.test == "-":
        where = failure.device
    else:
        where = t("smoke.failure", lang, test=test_name(failure.test, lang), device=failure.device)
    out.line((f"{_INDENT}{marks.item_error} ", "red"), (where, "bold"))
    if failure.error:
        out.labelled(_BODY, t("smoke.label.error", lang), failure.error)
    out.labelled(_BODY, t("smoke.label.cause", lang), cause_text(failure.cause, lang))
    if failure.cause.finding:
        _fix(out, report, failure.cause.finding, lang)
    if verbose and failure.trace:
        out.line((_BODY + t("smoke.label.trace", lang), "dim"))
        out.block(_BODY + "  ", failure.trace)


def _fix(out: _Out, report: SmokeReport, finding_id: str, lang: str) -> None:
    """The fix of the `check` finding named by a cause: its commands when `check` found it, else a pointer."""
    found = [f for f in report.findings if f.id == finding_id]
    if not found or report.snapshot is None:
        out.line((_BODY + t("smoke.label.see_check", lang, finding=finding_id), ""))
        return
    view = _view(report, found[0], lang)
    out.line((_BODY + t("smoke.label.fix", lang, finding=finding_id), "dim"), (view.title, "bold"))
    _commands(out, view, _BODY + "    ")


def _no_device(out: _Out, report: SmokeReport, lang: str, marks: Marks, verbose: bool) -> None:
    assert report.no_device is not None
    out.line()
    out.line(
        (f"{marks.item_error} ", "red"), (t("smoke.nodevice", lang, device=report.device_arg), "red bold")
    )
    cause = report.no_device
    message = cause_text(Cause(cause.kind, cause.finding, no_device_params(report)), lang)
    out.labelled(_INDENT, t("smoke.label.cause", lang), message)
    error = report.run.error
    if verbose and error is not None and error.traceback:
        out.line((_INDENT + t("smoke.label.trace", lang), "dim"))
        out.block(_INDENT + "  ", error.traceback)
    if report.findings and report.snapshot is not None:
        out.line((t("smoke.related", lang), "bold"))
        for finding in report.findings:
            view = _view(report, finding, lang)
            mark, style = _severity_mark(finding.severity, marks)
            out.line((f"{_INDENT}{mark} ", style), (view.title, "bold"), (f" ({finding.id})", "dim"))
            if view.detail:
                out.labelled(_BODY, t("smoke.label.cause", lang), view.detail)
            if view.fixes:
                out.line((_BODY + t("smoke.label.fix_plain", lang), "dim"))
                _commands(out, view, _BODY + "    ")
    if report.device_arg != "cpu" and report.run.torch.get("version"):
        out.line((t("smoke.hint.cpu", lang), "dim"))
    if report.device_arg == "all" and report.run.torch.get("mps_available"):
        out.line((t("smoke.hint.mps", lang), "dim"))


def _view(report: SmokeReport, finding: Finding, lang: str) -> FindingView:
    from d2l_doctor.probes.shell import detect_shell
    from d2l_doctor.render.view import finding_view

    assert report.snapshot is not None
    return finding_view(finding, report.snapshot, lang, detect_shell())


def _commands(out: _Out, view: FindingView, indent: str) -> None:
    for fix in view.fixes:
        if fix.command is not None:
            out.line((indent + fix.command, "cyan"))
        else:
            out.line((indent + " ".join(x for x in (fix.text, fix.url) if x), ""))


def _severity_mark(severity: Severity, marks: Marks) -> tuple[str, str]:
    if severity in (Severity.ERROR, Severity.CRASH):
        return marks.item_error, "red"
    if severity is Severity.WARNING:
        return marks.item_warning, "yellow"
    return marks.item_info, "blue"


def _has_traces(report: SmokeReport) -> bool:
    error = report.run.error
    aborted = report.run.aborted is not None and bool(report.run.stderr.strip())
    return any(f.trace for f in report.failures) or bool(error and error.traceback) or aborted


def _summary(report: SmokeReport, lang: str) -> str:
    counts = {PASSED: 0, FAILED: 0, SKIPPED: 0, INFO: 0}
    for _, test in report.run.tests:
        counts[test.status] = counts.get(test.status, 0) + 1
    devices = t("ui.list_sep", lang).join(d.device for d in report.tested)
    return t(
        "smoke.summary",
        lang,
        passed=counts[PASSED],
        failed=counts[FAILED],
        skipped=counts[SKIPPED],
        info=counts[INFO],
        devices=devices,
    )
