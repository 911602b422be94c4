"""Score `check --from-report` on the corpus of real pastes (tests/corpus/cases.yaml, see README.md there).

Used by `tests/corpus/test_corpus.py` (the bar) and `bench/score_corpus.py` (the table). A case is read the way
`d2l-doctor check --from-report FILE` reads it: `ingest.read_report`, then `rules.evaluate` with the bundled
matrix (or, with `via_cli`, the command itself with `--json`, one process per case).
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Union

import yaml

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

CORPUS = Path(__file__).resolve().parent
CASES_FILE = CORPUS / "cases.yaml"
PASTES = CORPUS / "pastes"

CLASSES = ("collect_env", "warning", "traceback", "pip", "conda", "nvidia-smi", "log", "prose", "mixed")
LANGS = ("en", "zh", "mixed")
ERROR_LEVELS = ("error", "crash")
KEYS = ("file", "source", "class", "lang", "cause", "expect", "healthy")

# One expected item: a finding id, or a list of ids of which any one will do (a paste that cannot tell them apart).
Expect = Union[str, list[str]]


@dataclass(frozen=True)
class Case:
    file: str
    source: str
    cls: str
    lang: str
    cause: str
    expect: tuple[Expect, ...]
    healthy: bool
    pastes: Path = PASTES  # another corpus (a held-out set kept out of the repository) keeps its own folder

    @property
    def path(self) -> Path:
        return self.pastes / self.file


@dataclass
class Outcome:
    case: Case
    read: bool
    ids: dict[str, str] = field(default_factory=dict)  # finding id -> severity
    error: str = ""  # why it could not be read (exit 2)

    def satisfied(self, item: Expect) -> bool:
        wanted = [item] if isinstance(item, str) else item
        return any(i in self.ids for i in wanted)

    @property
    def missed(self) -> list[Expect]:
        return [e for e in self.case.expect if not self.satisfied(e)]

    @property
    def found(self) -> int:
        return len(self.case.expect) - len(self.missed)

    @property
    def false_alarms(self) -> list[str]:
        if not self.case.healthy:
            return []
        return sorted(i for i, sev in self.ids.items() if sev in ERROR_LEVELS)

    @property
    def other_errors(self) -> list[str]:
        """Error-level findings on a problem case that no expected item names (a precision signal, not the bar:
        a paste may hold a second real problem its thread did not discuss)."""
        if self.case.healthy:
            return []
        named = {i for item in self.case.expect for i in ([item] if isinstance(item, str) else item)}
        return sorted(i for i, sev in self.ids.items() if sev in ERROR_LEVELS and i not in named)


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list of cases")
    cases = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) != set(KEYS):
            raise ValueError(f"{path}: case {n} must have exactly the keys {', '.join(KEYS)}")
        expect = item["expect"] or []
        cases.append(
            Case(
                file=str(item["file"]),
                source=str(item["source"]),
                cls=str(item["class"]),
                lang=str(item["lang"]),
                cause=str(item["cause"]),
                expect=tuple(e if isinstance(e, str) else [str(x) for x in e] for e in expect),
                healthy=bool(item["healthy"]),
                pastes=path.parent / "pastes",
            )
        )
    return cases


@functools.lru_cache(maxsize=1)
def _bundled_matrix() -> Matrix:
    """The bundled matrix, parsed once for the whole corpus (as one `check` run parses it once)."""
    from d2l_doctor.matrix import load_matrix

    return load_matrix(None)


def _run_api(case: Case) -> Outcome:
    from d2l_doctor.errors import UsageError
    from d2l_doctor.ingest import read_report
    from d2l_doctor.rules import evaluate

    try:
        snapshot = read_report(str(case.path))
    except UsageError as exc:
        return Outcome(case, read=False, error=str(exc))
    findings = evaluate(snapshot, _bundled_matrix())
    return Outcome(case, read=True, ids=_worst([(f.id, f.severity.value) for f in findings]))


def _worst(findings_list: list[tuple[str, str]]) -> dict[str, str]:
    """One severity per id: the most severe one (an id may be given twice, e.g. for two GPUs)."""
    rank = {"crash": 0, "error": 1, "warning": 2, "info": 3}
    out: dict[str, str] = {}
    for fid, sev in findings_list:
        if fid not in out or rank.get(sev, 9) < rank.get(out[fid], 9):
            out[fid] = sev
    return out


def _run_cli(case: Case) -> Outcome:
    argv = [sys.executable, "-m", "d2l_doctor", "check", "--from-report", str(case.path), "--json"]
    proc = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=120)
    if proc.returncode == 2:
        return Outcome(case, read=False, error=proc.stderr.strip())
    doc = json.loads(proc.stdout)
    pairs = [(f["id"], f["severity"]) for f in doc.get("findings", [])]
    return Outcome(case, read=True, ids=_worst(pairs))


def run_case(case: Case, via_cli: bool = False) -> Outcome:
    return _run_cli(case) if via_cli else _run_api(case)


@dataclass
class Row:
    name: str
    cases: int = 0
    labelled: int = 0
    found: int = 0
    false_alarms: int = 0
    other_errors: int = 0
    unread: int = 0

    @property
    def recall(self) -> Optional[float]:
        return self.found / self.labelled if self.labelled else None

    def add(self, o: Outcome) -> None:
        self.cases += 1
        self.labelled += len(o.case.expect)
        self.found += o.found
        self.false_alarms += 1 if o.false_alarms else 0
        self.other_errors += 1 if o.other_errors else 0
        self.unread += 0 if o.read else 1

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "cases": self.cases,
            "labelled": self.labelled,
            "found": self.found,
            "recall": self.recall,
            "false_alarms": self.false_alarms,
            "other_errors": self.other_errors,
            "could_not_read": self.unread,
        }


def table(outcomes: list[Outcome], key: str) -> list[Row]:
    """Rows by `key` ("class" or "lang") in a fixed order, then the total."""
    order = CLASSES if key == "class" else LANGS
    rows = {name: Row(name) for name in order}
    total = Row("total")
    for o in outcomes:
        rows[o.case.cls if key == "class" else o.case.lang].add(o)
        total.add(o)
    return [r for r in rows.values() if r.cases] + [total]


def format_table(rows: list[Row], key: str) -> str:
    head = f"| {key} | cases | labelled problems | found | recall | false alarms | other errors | could not read |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        recall = "—" if r.recall is None else f"{100 * r.recall:.0f}%"
        name = f"**{r.name}**" if r.name == "total" else r.name
        cells = [name, r.cases, r.labelled, r.found, recall, r.false_alarms, r.other_errors, r.unread]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def describe_miss(o: Outcome) -> str:
    """One line per failing case: what was expected, what came out."""
    got = ", ".join(f"{i}({s})" for i, s in sorted(o.ids.items())) or "no findings"
    if not o.read:
        got = f"could not read: {o.error}"
    parts = []
    if o.missed:
        parts.append("missed " + ", ".join("|".join(m) if isinstance(m, list) else m for m in o.missed))
    if o.false_alarms:
        parts.append("false alarm " + ", ".join(o.false_alarms))
    if o.other_errors:
        parts.append("other error " + ", ".join(o.other_errors))
    return f"{o.case.file}: {'; '.join(parts)} — got {got} [{o.case.source}]"
