"""`fix --apply`: show the plan, confirm, save a snapshot, run the steps, check again and show before ->
after."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Callable, Optional

from d2l_doctor.envelope import write_json
from d2l_doctor.i18n import t
from d2l_doctor.options import CommonOptions
from d2l_doctor.terminal import for_command

if TYPE_CHECKING:
    from d2l_doctor.diagnose import Diagnosis
    from d2l_doctor.fixes.conda_steps import Condarc
    from d2l_doctor.fixes.executor import Execution
    from d2l_doctor.mirrors import MirrorChoice, PipIndex
    from d2l_doctor.models import Plan


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
) -> int:
    from d2l_doctor.diagnose import diagnose
    from d2l_doctor.fixes import render, state
    from d2l_doctor.fixes.executor import execute, make_display
    from d2l_doctor.fixes.planner import runnable
    from d2l_doctor.mirrors import torch_wheel_index

    term = for_command(opts.json, stdin, ask)
    con = term.console
    if choice.timings:
        render.show_timings(con, choice, lang)
    render.show_plan(con, plan, lang)
    steps = runnable(plan)
    required = [s for s in steps if not s.optional]
    if not required:
        con.print(t("fix.apply.nothing", lang))
        if opts.json:
            write_json(render.plan_document(diagnosis, choice, plan, diagnosis.exit_code, applied=None))
        return diagnosis.exit_code
    if not term.confirm(t("fix.apply.confirm", lang, n=len(required)), yes=yes, lang=lang):
        con.print(t("fix.apply.declined", lang))
        return 1
    optional = [s for s in steps if s.optional]
    if optional and not yes:
        question = t("fix.apply.confirm_optional", lang, n=len(optional))
        if not term.confirm(question, yes=False, lang=lang):
            steps = required

    def torch_index_for(variant: str) -> Optional[PipIndex]:
        return torch_wheel_index(choice, variant, diagnosis.matrix.pytorch_index_url(variant))

    try:
        snap = state.capture(
            plan,
            diagnosis.snapshot,
            pypi_index=choice.pypi,
            torch_index_for=torch_index_for,
            condarc_path=condarc.path if condarc else None,
            findings=[f.id for f in diagnosis.findings if f.severity.value != "info"],
        )
        saved_at = state.save(snap)
    except (state.StateError, OSError) as exc:
        con.print(t("fix.apply.snapshot_failed", lang, error=str(exc)))
        return 1
    con.print(t("fix.apply.snapshot_saved", lang, path=str(saved_at)))

    execution = execute(steps, make_display(term.progress, lang), shell=plan.shell)
    if not execution.ok:
        render.show_failure(con, execution, plan, lang)
        con.print(t("fix.apply.undo_hint", lang))
        if opts.json:
            write_json(render.plan_document(diagnosis, choice, plan, 1, applied=_applied(execution, str(saved_at))))
        return 1

    after = diagnose(opts)
    render.show_before_after(con, diagnosis.findings, after.findings, lang)
    addressed = {i for s in steps for i in s.fixes}
    _, remaining, _ = render.compare(diagnosis.findings, after.findings)
    still = [f.id for f in remaining if f.id in addressed]
    code = 1 if after.exit_code or still else 0
    con.print(t("fix.after.still_broken" if code else "fix.after.healthy", lang, ids=", ".join(still) or "-"))
    if opts.json:
        gone, _, new = render.compare(diagnosis.findings, after.findings)
        write_json(
            render.plan_document(
                diagnosis,
                choice,
                plan,
                code,
                applied=_applied(execution, str(saved_at)),
                after={
                    "gone": [f.id for f in gone],
                    "remaining": [f.id for f in remaining],
                    "new": [f.id for f in new],
                },
            )
        )
    return code


def _applied(execution: Execution, snapshot_path: str) -> dict[str, object]:
    from d2l_doctor.fixes.render import outcome_data

    return {
        "snapshot": snapshot_path,
        "done": [outcome_data(o) for o in execution.done],
        "failed": outcome_data(execution.failed) if execution.failed else None,
    }
