"""How `fix --apply` shows a run: where each step downloads from, the preflight, and the closing table (fixed,
not fixed and why, rolled back, skipped), with what changed as measured; and the same as data for --json.
Every string from outside (hosts, package lines, pip's words) is shown through `visible`, as text."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor.fixes.preflight import OFFICIAL_HOST, Preflight, WayRound, step_sources
from d2l_doctor.fixes.run import (
    BLOCKED,
    DONE,
    FAILED,
    INTERRUPTED,
    ROLLBACK_FAILED,
    ROLLED_BACK,
    SKIPPED,
    Reason,
    RunReport,
    TxResult,
)
from d2l_doctor.i18n import catalogue, t
from d2l_doctor.models import PlanStep
from d2l_doctor.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console

    from d2l_doctor.mirrors import MirrorChoice

FIXED, NOT_FIXED = "fixed", "not-fixed"
_RESULT_KEY = {
    FIXED: "fix.run.fixed",
    NOT_FIXED: "fix.run.not_fixed",
    ROLLED_BACK: "fix.run.rolled_back",
    ROLLBACK_FAILED: "fix.run.rollback_failed",
    SKIPPED: "fix.run.skipped",
}
_STYLE = {FIXED: "green", NOT_FIXED: "red", ROLLED_BACK: "yellow", ROLLBACK_FAILED: "bold red", SKIPPED: "dim"}


# --------------------------------------------------------------------------- the plan's reasons and sources


@lru_cache(maxsize=1)
def _reason_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for key, texts in catalogue().items():
        if key.startswith("fix.reason."):
            pattern = re.escape(texts["en"])
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+)", pattern)
            out.append((re.compile(f"^{pattern}$"), key))
    return tuple(out)


def reason_text(reason: str, lang: str) -> str:
    """A rule's English reason in the user's language (as it is when the catalogue has no words for it)."""
    for pattern, key in _reason_patterns():
        match = pattern.match(reason)
        if match:
            return t(key, lang, **match.groupdict())
    return visible(reason)


def source_notes(step: PlanStep, choice: MirrorChoice, default_index: Optional[str], lang: str) -> list[str]:
    """Where a step downloads from; that it still needs download.pytorch.org under a mirror; `verified:
    false` where the PyTorch-wheel mirror's facts are not settled."""
    sources = step_sources(step, default_index)
    if not sources:
        own = "pip" in step.argv and "--no-index" not in step.argv and "install" in step.argv
        return [t("fix.plan.source", lang, hosts=t("fix.plan.own_config", lang))] if own else []
    notes = [t("fix.plan.source", lang, hosts=", ".join(dict.fromkeys(visible(s.host) for s in sources)))]
    variant = step.action.torch_variant
    official = any(s.host == OFFICIAL_HOST for s in sources)
    if official and choice.pypi is not None and variant:
        notes.append(t("fix.plan.official_under_mirror", lang, mirror=visible(choice.label), variant=variant))
    wheels = choice.pytorch
    if wheels is not None and variant and not official and not getattr(wheels, "verified", True):
        notes.append(t("fix.plan.unverified", lang, url=visible(wheels.url_template.format(variant=variant))))
    return notes


# --------------------------------------------------------------------------- preflight


def show_preflight(con: Console, pre: Preflight, lang: str) -> None:
    from rich.text import Text

    if not pre.checks:
        return
    con.print(Text(t("fix.preflight.title", lang, seconds=f"{pre.seconds:.1f}"), style="bold"))
    for check in pre.checks:
        if check.ok and check.seconds is not None:
            line = t("fix.preflight.ok", lang, host=visible(check.host), ms=f"{check.seconds * 1000:.0f}")
            con.print(Text("  " + line, style="green"))
        else:
            line = t("fix.preflight.dead", lang, host=visible(check.host), error=visible(check.error or "-"))
            con.print(Text("  " + line, style="red"))


def way_text(way: Optional[WayRound], lang: str) -> str:
    if way is None:
        return t("fix.preflight.no_way", lang)
    if way.kind == "pypi":
        return t("fix.preflight.way_pypi", lang, index=visible(way.url or t("fix.plan.own_config", lang)))
    unverified = "" if way.verified else t("fix.preflight.unverified_tag", lang)
    return t(
        "fix.preflight.way_mirror", lang, name=way.name, url=visible(way.url or ""), mode=way.mode,
        unverified=unverified,
    )  # fmt: skip


def reason_words(reason: Optional[Reason], lang: str) -> str:
    if reason is None:
        return ""
    params = {k: v for k, v in reason.params.items() if k != "way"}
    text = t(reason.key, lang, **{k: visible(str(v)) for k, v in params.items()})
    if "way" in reason.params:
        text += "; " + way_text(reason.params["way"], lang)
    return text


# --------------------------------------------------------------------------- the closing table


def outcome_of(result: TxResult, remaining: Collection[str]) -> tuple[str, str]:
    """(fixed | not-fixed | rolled-back | rollback-failed | skipped, reason id) for one transaction; the
    re-check's remaining finding ids decide whether a transaction that ran fixed what it was for."""
    if result.status == DONE:
        still = [f for f in result.tx.fixes if f in remaining]
        return (NOT_FIXED, "fix.run.still_there") if still else (FIXED, "")
    if result.status in (FAILED, INTERRUPTED):
        return NOT_FIXED, ""
    if result.status in (SKIPPED, BLOCKED):
        return SKIPPED, ""
    return result.status, ""


def show_table(
    con: Console, report: RunReport, remaining: Collection[str], lang: str, extra: Sequence[TxResult] = ()
) -> dict[str, int]:
    """Print the table; returns the count of each outcome."""
    from rich.text import Text

    # Lines, not a table: a reason is long, and a table would fold it into pieces on an 80-column pipe.
    con.print(Text(t("fix.run.title", lang), style="bold"))
    rows = []
    counts = {FIXED: 0, NOT_FIXED: 0, ROLLED_BACK: 0, ROLLBACK_FAILED: 0, SKIPPED: 0}
    for result in (*report.results, *extra):
        outcome, why_key = outcome_of(result, remaining)
        counts[outcome] += 1
        why = t(why_key, lang) if why_key else reason_words(result.reason, lang)
        rows.append((visible(result.tx.id), outcome, why))
    width = max((len(r[0]) for r in rows), default=0)
    for name, outcome, why in rows:
        line = Text(f"  {name.ljust(width)}  ") + Text(t(_RESULT_KEY[outcome], lang), style=_STYLE[outcome])
        con.print(line + Text(f": {why}" if why else ""))
    for result in (*report.results, *extra):
        if result.left:
            lines = ", ".join(visible(x) for x in result.left)
            con.print(Text("  " + t("fix.run.not_put_back", lang, id=visible(result.tx.id), lines=lines), "red"))
    con.print(
        t(
            "fix.run.summary", lang, fixed=counts[FIXED], not_fixed=counts[NOT_FIXED] + counts[ROLLBACK_FAILED],
            rolled_back=counts[ROLLED_BACK], skipped=counts[SKIPPED],
        )
    )  # fmt: skip
    return counts


def show_changes(con: Console, changed: Sequence[str], lang: str) -> None:
    from rich.text import Text

    if not changed:
        con.print(t("fix.run.nothing_changed", lang))
        return
    con.print(t("fix.run.changed_title", lang))
    for line in changed:
        con.print(Text("  " + visible(line), style="green" if line.startswith("+") else "red"))


def run_data(report: RunReport, remaining: Collection[str], lang: str) -> list[dict[str, Any]]:
    out = []
    for result in report.results:
        outcome, why_key = outcome_of(result, remaining)
        reason = result.reason
        out.append(
            {
                "id": result.tx.id,
                "fixes": list(result.tx.fixes),
                "status": result.status,
                "outcome": outcome,
                "reason": reason.key if reason else (why_key or None),
                "why": t(why_key, lang) if why_key else reason_words(reason, lang),
                "changed": list(result.changed),
                "left": list(result.left),
                "steps": [
                    {"argv": list(o.step.argv), "returncode": o.returncode, "seconds": round(o.seconds, 3)}
                    for o in result.outcomes
                ],
            }
        )
    return out
