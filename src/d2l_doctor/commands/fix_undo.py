"""`fix --undo` (restore the newest snapshot not yet undone) and `fix --undo --list` (show the saved
snapshots)."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Optional

from d2l_doctor.envelope import envelope, write_json
from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.options import CommonOptions
from d2l_doctor.terminal import Terminal, for_command

if TYPE_CHECKING:
    from rich.console import Console

    from d2l_doctor.fixes.state import EnvSnapshot, FileState


def run_undo(
    opts: CommonOptions,
    lang: str,
    *,
    yes: bool,
    list_only: bool,
    stdin: Optional[IO[str]] = None,
    ask: Optional[Callable[[str], str]] = None,
) -> int:
    from d2l_doctor.fixes import lock, state

    term = for_command(opts.json, stdin, ask)
    con = term.console
    if list_only:
        return _list(con, opts, lang, state.list_snapshots())
    python = None
    if opts.python:
        from d2l_doctor.probes.resolve import resolve_target

        python = resolve_target(opts.python, lang=opts.lang)[0]
    snap = state.latest(python)
    if snap is None:
        con.print(t("fix.undo.none", lang, where=str(state.snapshots_dir())))
        return 1
    if not Path(snap.python).exists():
        raise UsageError(t("fix.undo.python_gone", lang, python=snap.python, id=snap.id))
    try:
        with lock.EnvLock(snap.python, allow_unfinished=True) as held:
            code = _undo(opts, lang, term, snap, yes)
            held.finished()
            return code
    except lock.Busy as busy:
        con.print(t("fix.lock.busy", lang, pid=busy.record.pid, python=snap.python))
        return 1


def _undo(opts: CommonOptions, lang: str, term: Terminal, snap: EnvSnapshot, yes: bool) -> int:
    """Fetch everything first (nothing changes if that fails), then put the environment back."""
    from d2l_doctor.fixes import render, state
    from d2l_doctor.fixes.executor import Executor
    from d2l_doctor.fixes.progress import make_display
    from d2l_doctor.fixes.shell import quote_argv
    from d2l_doctor.fixes.undo import FETCH, undo_plan
    from d2l_doctor.probes.shell import shell_for
    from d2l_doctor.textsafe import visible

    con = term.console
    try:
        current = state.freeze(snap.python)
    except state.StateError as exc:
        con.print(t("fix.apply.snapshot_failed", lang, error=str(exc)))
        return 1
    explicit = None
    if snap.conda is not None and snap.conda.revision is None:
        explicit_path = state.snapshots_dir() / f"{snap.id}.explicit.txt"
        explicit_path.write_text(snap.conda.explicit, encoding="utf-8")
        explicit = str(explicit_path)
    wheels = str(state.snapshots_dir() / f"{snap.id}.wheels")
    undo = undo_plan(snap, current, shell_for(opts.shell, None), explicit, wheels)
    rc_change = snap.condarc is not None and _read(snap.condarc.path) != snap.condarc.content
    title = t("fix.undo.title", lang, id=snap.id, created=snap.created, python=visible(snap.python))
    render.show_plan(con, undo.plan, lang, title=title)
    if rc_change and snap.condarc is not None:
        con.print("  " + t("fix.undo.condarc", lang, path=visible(snap.condarc.path)))
    for line in undo.skipped:
        con.print("  " + t("fix.undo.skipped", lang, line=visible(line)))
    if undo.empty and not rc_change:
        con.print(t("fix.undo.nothing", lang))
        state.mark_undone(snap)
        return 0
    if not term.confirm(t("fix.undo.confirm", lang), yes=yes, lang=lang, option="--undo"):
        con.print(t("fix.apply.declined", lang))
        return 1
    steps = undo.plan.steps
    fetch = [s for s in steps if s.action.reason == FETCH]
    change = [s for s in steps if s.action.reason != FETCH]
    display = make_display(term.progress, lang)
    executor = Executor(display, shell=undo.plan.shell, total=len(steps))
    try:
        fetched = executor.run(fetch)
        if not fetched.ok and fetched.failed is not None:
            last = next((x for x in reversed(fetched.failed.tail) if x.strip()), "-")
            con.print(t("fix.undo.fetch_failed", lang, line=visible(last.strip())))
            return 1
        execution = executor.run(change)
    finally:
        display.close()
    if not execution.ok and execution.failed is not None:
        command = visible(quote_argv(execution.failed.step.argv, undo.plan.shell))
        con.print(t("fix.undo.failed", lang, command=command))
    elif rc_change and snap.condarc is not None:
        _restore(snap.condarc)
    after = state.freeze(snap.python)
    missing = sorted(set(snap.freeze) - set(after))
    extra = sorted(set(after) - set(snap.freeze))
    exact = not missing and not extra
    if exact:
        state.mark_undone(snap)
        con.print(t("fix.undo.restored", lang, n=len(snap.freeze)))
    else:
        con.print(t("fix.undo.differs", lang))
        for line in missing:
            con.print(f"  - {visible(line)}")
        for line in extra:
            con.print(f"  + {visible(line)}")
    code = 0 if exact else 1
    if opts.json:
        body = {
            "undo": render.plan_data(undo.plan),
            "snapshot": snap.id,
            "restored": exact,
            "missing": missing,
            "extra": extra,
        }
        write_json(envelope(body, code))
    return code


def _list(con: Console, opts: CommonOptions, lang: str, snaps: list[EnvSnapshot]) -> int:
    if opts.json:
        listing = [
            {
                "id": s.id,
                "created": s.created,
                "python": s.python,
                "mirror": s.mirror,
                "findings": list(s.findings),
                "packages": len(s.freeze),
                "undone": s.undone,
            }
            for s in snaps
        ]
        write_json(envelope({"snapshots": listing}))
        return 0
    if not snaps:
        from d2l_doctor.fixes.state import snapshots_dir

        con.print(t("fix.undo.none", lang, where=str(snapshots_dir())))
        return 0
    from rich.text import Text

    con.print(Text(t("fix.undo.list_title", lang), style="bold"))
    for s in snaps:
        if s.undone:
            status = Text(t("fix.undo.state_undone", lang, when=s.undone), style="dim")
        else:
            status = Text(t("fix.undo.state_active", lang), style="green")
        con.print(Text(f"  {s.id}  {s.created}  ") + status)
        where = t("fix.undo.list_python", lang, python=s.python, mirror=s.mirror or "pypi")
        con.print(Text(f"      {where}"))
        con.print(Text("      " + t("fix.undo.list_findings", lang, ids=", ".join(s.findings) or "-")))
    return 0


def _read(path: str) -> Optional[str]:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _restore(saved: FileState) -> None:
    path = Path(saved.path)
    if saved.content is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(saved.content, encoding="utf-8")
