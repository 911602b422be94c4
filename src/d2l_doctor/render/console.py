"""The checklist on the console, in the style of `flutter doctor`.

    [✓] GPU & driver: no NVIDIA GPU
    [✗] PyTorch stack: torch 2.13.0+cpu, torchvision 0.28.0
        ✗ torchvision 0.28.0 was built for another torch (torchvision-mismatch)
          Cause: ...
          Evidence: import torchvision: RuntimeError: operator torchvision::nms does not exist
          Fix:
            /home/ada/venv/bin/python -m pip install ... torchvision==0.28.0

Lines are never wrapped by us (a wrapped command would not paste); colour follows NO_COLOR and whether the
stream is a terminal; streams that cannot encode the marks get ASCII ones (see marks.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, TextIO

from d2l_doctor.i18n import t
from d2l_doctor.models import Severity
from d2l_doctor.render.facts import first_line
from d2l_doctor.render.marks import Marks, marks_for
from d2l_doctor.render.view import ERROR, OK, UNKNOWN, WARNING, AreaView, FindingView, ReportView
from d2l_doctor.terminal import safe, stream_encoding

if TYPE_CHECKING:
    from rich.text import Text

_STATUS_STYLE = {OK: "green", WARNING: "yellow", ERROR: "red", UNKNOWN: "magenta"}
_SEVERITY_STYLE = {
    Severity.ERROR: "red",
    Severity.CRASH: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
}
# A crashed rule's trace is for -v (as flutter doctor does); its one-line exception always shows.
_VERBOSE_ONLY_EVIDENCE = {"traceback"}
_INDENT_FINDING = "    "
_INDENT_BODY = "      "
_INDENT_COMMAND = "        "


class _Lines:
    """Collects styled lines; every piece of text is made encodable for the stream on the way in."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.lines: list[Text] = []

    def add(self, *parts: tuple[str, str]) -> None:
        from rich.text import Text

        line = Text()
        for text, style in parts:
            line.append(safe(text, self.encoding), style=style or None)
        self.lines.append(line)


def write(view: ReportView, file: TextIO, *, verbose: bool, color: Optional[bool] = None) -> None:
    """Print the report to file. color None: as rich decides from the stream (a terminal?) and NO_COLOR."""
    from d2l_doctor.terminal import console

    encoding = stream_encoding(file)
    out = render_lines(view, verbose=verbose, encoding=encoding)
    con = console(file, color=color)
    for line in out:
        con.print(line)


def render_lines(view: ReportView, *, verbose: bool, encoding: str) -> list[Text]:
    marks = marks_for(encoding)
    lang = view.lang
    out = _Lines(encoding)
    out.add((view.header, "bold"))
    if not verbose:  # as flutter doctor does: say up front how to see everything
        out.add((t("ui.hint.verbose", lang), "dim"))
    elif view.matrix:
        out.add((view.matrix, "dim"))
    out.add()
    for area in view.areas:
        _area(out, area, marks, lang, verbose)
    if verbose and view.problems:
        out.add()
        out.add((t("ui.label.problems", lang), "bold"))
        for probe, why in view.problems:
            _labelled(out, f"{_INDENT_FINDING}{marks.bullet} {probe}{t('ui.colon', lang)}", why)
    out.add()
    worst = ERROR if view.exit_code else (WARNING if any(a.status == WARNING for a in view.areas) else OK)
    out.add((view.counts, _STATUS_STYLE[worst] + " bold"))
    return out.lines


def _area(out: _Lines, area: AreaView, marks: Marks, lang: str, verbose: bool) -> None:
    mark = {OK: marks.ok, WARNING: marks.warning, ERROR: marks.error, UNKNOWN: marks.unknown}[area.status]
    style = _STATUS_STYLE[area.status]
    out.add((mark, style + " bold"), (" ", ""), (area.name, "bold"), (t("ui.colon", lang) + area.summary, ""))
    if verbose:
        for label, value in area.facts:
            _labelled(out, f"{_INDENT_FINDING}{marks.bullet} {label}{t('ui.colon', lang)}", value)
    for f in area.findings:
        _finding(out, f, marks, lang, verbose)


def _finding(out: _Lines, f: FindingView, marks: Marks, lang: str, verbose: bool) -> None:
    severity = f.finding.severity
    mark = {
        Severity.ERROR: marks.item_error,
        Severity.CRASH: marks.item_error,
        Severity.WARNING: marks.item_warning,
        Severity.INFO: marks.item_info,
    }[severity]
    if f.finding.undecided:
        mark = marks.item_unknown
    # The id names the finding for searches and --json; a title that fell back to the id says it already.
    named = f" ({f.finding.id})" if f.title != f.finding.id else ""
    out.add(
        (f"{_INDENT_FINDING}{mark} ", _SEVERITY_STYLE[severity]),
        (f.title, "" if f.brief else "bold"),
        (named, "dim"),
    )
    if f.brief and not verbose:
        return
    colon = t("ui.colon", lang)
    if f.finding.undecided:
        out.add((_INDENT_BODY + t("ui.label.undecided", lang), "magenta"))
    if f.detail:
        _labelled(out, _INDENT_BODY + t("ui.label.cause", lang) + colon, f.detail)
    evidence = [(e.label, e.text) for e in f.evidence if verbose or e.key not in _VERBOSE_ONLY_EVIDENCE]
    if evidence:
        out.add((_INDENT_BODY + t("ui.label.evidence", lang) + colon.rstrip(), "dim"))
        for what, fact in evidence:
            if verbose:
                _labelled(out, f"{_INDENT_COMMAND}{what}{colon}", fact, _INDENT_COMMAND + "  ")
            else:
                out.add((f"{_INDENT_COMMAND}{what}{colon}", "dim"), (first_line(fact), ""))
    if f.fixes:
        out.add((_INDENT_BODY + t("ui.label.fix", lang) + colon.rstrip(), "dim"))
        for fix in f.fixes:
            if fix.command is not None:
                out.add((_INDENT_COMMAND + fix.command, "cyan"))
            else:  # a step for a person: what to do, then where (a URL alone on its line, to click or copy)
                for text in (fix.text, fix.url):
                    if text:
                        out.add((_INDENT_COMMAND + text, ""))


def _labelled(out: _Lines, label: str, value: str, indent: str = _INDENT_COMMAND) -> None:
    """label and the first line of value on one line; further lines of value below it, indented."""
    first, *rest = value.splitlines() or [""]
    out.add((label, "dim"), (first, ""))
    for ln in rest:
        out.add((indent + ln, ""))
