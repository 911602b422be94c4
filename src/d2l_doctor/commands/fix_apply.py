"""`fix --apply`: show the plan (each step with the host it downloads from), confirm, hold the environment
(one run at a time), ask every host first (preflight), save a snapshot, run each finding's fix as a
transaction, check again, and end with the table: fixed, not fixed and why, rolled back, skipped.

Exit codes: 0 when every chosen fix is fixed and no error stands; 1 otherwise (a fix failed, was rolled back
or skipped, something is still broken, another run holds the environment); 130 after Ctrl-C.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Callable, Optional

from d2l_doctor.envelope import write_json
from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.options import CommonOptions
from d2l_doctor.terminal import for_command

if TYPE_CHECKING:
    from rich.console import Console

    from d2l_doctor.diagnose import Diagnosis
    from d2l_doctor.fixes.conda_steps import Condarc
    from d2l_doctor.fixes.run import RunReport, TxResult
    from d2l_doctor.fixes.transaction import Transaction
    from d2l_doctor.mirrors import MirrorChoice, PipIndex
    from d2l_doctor.models import Plan

INTERRUPTED_EXIT = 130


def apply_plan(
    opts: CommonOptions,
    lang: str,
    diagnosis: Diagnosis,
    choice: MirrorChoice,
    plan: Plan,
    *,
    yes: bool,
    condarc: Optional[Condarc] = None,
    stdin: Optional[IO[str]] = None,
    ask: Optional[Callable[[str], str]] = None,
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
) -> int:
    from d2l_doctor.fixes import lock, render
    from d2l_doctor.fixes.run import SKIPPED, Reason, TxResult
    from d2l_doctor.fixes.transaction import select, transactions

    term = for_command(opts.json, stdin, ask)
    con = term.console
    every = transactions(plan.steps)
    _check_ids(every, only, "--only", lang)
    _check_ids(every, skip, "--skip", lang)
    chosen, left_out = select(every, only, skip)
    if choice.timings:
        render.show_timings(con, choice, lang)
    render.show_plan(con, plan, lang, choice=choice, default_index=_default_index())
    required = [tx for tx in chosen if not tx.optional]
    if not required:
        con.print(t("fix.apply.nothing", lang))
        if opts.json:
            write_json(render.plan_document(diagnosis, choice, plan, diagnosis.exit_code, applied=None))
        return diagnosis.exit_code
    n = sum(len(tx.steps) for tx in required)
    if not term.confirm(t("fix.apply.confirm", lang, n=n), yes=yes, lang=lang):
        con.print(t("fix.apply.declined", lang))
        return 1
    extra = [TxResult(tx, SKIPPED, Reason("fix.run.left_out")) for tx in left_out]
    optional = [tx for tx in chosen if tx.optional]
    if optional and not yes:
        question = t("fix.apply.confirm_optional", lang, n=sum(len(tx.steps) for tx in optional))
        if not term.confirm(question, yes=False, lang=lang):
            chosen = required
            extra += [TxResult(tx, SKIPPED, Reason("fix.run.declined")) for tx in optional]
    try:
        with lock.EnvLock(plan.python) as held:
            return _run(opts, lang, con, term.progress, diagnosis, choice, plan, chosen, extra, held, condarc)
    except lock.Busy as busy:
        con.print(t("fix.lock.busy", lang, pid=busy.record.pid, python=plan.python))
        return 1
    except lock.Unfinished as unfinished:
        record = unfinished.record
        con.print(t("fix.lock.unfinished", lang, python=record.python, started=record.started))
        return 1


def _run(
    opts: CommonOptions,
    lang: str,
    con: Console,
    progress: IO[str],
    diagnosis: Diagnosis,
    choice: MirrorChoice,
    plan: Plan,
    chosen: list[Transaction],
    extra: list[TxResult],
    held: object,
    condarc: Optional[Condarc],
) -> int:
    from d2l_doctor.diagnose import diagnose
    from d2l_doctor.fixes import render, render_run, state
    from d2l_doctor.fixes.executor import Executor
    from d2l_doctor.fixes.lock import EnvLock
    from d2l_doctor.fixes.preflight import run_preflight
    from d2l_doctor.fixes.progress import make_display
    from d2l_doctor.fixes.run import run_transactions

    assert isinstance(held, EnvLock)
    pre = run_preflight(
        chosen,
        default_index=_default_index(),
        catalogue=diagnosis.matrix.mirrors,
        pypi_torch_variant=_pypi_torch_variant(diagnosis, chosen),
        chosen_pypi=choice.pypi.url if choice.pypi else None,
    )
    render_run.show_preflight(con, pre, lang)
    try:
        snap = state.capture(
            plan,
            diagnosis.snapshot,
            pypi_index=choice.pypi,
            torch_index_for=lambda variant: _torch_index(choice, diagnosis, variant),
            condarc_path=condarc.path if condarc else None,
            findings=[f.id for f in diagnosis.findings if f.severity.value != "info"],
        )
        saved_at = state.save(snap)
    except (state.StateError, OSError) as exc:
        con.print(t("fix.apply.snapshot_failed", lang, error=str(exc)))
        held.finished()
        return 1
    held.update(snapshot=snap.id)
    con.print(t("fix.apply.snapshot_saved", lang, path=str(saved_at)))

    display = make_display(progress, lang)
    executor = Executor(
        display,
        shell=plan.shell,
        total=sum(len(tx.steps) for tx in chosen if tx.id not in pre.blocked),
        on_child=lambda pid: held.update(child=pid),
        pip_version=_pip_version(snap.freeze),
    )
    wheel_dir = str(state.snapshots_dir() / f"{snap.id}.wheels")
    try:
        report = run_transactions(
            chosen, executor, snap=snap, freeze=state.freeze, wheel_dir=wheel_dir, blocked=pre.blocked
        )
    finally:
        display.close()
    from d2l_doctor.fixes.run import diff

    changed = diff(snap.freeze, report.final_freeze)
    if report.interrupted:
        con.print(t("fix.run.interrupted_title", lang))
        before_ids = [f.id for f in diagnosis.findings]
        render_run.show_table(con, report, before_ids, lang, extra)
        render_run.show_changes(con, changed, lang)
        if changed:
            con.print(t("fix.run.undo_hint", lang))
        held.finished()
        if opts.json:
            applied = _applied(report, str(saved_at), pre, changed, before_ids, lang)
            write_json(render.plan_document(diagnosis, choice, plan, INTERRUPTED_EXIT, applied=applied))
        return INTERRUPTED_EXIT

    after = diagnose(opts)
    render.show_before_after(con, diagnosis.findings, after.findings, lang)
    remaining = [f.id for f in after.findings if f.severity.value != "info"]
    render_run.show_table(con, report, remaining, lang, extra)
    render_run.show_changes(con, changed, lang)
    if changed:
        con.print(t("fix.run.undo_hint", lang))
    held.finished()
    addressed = {i for tx in chosen for i in tx.fixes}
    still = [i for i in remaining if i in addressed]
    # What was chosen and not left out: each must be fixed (a fix left out by --skip or declined is no failure).
    # A fix skipped or blocked whose finding another fix cleared (the re-check no longer sees it) leaves nothing
    # unsettled; a fix that ran and failed always does.
    unsettled = [
        r
        for r in report.results
        if (outcome := render_run.outcome_of(r, remaining)[0]) != render_run.FIXED
        and (outcome != render_run.SKIPPED or any(i in remaining for i in r.tx.fixes))
    ]
    code = 1 if after.exit_code or still or unsettled else 0
    ids = still or [r.tx.id for r in unsettled] or [f.id for f in after.findings if f.severity.value == "error"]
    con.print(t("fix.after.still_broken" if code else "fix.after.healthy", lang, ids=", ".join(ids) or "-"))
    if opts.json:
        gone, left, new = render.compare(diagnosis.findings, after.findings)
        write_json(
            render.plan_document(
                diagnosis,
                choice,
                plan,
                code,
                applied=_applied(report, str(saved_at), pre, changed, remaining, lang),
                after={"gone": [f.id for f in gone], "remaining": [f.id for f in left], "new": [f.id for f in new]},
            )
        )
    return code


def _check_ids(every: Sequence[Transaction], ids: Sequence[str], option: str, lang: str) -> None:
    from d2l_doctor.fixes.transaction import known_ids

    known = known_ids(every)
    for wanted in ids:
        if wanted not in known:
            raise UsageError(t("fix.run.unknown_id", lang, option=option, id=wanted, ids=", ".join(sorted(known))))


def _default_index() -> Optional[str]:
    """The index pip uses for a step that names none, where the environment says (else pip's own config)."""
    return os.environ.get("PIP_INDEX_URL") or None


def _torch_index(choice: MirrorChoice, diagnosis: Diagnosis, variant: str) -> Optional[PipIndex]:
    from d2l_doctor.mirrors import torch_wheel_index

    return torch_wheel_index(choice, variant, diagnosis.matrix.pytorch_index_url(variant))


def _pypi_torch_variant(diagnosis: Diagnosis, chosen: Sequence[Transaction]) -> Optional[str]:
    """The variant PyPI's own torch is on this machine, for the torch release the plan installs (Linux: the
    release's default CUDA build; Windows and macOS: CPU)."""
    from d2l_doctor.fixes.conda_steps import requirement_name

    host = diagnosis.snapshot.host
    os_name = host.os if host else None
    if os_name in ("windows", "darwin"):
        return "cpu"
    for tx in chosen:
        for step in tx.steps:
            for spec in step.action.packages:
                if requirement_name(spec) == "torch" and "==" in spec:
                    release = diagnosis.matrix.torch_release(spec.split("==", 1)[1].split("+", 1)[0])
                    return release.pypi_variant if release else None
    torch = diagnosis.snapshot.torch
    release = diagnosis.matrix.torch_release(torch.version.split("+", 1)[0]) if torch else None
    return release.pypi_variant if release else None


def _pip_version(freeze: Sequence[str]) -> Optional[str]:
    return next((line.split("==", 1)[1] for line in freeze if line.lower().startswith("pip==")), None)


def _applied(
    report: RunReport, snapshot_path: str, pre: object, changed: Sequence[str], remaining: Sequence[str], lang: str
) -> dict[str, object]:
    from d2l_doctor.fixes.preflight import Preflight
    from d2l_doctor.fixes.render_run import run_data

    assert isinstance(pre, Preflight)
    return {
        "snapshot": snapshot_path,
        "transactions": run_data(report, remaining, lang),
        "interrupted": report.interrupted,
        "changed": list(changed),
        "preflight": {
            "seconds": round(pre.seconds, 3),
            "hosts": [{"url": c.url, "host": c.host, "seconds": c.seconds, "error": c.error} for c in pre.checks],
        },
    }
