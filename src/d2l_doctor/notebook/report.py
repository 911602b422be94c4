"""What a notebook run means and how it reads: each failed cell (or a kernel that never started) becomes a
finding whose cause names the `check` finding that fixes it; progress while it runs; console and JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional, TextIO

from d2l_doctor.i18n import t
from d2l_doctor.models import SCHEMA_VERSION
from d2l_doctor.render.marks import marks_for
from d2l_doctor.render.wording import say
from d2l_doctor.terminal import lang_for, safe, stream_encoding
from d2l_doctor.textsafe import json_visible, visible
from d2l_doctor.version import __version__


@dataclass
class NotebookRun:
    """One run of the book's checks through a kernel: the cells and the findings they make."""

    kernel: str
    python: Optional[str]  # the interpreter the kernel starts, when known
    host: str  # the interpreter that ran nbclient
    kernel_ok: bool = False
    kernel_error: Optional[str] = None
    cells: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.findings else 0


_NO_MODULE = re.compile(r"No module named '?([A-Za-z0-9_]+)")
# A module the notebook imports -> the `check` finding that installs it.
_MODULE_FINDING = {
    "torch": "torch-missing",
    "d2l": "d2l-missing",
    "torchvision": "torchvision-missing",
    "ipykernel_launcher": "jupyter-kernel-missing",
    "ipykernel": "jupyter-kernel-missing",
    "nbclient": None,
}


def cause_of(error: Optional[str], timed_out: bool = False) -> tuple[str, Optional[str], dict[str, str]]:
    """(kind, the check finding that fixes it, params) for a failure's words."""
    if timed_out:
        return "cell-timeout", None, {}
    match = _NO_MODULE.search(error or "")
    if match and match.group(1) in _MODULE_FINDING:
        module = match.group(1)
        kind = "no-ipykernel" if module.startswith("ipykernel") else f"no-{module}"
        return kind, _MODULE_FINDING[module], {"module": module}
    from d2l_doctor.smoke.classify import classify_text

    cause = classify_text(error or "")
    if cause is not None:
        return f"smoke:{cause.kind}", cause.finding, dict(cause.params)
    from d2l_doctor.matrix import load_matrix

    # Words of the messages table that prove a finding outside torch (matplotlib and IPython in a kernel).
    hit = load_matrix(None).messages.first(error or "")
    if hit is not None and hit.pattern.finding:
        return f"message:{hit.pattern.id}", hit.pattern.finding, {}
    return "cell-error", None, {}


def judge(run: NotebookRun) -> None:
    run.findings = []
    if not run.kernel_ok:
        kind, finding, params = cause_of(run.kernel_error)
        kind = kind if kind in ("no-ipykernel", "no-nbclient") else "kernel-failed"
        run.findings.append(_finding("notebook-kernel-failed", None, run.kernel_error, kind, finding, params))
        return
    for cell in run.cells:
        if cell.get("ok") or cell.get("skipped"):
            continue
        kind, finding, params = cause_of(cell.get("error"), bool(cell.get("timed_out")))
        fid = "notebook-cell-timeout" if cell.get("timed_out") else "notebook-cell-failed"
        params = {**params, "seconds": f"{cell.get('seconds', 0):.0f}"}
        run.findings.append(_finding(fid, cell.get("name"), cell.get("error"), kind, finding, params))


def _finding(
    fid: str,
    cell: Optional[str],
    error: Optional[str],
    kind: str,
    finding: Optional[str],
    params: dict[str, str],
) -> dict[str, Any]:
    return {
        "id": fid,
        "severity": "error",
        "cell": cell,
        "error": error,
        "cause": {"kind": kind, "finding": finding, "params": params},
    }


def cause_text(cause: dict[str, Any], lang: str, python: Optional[str]) -> str:
    kind, params = cause["kind"], dict(cause.get("params") or {})
    if kind.startswith("smoke:"):
        return say(f"smoke.cause.{kind[len('smoke:') :]}", lang, device="cpu", test="", **params)
    if kind.startswith("message:") and cause.get("finding"):
        title = say(f"finding.{cause['finding']}.title", lang)
        return say("notebook.cause.message", lang, python=python, title=title, finding=cause["finding"])
    return say(f"notebook.cause.{kind}", lang, python=python, **params)


class Progress:
    """One line on stderr for each wait: the kernel starting, then each cell as it begins and ends."""

    def __init__(self, err: TextIO, lang: str, cells: int) -> None:
        self.err, self.cells = err, cells
        self.encoding = stream_encoding(err)
        self.lang = lang_for(lang, self.encoding)
        self.marks = marks_for(self.encoding)

    def _write(self, text: str) -> None:
        self.err.write(safe(visible(text), self.encoding) + "\n")
        self.err.flush()

    def starting(self, kernel: str) -> None:
        self._write(t("notebook.progress.kernel", self.lang, kernel=kernel))

    def event(self, event: dict[str, Any]) -> None:
        if event.get("event") == "begin":
            n = int(event.get("index", 0)) + 1
            self._write(t("notebook.progress.cell", self.lang, n=n, total=self.cells, name=event.get("name")))
        elif event.get("event") == "end":
            mark = self.marks.ok if event.get("ok") else self.marks.error
            self._write(f"  {mark} {event.get('name')} ({float(event.get('seconds') or 0):.1f} s)")


def document(run: NotebookRun, lang: str) -> dict[str, Any]:
    findings = []
    for f in run.findings:
        cause = dict(f["cause"], message=cause_text(f["cause"], lang, run.python))
        findings.append({**f, "cause": cause})
    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "kernel": {"name": run.kernel, "python": run.python, "ok": run.kernel_ok, "error": run.kernel_error},
        "runner": run.host,
        "cells": run.cells,
        "findings": findings,
        "exit_code": run.exit_code,
    }


def write_json(run: NotebookRun, lang: str, out: TextIO) -> None:
    out.write(json_visible(json.dumps(document(run, lang), ensure_ascii=False, indent=2)) + "\n")
    out.flush()


def write_console(run: NotebookRun, lang: str, out: TextIO) -> None:
    encoding = stream_encoding(out)
    lang = lang_for(lang, encoding)
    marks = marks_for(encoding)
    lines = [say("notebook.header", lang, kernel=run.kernel, python=run.python)]
    failures = {f["cell"]: f for f in run.findings}
    for cell in run.cells:
        name = cell.get("name")
        if cell.get("skipped"):
            lines.append(f"{marks.unknown} {name}: {t('notebook.skipped', lang, after=cell['skipped'][6:])}")
            continue
        mark = marks.ok if cell.get("ok") else marks.error
        lines.append(f"{mark} {name} ({float(cell.get('seconds') or 0):.1f} s)")
        if name in failures:
            lines += _failure_lines(failures[name], lang, run.python)
    if not run.kernel_ok and run.findings:
        lines.append(f"{marks.error} {t('notebook.kernel_failed', lang, kernel=run.kernel)}")
        lines += _failure_lines(run.findings[0], lang, run.python)
    passed = sum(1 for c in run.cells if c.get("ok"))
    lines.append("")
    lines.append(t("notebook.summary", lang, passed=passed, total=len(run.cells) or passed))
    # Cell errors and paths come from outside: shown, never obeyed by the terminal.
    out.write(safe("\n".join(visible(line) for line in lines) + "\n", encoding))
    out.flush()


def _failure_lines(f: dict[str, Any], lang: str, python: Optional[str]) -> list[str]:
    lines = []
    if f.get("error"):
        lines.append(f"    {t('smoke.label.error', lang)}{f['error']}")
    lines.append(f"    {t('smoke.label.cause', lang)}{cause_text(f['cause'], lang, python)}")
    finding = f["cause"].get("finding")
    if finding:
        lines.append("    " + say("notebook.see_check", lang, finding=finding, python=python))
    return lines
