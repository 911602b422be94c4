"""`d2l-doctor fix`: diagnose, plan through the chosen mirror, show; with --apply confirm, snapshot, run,
re-check; with --undo go back to the last snapshot.

Exit codes: without --apply, as `check` (1 while an error finding stands); with --apply, 0 when the re-check
is clean of errors and of every finding the plan addressed, 1 when a step failed or something is still broken;
2 for bad usage (an unknown mirror, --apply with no terminal to confirm on and no --yes).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.options import CommonOptions
from d2l_doctor.terminal import language, require_terminal

if TYPE_CHECKING:
    from d2l_doctor.diagnose import Diagnosis
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
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
) -> int:
    lang = language(opts.lang)
    if (only or skip) and not apply:
        raise UsageError(t("fix.error.only_needs_apply", lang))
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
        # Refuse now rather than after the probes: nobody could answer the question.
        require_terminal(lang, "--undo" if undo else "--apply")
    if undo:
        from d2l_doctor.commands.fix_undo import run_undo
        from d2l_doctor.fixes import state

        try:
            return run_undo(opts, lang, yes=yes, list_only=list_snapshots)
        except OSError as exc:  # the state folder is read-only, full, or not a folder
            where = exc.filename or state.snapshots_dir()
            raise UsageError(
                t("fix.error.state_unwritable", lang, where=where, error=exc.strerror or exc)
            ) from None
    from d2l_doctor.diagnose import diagnose
    from d2l_doctor.fixes.conda_steps import condarc_facts
    from d2l_doctor.fixes.planner import build_plan
    from d2l_doctor.matrix import load_matrix
    from d2l_doctor.mirrors import AUTO, resolve_mirror
    from d2l_doctor.probes.shell import shell_for

    matrix = load_matrix(opts.matrix)
    if mirror.strip().lower() == AUTO:
        # Measure the mirrors while the probes run: both wait on the network or on subprocesses.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(
                resolve_mirror, mirror, matrix.mirrors, lang=lang, official_torch=matrix.pytorch_index_url("cpu")
            )
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
    from d2l_doctor.commands.fix_apply import apply_plan

    return apply_plan(opts, lang, diagnosis, choice, plan, yes=yes, condarc=condarc, only=only, skip=skip)


def _show_only(opts: CommonOptions, lang: str, diagnosis: Diagnosis, choice: MirrorChoice, plan: Plan) -> int:
    from d2l_doctor.envelope import write_json
    from d2l_doctor.fixes import render
    from d2l_doctor.terminal import console

    code = diagnosis.exit_code
    if opts.json:
        write_json(render.plan_document(diagnosis, choice, plan, code))
        return code
    con = console()
    if choice.timings:
        render.show_timings(con, choice, lang)
    render.show_plan(con, plan, lang, choice=choice, default_index=os.environ.get("PIP_INDEX_URL") or None)
    if any(s.argv for s in plan.steps):
        con.print(t("fix.plan.how_to_apply", lang))
    return code
