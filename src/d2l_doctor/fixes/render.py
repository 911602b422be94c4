"""How `fix` shows things: the plan (commands quoted for the user's shell), the mirror timings, the outcome of
a run and the findings before -> after; and the same as data for --json.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor.fixes.shell import quote_argv
from d2l_doctor.i18n import t
from d2l_doctor.models import Finding, FixKind, Plan, PlanStep
from d2l_doctor.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console

    from d2l_doctor.diagnose import Diagnosis
    from d2l_doctor.mirrors import MirrorChoice, MirrorTiming


def arrow(con: Console) -> str:
    try:
        "→".encode(con.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return "->"
    return "→"


def show_plan(
    con: Console,
    plan: Plan,
    lang: str,
    *,
    title: Optional[str] = None,
    choice: Optional[MirrorChoice] = None,
    default_index: Optional[str] = None,
) -> None:
    """The plan, one numbered command per step; with the mirror choice, each step also says the host it
    downloads from (and whether it still needs download.pytorch.org, or an unverified mirror)."""
    from rich.text import Text

    from d2l_doctor.fixes.executor import PIP_RETRIES, PIP_TIMEOUT_S
    from d2l_doctor.fixes.render_run import source_notes

    runnable = [s for s in plan.steps if s.argv]
    todo = [s for s in plan.steps if s.action.kind is FixKind.MANUAL]
    if title is None:
        mirror = visible(plan.mirror or "pypi")
        title = t("fix.plan.title", lang, python=visible(plan.python), mirror=mirror, shell=plan.shell)
    con.print(Text(title, style="bold"))
    if not runnable and not todo:
        con.print(t("fix.plan.empty", lang))
        return
    shown_optional = False
    for number, step in enumerate(runnable, start=1):
        if step.optional and not shown_optional:
            con.print(Text("  " + t("fix.plan.optional_header", lang), style="italic"))
            shown_optional = True
        command = visible(quote_argv(step.argv, plan.shell))
        con.print(Text(f"  {number:>2}. ", style="bold") + Text(command, style="cyan"))
        note = step_note(step, lang)
        if note:
            con.print(Text(f"      {note}", style="dim"))
        for line in source_notes(step, choice, default_index, lang) if choice is not None else ():
            con.print(Text(f"      {line}", style="yellow" if "verified" in line or "pytorch.org" in line else "dim"))
    if choice is not None and any("pip" in s.argv for s in runnable):
        con.print(Text(t("fix.plan.pip_bounds", lang, timeout=PIP_TIMEOUT_S, retries=PIP_RETRIES), style="dim"))
    if todo:
        con.print(Text("  " + t("fix.plan.manual_header", lang), style="bold yellow"))
        for step in todo:
            con.print(Text(f"   - {manual_text(step, lang)}"))


def step_note(step: PlanStep, lang: str) -> str:
    from d2l_doctor.fixes.render_run import reason_text

    parts = []
    if step.fixes:
        parts.append(t("fix.plan.fixes", lang, ids=", ".join(step.fixes)))
    if step.optional:
        parts.append(t("fix.plan.optional", lang))
    if step.action.reason and step.action.reason not in ("conda-mirror", "conda-revision", "undo-fetch"):
        parts.append(reason_text(step.action.reason, lang))
    return "; ".join(parts)


def manual_text(step: PlanStep, lang: str) -> str:
    a = step.action
    text = t(a.message, lang) if a.message else t("fix.plan.manual_default", lang)
    if a.url:
        text = f"{text} {a.url}"
    if step.fixes:
        text += f" ({', '.join(step.fixes)})"
    return text


def show_timings(con: Console, choice: MirrorChoice, lang: str) -> None:
    from rich.table import Table

    for title, timings in (
        ("fix.mirror.timings_title", choice.timings),
        ("fix.mirror.torch_timings_title", choice.torch_timings),
    ):
        if not timings:
            continue
        table = Table(title=t(title, lang), title_justify="left", box=None, pad_edge=False)
        table.add_column(t("fix.mirror.col_name", lang))
        table.add_column(t("fix.mirror.col_time", lang), justify="right")
        table.add_column(t("fix.mirror.col_result", lang))
        for timing in timings:
            table.add_row(visible(timing.name), _ms(timing), _timing_result(timing, lang))
        con.print(table)
    key = "fix.mirror.auto_none" if choice.auto_fell_back else "fix.mirror.auto_chosen"
    con.print(t(key, lang, name=visible(choice.label)))


def _ms(timing: MirrorTiming) -> str:
    return f"{timing.seconds * 1000:.0f} ms" if timing.seconds is not None else "-"


def _timing_result(timing: MirrorTiming, lang: str) -> str:
    if not timing.ok:
        return t("fix.mirror.failed", lang, error=visible(timing.error or "?"))
    if timing.final_url and timing.final_url.rstrip("/") != timing.url.rstrip("/"):
        return t("fix.mirror.redirected", lang, url=visible(timing.final_url))
    return "ok"


def show_before_after(con: Console, before: Sequence[Finding], after: Sequence[Finding], lang: str) -> None:
    from rich.text import Text

    gone, remain, new = compare(before, after)
    con.print(
        Text(
            t(
                "fix.after.title",
                lang,
                before=len(_problems(before)),
                after=len(_problems(after)),
                arrow=arrow(con),
            ),
            style="bold",
        )
    )
    for f in gone:
        con.print(Text("  " + t("fix.after.gone", lang, id=f.id), style="green"))
    for f in remain:
        con.print(Text("  " + t("fix.after.remains", lang, id=f.id, severity=f.severity.value), style="red"))
    for f in new:
        con.print(Text("  " + t("fix.after.new", lang, id=f.id, severity=f.severity.value), style="yellow"))


def compare(
    before: Sequence[Finding], after: Sequence[Finding]
) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(gone, remaining, new) among the findings that matter (errors, warnings, crashes; info is not a
    problem)."""
    b, a = _problems(before), _problems(after)
    after_ids = {f.id for f in a}
    before_ids = {f.id for f in b}
    return (
        [f for f in b if f.id not in after_ids],
        [f for f in a if f.id in before_ids],
        [f for f in a if f.id not in before_ids],
    )


def _problems(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity.value != "info"]


def plan_data(plan: Plan) -> dict[str, Any]:
    data = plan.to_dict()
    for step, out in zip(plan.steps, data["steps"]):
        out["command"] = quote_argv(step.argv, plan.shell) if step.argv else None
    return data


def timings_data(choice: Optional[MirrorChoice]) -> list[dict[str, Any]]:
    if choice is None:
        return []
    return [
        {"name": m.name, "url": m.url, "seconds": m.seconds, "final_url": m.final_url, "error": m.error}
        for m in choice.timings
    ]


def torch_timings_data(choice: MirrorChoice) -> list[dict[str, Any]]:
    return [{"name": m.name, "url": m.url, "seconds": m.seconds, "error": m.error} for m in choice.torch_timings]


def plan_document(
    diagnosis: Diagnosis, choice: MirrorChoice, plan: Plan, code: int, **extra: Any
) -> dict[str, Any]:
    """`fix --json`: the plan, the mirror, the findings it came from, and what --apply adds (extra)."""
    from d2l_doctor.envelope import envelope

    body = {
        "plan": plan_data(plan),
        "mirror": {
            "name": choice.label,
            "timings": timings_data(choice),
            "torch_timings": torch_timings_data(choice),
        },
        "findings": [{"id": f.id, "severity": f.severity.value} for f in diagnosis.findings],
        **extra,
    }
    return envelope(body, code)
