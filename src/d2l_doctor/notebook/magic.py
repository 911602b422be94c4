"""`%d2l_doctor` inside a notebook: `check` on the kernel's own interpreter, shown as HTML.

"It works in the terminal but not in the notebook" is answered where it is asked: the interpreter examined is
the one this kernel runs (sys.executable), the probes run in subprocesses of it as always, and the checklist
is the console renderer's own lines exported as HTML by rich (the console and JSON renderers stay the
sources of truth; `%d2l_doctor --json` shows the JSON document).

Usage: %d2l_doctor [-v] [--lang zh|en] [--json] [--timeout S]
"""

from __future__ import annotations

import argparse
import io
import shlex
import sys
from typing import Any

from d2l_doctor.errors import UsageError

USAGE = "usage: %d2l_doctor [-v] [--lang zh|en] [--json] [--timeout S]"


def register(ipython: Any) -> None:  # an IPython InteractiveShell
    ipython.register_magic_function(d2l_doctor_magic, magic_kind="line", magic_name="d2l_doctor")


def _options(line: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="%d2l_doctor", add_help=False, exit_on_error=False)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--lang", default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--timeout", type=float, default=60.0)
    try:
        args, extra = parser.parse_known_args(shlex.split(line))
    except (argparse.ArgumentError, ValueError) as exc:
        raise UsageError(f"%d2l_doctor: {exc}") from None
    if extra:
        raise UsageError(f"%d2l_doctor: unknown option {extra[0]!r} ({USAGE})")
    return args


def html_report(line: str = "") -> str:
    """The checklist for this interpreter as one HTML fragment (or the JSON document in a <pre>)."""
    import html

    from d2l_doctor.diagnose import diagnose
    from d2l_doctor.options import CommonOptions

    args = _options(line)
    opts = CommonOptions.build(
        python=sys.executable,
        timeout=args.timeout,
        matrix=None,
        lang=args.lang,
        verbose=args.verbose,
        json=args.json,
        shell=None,
        from_report=None,
    )
    diagnosis = diagnose(opts)
    if args.json:
        from d2l_doctor.probes.shell import shell_for
        from d2l_doctor.render import json_out

        buffer = io.StringIO()
        json_out.write(diagnosis, opts.lang, shell_for(opts.shell, diagnosis.snapshot.shell), buffer)
        return f"<pre>{html.escape(buffer.getvalue())}</pre>"
    return _console_html(diagnosis, opts)


def _console_html(diagnosis: Any, opts: Any) -> str:
    from d2l_doctor.probes.shell import shell_for
    from d2l_doctor.render import console, view
    from d2l_doctor.terminal import console as safe_console

    report = view.build(diagnosis, opts.lang, shell_for(opts.shell, diagnosis.snapshot.shell))
    out = safe_console(io.StringIO(), color=True, width=120)  # the one Console: outside text is never obeyed
    out.record = True
    for line in console.render_lines(report, verbose=opts.verbose, encoding="utf-8"):
        out.print(line)
    return out.export_html(inline_styles=True, code_format='<pre class="d2l-doctor">{code}</pre>')


def d2l_doctor_magic(line: str = "") -> None:
    from IPython.display import HTML, display

    try:
        display(HTML(html_report(line)))
    except UsageError as exc:
        print(f"d2l-doctor: error: {exc}", file=sys.stderr)
