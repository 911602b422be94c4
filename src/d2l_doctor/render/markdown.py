"""`check --markdown`: a report to paste into a forum post or an issue.

The findings come first, each with its cause, evidence and the commands in code blocks; then the facts of
every area in a collapsed `<details>` block. Home folders, user and host names, GPU UUIDs and serials are
taken out (redact.py) of every string before it is written.
"""

from __future__ import annotations

import re
from typing import Callable

from d2l_doctor.i18n import t
from d2l_doctor.models import Severity
from d2l_doctor.render.marks import Marks
from d2l_doctor.render.redact import Redactor
from d2l_doctor.render.view import ERROR, OK, UNKNOWN, WARNING, FindingView, ReportView

_FENCE_LANG = {"bash": "bash", "powershell": "powershell", "cmd": "bat"}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")


def render(view: ReportView, marks: Marks, redactor: Callable[[str], str] | None = None) -> str:
    """The report as Markdown. redactor: how strings are cleaned (default: this machine's details, and the
    user names the report's own paths show: a first pass over every string learns them)."""
    clean = redactor or Redactor()
    learn = getattr(clean, "learn", None)
    if learn is not None:
        render(view, marks, learn)
    lang = view.lang
    colon = t("ui.colon", lang)

    def prose(text: str) -> str:
        # Inline code the catalogue writes (`pip check`) stays code; everything else is escaped.
        parts = _CODE_SPAN.split(clean(text))
        return "".join(part if i % 2 else _SPECIAL.sub(r"\\\1", part) for i, part in enumerate(parts))

    out: list[str] = [
        f"### {t('ui.md.title', lang)}",
        "",
        prose(view.header),
        "",
        f"**{prose(view.counts)}**",
        "",
    ]
    actionable = [(a.name, f) for a in view.areas for f in a.findings if not f.brief]
    notes = [(a.name, f) for a in view.areas for f in a.findings if f.brief]
    for area_name, f in actionable:
        out += _finding(f, area_name, marks, view.shell, lang, prose, clean)
    if notes:
        out += [f"**{t('ui.md.notes', lang)}**", ""]
        for area_name, f in notes:
            out.append(f"- {prose(f.title)} (`{f.finding.id}`, {prose(area_name)})")
        out.append("")
    if not actionable and not notes:
        out += [t("ui.md.no_findings", lang), ""]

    out += ["<details>", f"<summary>{prose(t('ui.md.facts', lang))}</summary>", ""]
    if view.matrix:
        out += [prose(view.matrix), ""]
    status_mark = {OK: marks.ok, WARNING: marks.warning, ERROR: marks.error, UNKNOWN: marks.unknown}
    for area in view.areas:
        out.append(f"- {status_mark[area.status]} **{prose(area.name)}**{colon}{prose(area.summary)}")
        for label, value in area.facts:
            out.append(f"  - {prose(label)}{colon}{_code(clean(value))}")
    if view.problems:
        out += ["", f"**{prose(t('ui.label.problems', lang))}**", ""]
        for probe, why in view.problems:
            out.append(f"- {prose(probe)}{colon}{_code(clean(why))}")
    out += ["", "</details>", ""]
    return "\n".join(out)


def _finding(
    f: FindingView,
    area_name: str,
    marks: Marks,
    shell: str,
    lang: str,
    prose: Callable[[str], str],
    clean: Callable[[str], str],
) -> list[str]:
    severity = f.finding.severity
    mark = (
        marks.item_unknown
        if f.finding.undecided
        else (marks.item_warning if severity is Severity.WARNING else marks.item_error)
    )
    colon = t("ui.colon", lang)
    out = [f"#### {mark} {prose(f.title)}", "", f"`{f.finding.id}` · {prose(area_name)}", ""]
    if f.finding.undecided:
        out += [f"*{prose(t('ui.label.undecided', lang))}*", ""]
    if f.detail:
        out += [prose(f.detail), ""]
    if f.evidence:
        out += [f"{prose(t('ui.label.evidence', lang))}{colon.rstrip()}", ""]
        out += _fenced("\n".join(f"{e.label}{colon}{e.text}" for e in f.evidence), "text", clean)
    if f.fixes:
        out += [f"{prose(t('ui.label.fix', lang))}{colon.rstrip()}", ""]
    # In order: runs of commands share a code block, a manual step (install a driver) stands between them.
    commands: list[str] = []
    for fix in f.fixes:
        if fix.command is not None:
            commands.append(fix.command)
            continue
        if commands:
            out += _fenced("\n".join(commands), _FENCE_LANG.get(shell, ""), clean)
            commands = []
        text = prose(fix.text or "")
        out += [f"- {text} <{fix.url}>" if fix.url else f"- {text}", ""]
    if commands:
        out += _fenced("\n".join(commands), _FENCE_LANG.get(shell, ""), clean)
    return out


def _fenced(body: str, info: str, clean: Callable[[str], str]) -> list[str]:
    """A fenced code block, its fence longer than any run of backticks inside it."""
    body = clean(body)
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", body, fence, ""]


def _code(text: str) -> str:
    """Inline code that survives backticks in the text; multi-line values are joined with " / "."""
    text = " / ".join(ln.strip() for ln in text.splitlines() if ln.strip()) or " "
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"
