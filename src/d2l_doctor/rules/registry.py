"""The rule registry and `evaluate`: every rule runs, a rule that raises becomes a CRASH finding (never
propagates), and the findings come back sorted by area, then severity."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Union

from d2l_doctor.models import Area, Finding, Severity, Snapshot
from d2l_doctor.rules.evidence import attach_evidence

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

RuleResult = Union[Finding, Iterable[Finding], None]
RuleFn = Callable[[Snapshot, "Matrix"], RuleResult]

CRASH_ID = "rule-crashed"
_AREA_ORDER = {area: i for i, area in enumerate(Area)}


@dataclass(frozen=True)
class Rule:
    id: str  # the concern, e.g. "driver-too-old"
    area: Area
    emits: tuple[str, ...]  # every finding id the rule can return
    fn: RuleFn


RULES: list[Rule] = []


def rule(rule_id: str, area: Area, also: tuple[str, ...] = ()) -> Callable[[RuleFn], RuleFn]:
    """Register a rule: `rule_id` is its main finding id, `also` the other ids it may emit."""

    def register(fn: RuleFn) -> RuleFn:
        if any(r.id == rule_id for r in RULES):
            raise RuntimeError(f"rule {rule_id!r} registered twice")
        RULES.append(Rule(rule_id, area, (rule_id, *also), fn))
        return fn

    return register


def all_finding_ids() -> tuple[str, ...]:
    """Every id any rule can emit, plus the crash finding."""
    load_rules()
    ids = [CRASH_ID]
    for r in RULES:
        ids += [i for i in r.emits if i not in ids]
    return tuple(ids)


def evaluate(snapshot: Snapshot, matrix: Matrix, only: Optional[Iterable[str]] = None) -> list[Finding]:
    """Run every rule (or those whose id is in `only`); the findings come sorted by area, then severity."""
    load_rules()
    wanted = set(only) if only is not None else None
    findings: list[Finding] = []
    for r in RULES:
        if wanted is not None and r.id not in wanted:
            continue
        findings += run_rule(r, snapshot, matrix)
    if wanted is None:
        findings = _stated(findings, snapshot, matrix)
    return sort_findings(attach_evidence(f, snapshot) for f in findings)


def _stated(findings: list[Finding], snapshot: Snapshot, matrix: Matrix) -> list[Finding]:
    """What the tools said decides (rules/stated.py); a crash there is a result, as any rule's."""
    from d2l_doctor.rules import stated

    areas = {fid: r.area for r in RULES for fid in r.emits}
    try:
        return stated.complete(findings, snapshot, matrix, areas)
    except Exception as exc:  # noqa: BLE001 - a crash is a result, reported and never fatal
        error = f"{type(exc).__name__}: {exc}"
        crash = Finding(
            id=CRASH_ID,
            severity=Severity.CRASH,
            area=Area.TORCH,
            params={"rule": "stated", "error": error},
            evidence={"rule": "stated", "exception": error, "traceback": traceback.format_exc(limit=8)},
        )
        return [*findings, crash]


def run_rule(r: Rule, snapshot: Snapshot, matrix: Matrix) -> list[Finding]:
    try:
        result = r.fn(snapshot, matrix)
        if result is None:
            return []
        return [result] if isinstance(result, Finding) else list(result)
    except Exception as exc:  # noqa: BLE001 - a crash is a result, reported and never fatal
        error = f"{type(exc).__name__}: {exc}"
        return [
            Finding(
                id=CRASH_ID,
                severity=Severity.CRASH,
                area=r.area,
                params={"rule": r.id, "error": error},
                evidence={"rule": r.id, "exception": error, "traceback": traceback.format_exc(limit=8)},
            )
        ]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    # sorted() is stable: within an area and severity, rules keep their registration order.
    return sorted(findings, key=lambda f: (_AREA_ORDER[f.area], f.severity.rank))


# In report order: rules of one area and severity keep this order in the output.
_MODULES = ("gpu", "cuda", "python_env", "torch_stack", "horizon", "libs", "jupyter", "d2l", "book")


def load_rules() -> None:
    """Import the rule modules (once: Python caches them); each registers its rules on import."""
    import importlib

    for name in (*_MODULES, "stated"):  # stated: what the tools said, applied after the rules
        importlib.import_module(f"d2l_doctor.rules.{name}")
