"""`d2l-doctor check`: diagnose, then print the checklist, one JSON document (--json) or a Markdown report
(--markdown). The exit code says whether an error stands (models.exit_code_for).
"""

from __future__ import annotations

import sys
from typing import Optional, TextIO

from d2l_doctor.diagnose import Diagnosis, diagnose
from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.options import CommonOptions
from d2l_doctor.terminal import language


def run_check(opts: CommonOptions, markdown: bool = False, stream: Optional[TextIO] = None) -> int:
    if opts.json and markdown:
        raise UsageError(t("error.json_markdown", opts.lang))
    diagnosis = diagnose(opts, prepare=lambda: _import_renderer(opts, markdown))
    emit(diagnosis, opts, markdown=markdown, stream=stream)
    python = diagnosis.snapshot.python
    if opts.from_report is None and python is not None and python.executable:
        _unfinished_run(python.executable, opts.lang)
    return diagnosis.exit_code


def _unfinished_run(python: str, lang: str) -> None:
    """A `fix` on this environment that was killed: say so on stderr (stdout may be a JSON document)."""
    from d2l_doctor.fixes.lock import unfinished
    from d2l_doctor.terminal import console

    record = unfinished(python)
    if record is not None:
        console(stderr=True).print(t("fix.lock.unfinished", language(lang, sys.stderr), python=record.python,
                                     started=record.started))  # fmt: skip


def _import_renderer(opts: CommonOptions, markdown: bool) -> None:
    """What emit() will import, imported while the target runs (rich alone takes about 0.05 s)."""
    import importlib

    names = ["json_out"] if opts.json else ["view", "markdown" if markdown else "console"]
    for name in (
        "d2l_doctor.probes.shell",
        "d2l_doctor.render.marks",
        *(f"d2l_doctor.render.{n}" for n in names),
    ):
        importlib.import_module(name)


def emit(
    diagnosis: Diagnosis, opts: CommonOptions, *, markdown: bool = False, stream: Optional[TextIO] = None
) -> None:
    """Print a Diagnosis in the form the options ask for (also used by `fix` to show what it found)."""
    from d2l_doctor.probes.shell import shell_for
    from d2l_doctor.render.marks import marks_for
    from d2l_doctor.terminal import lang_for, safe, stream_encoding

    out = stream if stream is not None else sys.stdout
    shell = shell_for(opts.shell, diagnosis.snapshot.shell)
    if opts.json:
        from d2l_doctor.render import json_out

        json_out.write(diagnosis, opts.lang, shell, out)
        return
    from d2l_doctor.render import view

    encoding = stream_encoding(out)
    report = view.build(diagnosis, lang_for(opts.lang, encoding), shell)
    if markdown:
        from d2l_doctor.render import markdown as md
        from d2l_doctor.textsafe import visible

        out.write(safe(visible(md.render(report, marks_for(encoding)), multiline=True), encoding))
        out.flush()
        return
    from d2l_doctor.render import console

    console.write(report, out, verbose=opts.verbose)
