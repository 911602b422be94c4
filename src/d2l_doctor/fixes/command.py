"""`d2l-doctor fix`: diagnose, plan through the chosen mirror, show; with --apply confirm, snapshot, run,
re-check; with --undo go back to the last snapshot.

Exit codes: without --apply, as `check` (1 while an error finding stands); with --apply, 0 when the re-check
is clean of errors and of every finding the plan addressed, 1 when a step failed or something is still broken;
2 for bad usage (an unknown mirror, --apply with no terminal to confirm on and no --yes).
"""

from __future__ import annotations

import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Optional

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.options import CommonOptions

if TYPE_CHECKING:
    from rich.console import Console

    from d2l_doctor.diagnose import Diagnosis
    from d2l_doctor.fixes.conda_steps import Condarc
    from d2l_doctor.mirrors import MirrorChoice
    from d2l_doctor.models import Plan


def run_fix(
    opts: CommonOptions,
    *,
    mirror: str = "pypi",
    apply: bool = False,
    yes: bool = False,
    undo: bool = False,
    list_snapshots: bool = False,
) -> int:
    lang = _lang(opts)
    if list_snapshots and not undo:
        raise UsageError(t("fix.error.list_needs_undo", lang))
    if undo and apply:
        raise UsageError(t("fix.error.undo_and_apply", lang))
    # A report describes another machine: nothing is run or restored from it (checked before anything else).
    if undo and opts.from_report is not None:
        raise UsageError(t("fix.error.undo_report", lang))
    if apply and opts.from_report is not None:
        raise UsageError(t("fix.error.apply_report", lang))
    if (apply or (undo and not list_snapshots)) and not yes:
        from d2l_doctor.fixes.executor import require_terminal

        # Refuse now rather than after the probes: nobody could answer the question.
        require_terminal(lang, "--undo" if undo else "--apply")
    if undo:
        from d2l_doctor.fixes import state
        from d2l_doctor.fixes.undo_command import run_undo

        try:
            return run_undo(opts, lang, yes=yes, list_only=list_snapshots)
        except OSError as exc:  # the state folder is read-only, full, or not a folder
            where = exc.filename or state.snapshots_dir()
            raise UsageError(t("fix.error.state_unwritable", lang, where=where, error=exc.strerror or exc)) from None
    from d2l_doctor.diagnose import diagnose
    from d2l_doctor.fixes.planner import build_plan
    from d2l_doctor.fixes.shell import shell_for
    from d2l_doctor.matrix import load_matrix
    from d2l_doctor.mirrors import AUTO, resolve_mirror

    matrix = load_matrix(opts.matrix)
    if mirror.strip().lower() == AUTO:
        # Measure the mirrors while the probes run: both wait on the network or on subprocesses.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(resolve_mirror, mirror, matrix.mirrors, lang=lang)
            diagnosis = diagnose(opts)
            choice = pending.result()
    else:
        choice = resolve_mirror(mirror, matrix.mirrors, lang=lang)  # bad input fails before the slow probes
        diagnosis = diagnose(opts)
    shell = shell_for(opts.shell, diagnosis.snapshot.shell)
    condarc = condarc_facts() if diagnosis.snapshot.conda is not None else None
    plan = build_plan(
        diagnosis.findings,
        diagnosis.snapshot,
        mirror=choice,
        shell=shell,
        condarc=condarc,
    )
    if not apply:
        return _show_only(opts, lang, diagnosis, choice, plan)
    from d2l_doctor.fixes.apply import apply_plan

    return apply_plan(opts, lang, diagnosis, choice, plan, yes=yes, condarc=condarc)


def _show_only(opts: CommonOptions, lang: str, diagnosis: Diagnosis, choice: MirrorChoice, plan: Plan) -> int:
    from d2l_doctor.fixes import render

    code = diagnosis.exit_code
    if opts.json:
        print_json(plan_document(diagnosis, choice, plan, code))
        return code
    con = render.console()
    if choice.timings:
        render.show_timings(con, choice, lang)
    render.show_plan(con, plan, lang)
    if any(s.argv for s in plan.steps):
        con.print(t("fix.plan.how_to_apply", lang))
    return code


def plan_document(
    diagnosis: Diagnosis, choice: MirrorChoice, plan: Plan, code: int, **extra: Any
) -> dict[str, Any]:
    from d2l_doctor import __version__
    from d2l_doctor.fixes import render

    return {
        "schema_version": 1,
        "tool_version": __version__,
        "plan": render.plan_data(plan),
        "mirror": {"name": choice.label, "timings": render.timings_data(choice)},
        "findings": [{"id": f.id, "severity": f.severity.value} for f in diagnosis.findings],
        **extra,
        "exit_code": code,
    }


def print_json(document: dict[str, Any]) -> None:
    from d2l_doctor.render.json_out import write_document

    write_document(document, sys.stdout)


def condarc_facts(environ: Optional[dict[str, str]] = None) -> Condarc:
    """The user's conda configuration file (what `conda config` writes by default), and whether it already
    sets default_channels (then the channel steps replace them rather than append to them)."""
    from d2l_doctor.fixes.conda_steps import Condarc

    env = os.environ if environ is None else environ
    path = Path(env.get("CONDARC") or Path.home() / ".condarc")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    return Condarc(
        str(path), has_default_channels=bool(re.search(r"^default_channels\s*:", text, re.MULTILINE))
    )


def _lang(opts: CommonOptions) -> str:
    from d2l_doctor.render.marks import lang_for, stream_encoding

    return lang_for(opts.lang, stream_encoding(sys.stdout))


@dataclass(frozen=True)
class Terminal:
    """How `fix --apply` and `fix --undo` talk to the user. With --json stdout carries only the JSON document,
    so the words, the step progress and the questions all go to stderr."""

    console: Console
    progress: IO[str]  # where the steps' progress display writes
    stdin: Optional[IO[str]]  # None: sys.stdin
    ask: Optional[Callable[[str], str]]  # None: input()

    def confirm(self, question: str, *, yes: bool, lang: str, option: str = "--apply") -> bool:
        from d2l_doctor.fixes.executor import confirm

        return confirm(question, yes=yes, lang=lang, stdin=self.stdin, ask=self.ask, option=option)


def terminal(
    opts: CommonOptions, stdin: Optional[IO[str]] = None, ask: Optional[Callable[[str], str]] = None
) -> Terminal:
    from d2l_doctor.fixes import render
    from d2l_doctor.fixes.executor import ask_on_stderr

    if ask is None and opts.json:
        ask = ask_on_stderr
    return Terminal(render.console(stderr=opts.json), sys.stderr if opts.json else sys.stdout, stdin, ask)
