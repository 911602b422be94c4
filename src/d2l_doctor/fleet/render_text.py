"""`fleet report` on the console (plain aligned text: fast for thousands of rows, no markup from reports) and as
Markdown (tables to paste into a course forum or an issue)."""

from __future__ import annotations

from collections.abc import Iterator

from d2l_doctor.fleet.reading import STACK_KEYS
from d2l_doctor.fleet.table import FleetTable
from d2l_doctor.fleet.view import (
    clean,
    fix_lines,
    headline,
    machines_label,
    severity_word,
    stack_text,
    stack_value,
    status_word,
    summary,
)
from d2l_doctor.i18n import t
from d2l_doctor.render.columns import rows as columns


def console(table: FleetTable, lang: str) -> Iterator[str]:
    yield t("fleet.title", lang)
    yield summary(table, lang)
    groups = table.groups
    if groups:
        yield ""
        yield t("fleet.groups", lang)
        for n, group in enumerate(groups, 1):
            yield f"{n:>3}. {headline(group, lang)}"
            yield f"     {t('fleet.group.stack', lang)}: {stack_text(group.stack, lang)}"
            if not group.ok or group.detail.fix:
                lines = fix_lines(group) or [t("fleet.group.no_fix", lang)]
                yield f"     {t('fleet.group.fix', lang)}: {lines[0]}"
                for line in lines[1:]:
                    yield f"          {line}"
            yield f"     {t('fleet.group.names', lang)}: {_names(group.machines)}"
    counts = table.finding_counts()
    if counts:
        yield ""
        yield t("fleet.counts", lang)
        yield from columns([[fid, f"{count:>6}", severity_word(table, fid, lang)] for fid, count in counts])
    if table.machines:
        yield ""
        yield t("fleet.machines", lang)
        yield from _machine_rows(table, lang)
    if table.unreadable:
        yield ""
        yield t("fleet.unreadable", lang)
        for u in table.unreadable:
            yield f"  {clean(u.name)}: {clean(u.why)}"
    if any(g.detail.fix for g in groups):
        yield ""
        yield t("fleet.python_note", lang)


def _names(names: list[str], most: int = 12) -> str:
    shown = ", ".join(clean(n) for n in names[:most])
    return shown if len(names) <= most else f"{shown}, … (+{len(names) - most})"


def _machine_rows(table: FleetTable, lang: str) -> Iterator[str]:
    heads = [t("fleet.col.name", lang), t("fleet.col.status", lang)]
    heads += [t(f"fleet.stack.{k}", lang) for k in STACK_KEYS] + [t("fleet.col.findings", lang)]
    rows = [
        [clean(m.name), status_word(m.ok, lang)]
        + [stack_value(v, lang) for v in m.stack]
        + [", ".join(m.findings) or t("fleet.no_findings", lang)]
        for m in table.machines
    ]
    yield from columns([heads, *rows])


def _md(text: str) -> str:
    """A Markdown table cell: no pipes, no line breaks, no HTML, backticks kept literal."""
    return (
        clean(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
        .replace("`", "\\`").replace("*", "\\*").replace("_", "\\_")
    )


def markdown(table: FleetTable, lang: str) -> Iterator[str]:
    yield f"# {t('fleet.title', lang)}"
    yield ""
    yield summary(table, lang)
    groups = table.groups
    if groups:
        yield ""
        yield f"## {t('fleet.groups', lang)}"
        for n, group in enumerate(groups, 1):
            yield ""
            yield f"{n}. **{_md(headline(group, lang))}**"
            yield f"   - {t('fleet.group.stack', lang)}: {_md(stack_text(group.stack, lang))}"
            for line in fix_lines(group):
                fence = "``" if "`" in line else "`"
                yield f"   - {t('fleet.group.fix', lang)}: {fence} {line} {fence}"
            yield f"   - {t('fleet.group.names', lang)}: {_md(_names(group.machines, 50))}"
    counts = table.finding_counts()
    if counts:
        yield ""
        yield f"## {t('fleet.counts', lang)}"
        yield ""
        yield f"| {t('fleet.col.finding', lang)} | {t('fleet.col.severity', lang)} | {t('fleet.col.count', lang)} |"
        yield "|---|---|---:|"
        for fid, count in counts:
            yield f"| `{fid}` | {severity_word(table, fid, lang)} | {count} |"
    if table.machines:
        yield ""
        yield f"## {machines_label(len(table.machines), lang)}"
        yield ""
        heads = [t("fleet.col.name", lang), t("fleet.col.status", lang)]
        heads += [t(f"fleet.stack.{k}", lang) for k in STACK_KEYS] + [t("fleet.col.findings", lang)]
        yield "| " + " | ".join(heads) + " |"
        yield "|" + "---|" * len(heads)
        for m in table.machines:
            cells = [_md(m.name), status_word(m.ok, lang)] + [_md(stack_value(v, lang)) for v in m.stack]
            cells.append(_md(", ".join(m.findings)) or t("fleet.no_findings", lang))
            yield "| " + " | ".join(cells) + " |"
    if table.unreadable:
        yield ""
        yield f"## {t('fleet.unreadable', lang)}"
        yield ""
        yield f"| {t('fleet.col.name', lang)} | {t('fleet.col.why', lang)} |"
        yield "|---|---|"
        for u in table.unreadable:
            yield f"| {_md(u.name)} | {_md(u.why)} |"
    if any(g.detail.fix for g in groups):
        yield ""
        yield t("fleet.python_note", lang)
