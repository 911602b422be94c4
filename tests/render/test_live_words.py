"""A live check speaks of this machine, never of "the report" (issue 12): what it could not examine has its
own words, and Jupyter's line looks at Jupyter, not at a jinja2 that something else pulled in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.matrix import load_matrix
from d2l_doctor.models import Area
from d2l_doctor.render import facts, view
from d2l_doctor.rules import evaluate
from tests.rules.snap import cpu_machine, with_packages


@pytest.mark.parametrize(
    ("lang", "report_word", "absent"), [("en", "report", "not installed"), ("zh", "报告", "未安装")]
)
def test_a_venv_without_jupyter_says_so_without_a_report(lang: str, report_word: str, absent: str) -> None:
    snapshot = with_packages(cpu_machine(), jinja2="3.1.4")
    assert snapshot.source == "live"
    assert absent in facts.summary(snapshot, Area.JUPYTER, lang)
    matrix = load_matrix()
    lines: list[str] = []
    report = view.build(Diagnosis(snapshot, tuple(evaluate(snapshot, matrix)), matrix), lang, "bash")
    for area in report.areas:
        lines.append(area.summary)
        lines += [f"{f.title} {f.detail}" for f in area.findings]
    assert not [line for line in lines if report_word in line]


def test_an_area_a_live_check_could_not_examine() -> None:
    snapshot = replace(with_packages(cpu_machine(), d2l=None), unknown=("packages.d2l",))
    assert facts.summary(snapshot, Area.D2L, "en") == "d2l could not be examined"
    assert facts.summary(snapshot, Area.D2L, "zh") == "无法检查 d2l"
    assert facts.summary(replace(snapshot, source="collect_env"), Area.D2L, "en") == "d2l not in the report"
