"""The words of a fleet table, once for every renderer (console, Markdown, HTML): headlines, stack, fix lines.

Strings from reports are outside text: `clean` takes out control characters (terminal escapes, stray CRs) so a
report cannot draw on the TA's terminal; each renderer escapes for its own format on top.
"""

from __future__ import annotations

from typing import Optional

from d2l_doctor.fleet.reading import NONE, STACK_KEYS
from d2l_doctor.fleet.table import FleetTable, Group
from d2l_doctor.i18n import t


def clean(text: object) -> str:
    """Outside text on one line, every control or bidi override shown as a visible escape, never obeyed."""
    from d2l_doctor.textsafe import visible

    return visible(str(text))


def machines_label(n: int, lang: str) -> str:
    return t("fleet.group.machine", lang) if n == 1 else t("fleet.group.machines", lang, n=n)


def finding_title(group: Group, fid: str, lang: str) -> str:
    """The finding's title in `lang` from the first machine's params; the report's own words for an id this
    version does not know."""
    from d2l_doctor.i18n import has
    from d2l_doctor.render.wording import say

    info = next((f for f in group.detail.findings if f.id == fid), None)
    key = f"finding.{fid}.title"
    if has(key):
        return clean(say(key, lang, **(info.params if info else {})))
    return clean(info.title if info else fid)


def problems(group: Group) -> list[str]:
    """The group's finding ids worth a headline: errors and warnings first; info only when nothing else."""
    rank = {"crash": 0, "error": 1, "warning": 2, "info": 3}
    infos = sorted({f.id: f for f in group.detail.findings}.values(), key=lambda f: rank.get(f.severity, 4))
    serious = [f.id for f in infos if f.severity != "info"]
    return serious


def headline(group: Group, lang: str) -> str:
    """"23 machines: torchvision 0.20.1 … beside torch 2.5.1+cu124"."""
    ids = problems(group)
    words = "; ".join(finding_title(group, fid, lang) for fid in ids) if ids else t("fleet.group.healthy", lang)
    return f"{machines_label(len(group.machines), lang)}: {words}"


def stack_value(value: Optional[str], lang: str) -> str:
    if value == NONE:
        return t("fleet.none", lang)
    return clean(value) if value else t("fleet.unknown", lang)


def stack_text(stack: tuple[Optional[str], ...], lang: str) -> str:
    return ", ".join(
        f"{t(f'fleet.stack.{key}', lang)} {stack_value(value, lang)}" for key, value in zip(STACK_KEYS, stack)
    )


def fix_lines(group: Group) -> list[str]:
    from d2l_doctor.fixes.shell import quote_argv

    return [clean(quote_argv(argv, "bash")) for argv in group.detail.fix]


def severity_word(table: FleetTable, fid: str, lang: str) -> str:
    return t(f"fleet.severity.{table.severity.get(fid, 'info')}", lang)


def summary(table: FleetTable, lang: str) -> str:
    n = len(table.machines)
    return t(
        "fleet.summary",
        lang,
        machines=n,
        healthy=table.healthy,
        problems=n - table.healthy,
        unreadable=len(table.unreadable),
    )


def status_word(ok: bool, lang: str) -> str:
    return t("fleet.status.ok" if ok else "fleet.status.problem", lang)
