"""The corpus of real pastes (issue 12): well-formed, and read well enough.

The bar: at least 95% of the labelled problems found, and no error-level finding on a healthy report. The
score per class is `python bench/score_corpus.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from d2l_doctor.rules import all_finding_ids
from tests.corpus.scoring import CLASSES, CORPUS, LANGS, PASTES, describe_miss, load_cases, run_case, table

RECALL_BAR = 0.95
MIN_CASES = 80


@pytest.fixture(scope="module")
def cases():
    return load_cases()


def test_cases_are_well_formed(cases) -> None:
    known = set(all_finding_ids())
    files = Counter(c.file for c in cases)
    assert [f for f, n in files.items() if n > 1] == []
    for c in cases:
        assert c.path.is_file(), c.file
        assert c.cls in CLASSES, (c.file, c.cls)
        assert c.lang in LANGS, (c.file, c.lang)
        assert c.source.startswith("https://"), c.file
        assert c.cause.strip(), c.file
        for item in c.expect:
            ids = [item] if isinstance(item, str) else item
            assert ids and set(ids) <= known, (c.file, ids)
    assert sorted(p.name for p in PASTES.iterdir()) == sorted(files)


def test_no_case_comes_from_a_thread_the_other_tests_use(cases) -> None:
    """The corpus measures pastes the reader was not written against: no thread cited anywhere else in tests/."""
    tests = Path(__file__).resolve().parent.parent
    elsewhere = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in tests.rglob("*")
        if p.is_file() and p.suffix in {".md", ".txt", ".py", ".json"} and CORPUS not in p.parents
    )
    reused = [c.file for c in cases if re.search(re.escape(c.source.split()[0]) + r"(?!\d)", elsewhere)]
    assert reused == []


def test_recall_and_no_false_alarms(cases) -> None:
    outcomes = [run_case(c) for c in cases]
    total = table(outcomes, "class")[-1]
    bad = [o for o in outcomes if o.missed or o.false_alarms]
    report = "\n".join(describe_miss(o) for o in bad)
    assert len(cases) >= MIN_CASES
    assert total.recall is not None
    assert total.recall >= RECALL_BAR and total.false_alarms == 0, (
        f"recall {total.found}/{total.labelled} = {100 * total.recall:.1f}% (bar {100 * RECALL_BAR:.0f}%), "
        f"{total.false_alarms} false alarm(s), {total.unread} unread:\n{report}"
    )
