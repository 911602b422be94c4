"""A Diagnosis put into words once, for the console and the Markdown report: areas in checklist order,
each with its status, one-line summary, findings (title, cause, evidence, fix commands for the user's shell)
and facts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor.fixes.commands import action_argv, jupyter_argv, target_python
from d2l_doctor.fixes.shell import quote_argv
from d2l_doctor.i18n import has, t
from d2l_doctor.models import Area, Finding, FixAction, FixKind, Problem, Quote, Severity, Snapshot, Source
from d2l_doctor.render import details, known
from d2l_doctor.render import facts as facts_mod
from d2l_doctor.render.facts import Fact
from d2l_doctor.render.wording import phrase, say
from d2l_doctor.version import __version__

if TYPE_CHECKING:
    from d2l_doctor.diagnose import Diagnosis
    from d2l_doctor.matrix import Matrix

OK, WARNING, ERROR, UNKNOWN = "ok", "warning", "error", "unknown"


@dataclass(frozen=True)
class FixView:
    kind: FixKind
    argv: tuple[str, ...]  # what `fix` would run (empty for a manual step)
    command: Optional[str]  # argv quoted for the shell, to paste; None for a manual step
    text: Optional[str]  # a manual step: what to do
    url: Optional[str]


@dataclass(frozen=True)
class EvidenceView:
    key: str  # the rule's evidence key, as in --json
    label: str  # in words, in the report's language
    text: str  # the fact in full


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    title: str
    detail: str
    evidence: tuple[EvidenceView, ...]
    fixes: tuple[FixView, ...]

    @property
    def brief(self) -> bool:
        """Notes (info) need no action: one line unless -v."""
        return self.finding.severity is Severity.INFO


@dataclass(frozen=True)
class AreaView:
    area: Area
    name: str
    status: str  # ok | warning | error | unknown
    summary: str
    findings: tuple[FindingView, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class ReportView:
    lang: str
    shell: str
    header: str
    areas: tuple[AreaView, ...]
    problems: tuple[Fact, ...]  # probe -> why it could not collect
    counts: str
    exit_code: int
    matrix: str = ""  # which compatibility table judged it: its file, review date and newest torch (-v)


def build(diagnosis: Diagnosis, lang: str, shell: str) -> ReportView:
    from d2l_doctor.models import exit_code_for

    snapshot = diagnosis.snapshot
    findings = tuple(diagnosis.findings)
    areas = tuple(_area_view(snapshot, area, findings, lang, shell) for area in Area)
    problems = tuple(
        (problem_label(probe, lang), problem_text(why, lang))
        for probe, why in sorted(snapshot.problems.items())
    )
    return ReportView(
        lang,
        shell,
        header(snapshot, lang),
        areas,
        problems,
        counts(findings, len(areas), lang),
        exit_code_for(findings),
        matrix_line(diagnosis.matrix, lang),
    )


def matrix_line(m: Optional[Matrix], lang: str) -> str:
    if m is None:  # a diagnosis put together without a table (renderer scenarios)
        return ""
    return say(
        "matrix.verbose", lang, file=m.path.name, reviewed=m.reviewed, newest_torch=m.newest_known_torch()
    )


def header(snapshot: Snapshot, lang: str) -> str:
    python = snapshot.python
    if snapshot.source != "live":
        source = (
            t(f"ui.source.{snapshot.source}", lang)
            if has(f"ui.source.{snapshot.source}")
            else snapshot.source
        )
        text = say("ui.header.report", lang, version=__version__, source=source)
        executable = known.python_executable(snapshot)
        if executable is not None:  # collect_env does not name the interpreter
            text += t("ui.sep", lang) + say("ui.header.report_python", lang, python=executable)
        return text
    if python is None:
        return say("ui.header.no_python", lang, version=__version__)
    chosen = facts_mod.chosen_by_text(python.chosen_by, lang)
    return say("ui.header.live", lang, version=__version__, python=python.executable, chosen=chosen)


def _area_view(
    snapshot: Snapshot, area: Area, findings: tuple[Finding, ...], lang: str, shell: str
) -> AreaView:
    mine = tuple(f for f in findings if f.area is area)
    unknown = facts_mod.area_unknown(snapshot, area)
    return AreaView(
        area=area,
        name=t(f"ui.area.{area.value}", lang),
        status=area_status(mine, unknown),
        summary=facts_mod.summary(snapshot, area, lang),
        findings=tuple(finding_view(f, snapshot, lang, shell) for f in mine),
        facts=tuple(details.facts(snapshot, area, lang)),
    )


def area_status(findings: tuple[Finding, ...], unknown: bool) -> str:
    severities = {f.severity for f in findings}
    if severities & {Severity.ERROR, Severity.CRASH}:
        return ERROR
    if Severity.WARNING in severities:
        return WARNING
    if unknown or any(f.undecided for f in findings):
        return UNKNOWN
    return OK


def finding_view(f: Finding, snapshot: Snapshot, lang: str, shell: str) -> FindingView:
    return FindingView(
        finding=f,
        title=finding_title(f, lang),
        detail=finding_detail(f, lang),
        evidence=tuple(
            EvidenceView(
                str(k), evidence_label(str(k), lang), evidence_text(source_words(str(k), v, lang), lang)
            )
            for k, v in f.evidence.items()
        )
        + tuple(quote_view(q, lang) for q in f.quotes),
        fixes=tuple(fix_view(a, snapshot, shell, lang) for a in f.fixes),
    )


def quote_view(q: Quote, lang: str) -> EvidenceView:
    """A line of the paste the finding rests on: "line 12 (inferred from)" and the line as pasted."""
    label = t("ui.quote.line", lang, line=q.line) if q.line is not None else t("ui.quote.paste", lang)
    if q.source is Source.INFERENCE:
        label += t("ui.quote.inferred", lang)
    return EvidenceView("quote", label, " ".join(q.text.split()))  # a console's alignment folded


# Evidence that cites where the matrix took a fact from; the matrix writes its sources as "[tag] detail".
_SOURCE_KEYS = ("from", "arch list from")
_SOURCE_TAG = re.compile(r"\[([A-Za-z0-9.-]+)\]\s*")


def source_words(key: str, value: Any, lang: str) -> Any:
    """A matrix source with its internal tags ("[PyPI-arch]", "[builder]") said in words a learner reads."""
    if key not in _SOURCE_KEYS or not isinstance(value, str):
        return value

    def words(match: re.Match[str]) -> str:
        message = "ui.src." + match.group(1).lower()
        return t(message, lang) + " " if has(message) else ""

    return _SOURCE_TAG.sub(words, value).strip()


def finding_title(f: Finding, lang: str) -> str:
    key = f"finding.{f.id}.title"
    return say(key, lang, **f.params) if has(key) else f.id


def finding_detail(f: Finding, lang: str) -> str:
    key = f"finding.{f.id}.detail"
    return say(key, lang, **f.params) if has(key) else ""


def evidence_message(key: str) -> str:
    """The catalogue id of an evidence key's label: "driver max CUDA" -> "ui.ev.driver_max_cuda"."""
    return "ui.ev." + re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")


def evidence_label(key: str, lang: str) -> str:
    """The catalogue's words for an evidence key ("driver max CUDA"). Every key the rules write has a label
    (the zh-words test holds them to it); a key without one still shows, as it is, rather than vanish."""
    message = evidence_message(key)
    return t(message, lang) if has(message) else key


def evidence_text(value: Any, lang: str = "en") -> str:
    """A fact in words: not known (None), none (an empty list), yes/no, or the value itself."""
    if value is None or value == "":
        return t("ui.val.unknown", lang)
    if isinstance(value, bool):
        return t("ui.val.yes" if value else "ui.val.no", lang)
    if isinstance(value, str):
        return phrase(value, lang)
    if isinstance(value, (list, tuple)):
        if not value:
            return t("ui.val.none", lang)
        return t("ui.list_sep", lang).join(evidence_text(v, lang) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def problem_label(probe: str, lang: str) -> str:
    """The part a probe or report could not collect, in words ("cuda_toolkits" -> "CUDA toolkit")."""
    message = f"ui.problem.{probe}"
    return t(message, lang) if has(message) else probe


def problem_text(why: Problem, lang: str) -> str:
    """Why it could not be collected, in the report's language (a quoted system error stays as it is)."""
    params = {k: str(v) for k, v in why.params.items()}
    inner = params.get("why")
    if inner is not None and has(inner):  # a message that wraps another one's id
        params["why"] = t(inner, lang)
    return t(why.message, lang, **params) if has(why.message) else params.get("error", why.message)


def fix_view(action: FixAction, snapshot: Snapshot, shell: str, lang: str) -> FixView:
    if action.kind is FixKind.MANUAL:
        text = t(action.message, lang) if action.message else None
        return FixView(action.kind, (), None, text, action.url)
    python = target_python(snapshot)
    argv = action_argv(action, python=python, conda=snapshot.conda, jupyter=jupyter_argv(snapshot))
    return FixView(action.kind, argv, quote_argv(argv, shell), None, action.url)


def counts(findings: tuple[Finding, ...], n_areas: int, lang: str) -> str:
    errors = sum(f.severity in (Severity.ERROR, Severity.CRASH) for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    notes = sum(f.severity is Severity.INFO for f in findings)
    text = t(
        "ui.count.line",
        lang,
        errors=_plural("ui.count.error", errors, lang),
        warnings=_plural("ui.count.warning", warnings, lang),
        notes=_plural("ui.count.note", notes, lang),
        areas=n_areas,
    )
    undecided = sum(f.undecided for f in findings)
    if undecided:
        text += t("ui.count.undecided", lang, n=undecided)
    return text


def _plural(key: str, n: int, lang: str) -> str:
    return t(f"{key}.one" if n == 1 else f"{key}.other", lang, n=n)
