"""The rules: pure functions of (Snapshot, Matrix) that return Findings, one concern each, grouped by subject
(gpu, cuda, python_env, torch_stack, libs, jupyter, d2l). `evaluate` runs them all; a rule that raises becomes
a `rule-crashed` finding. `recommend_torch` picks the torch build this machine should install."""

from __future__ import annotations

from d2l_doctor.rules.recommend import TorchRecommendation, recommend_python, recommend_torch
from d2l_doctor.rules.registry import CRASH_ID, RULES, Rule, all_finding_ids, evaluate, sort_findings

__all__ = [
    "CRASH_ID",
    "RULES",
    "Rule",
    "TorchRecommendation",
    "all_finding_ids",
    "evaluate",
    "recommend_python",
    "recommend_torch",
    "sort_findings",
]
