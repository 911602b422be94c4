"""`check -v` lists what an import printed (its warnings), one line each, under that import's result."""

from __future__ import annotations

from dataclasses import replace

import pytest

from d2l_doctor.models import Area, ImportResult
from d2l_doctor.render import details
from tests.rules.snap import cpu_machine

WARNING = "UserWarning: Failed to initialize NumPy: _ARRAY_API not found"


@pytest.mark.parametrize(("lang", "label"), [("en", "import torch warned"), ("zh", "import torch 时的警告")])
def test_an_imports_warnings_follow_its_result(lang: str, label: str) -> None:
    snap = cpu_machine()
    torch = ImportResult(
        "torch", ok=True, seconds=1.0, warnings=(WARNING, "A module that was compiled " + "x" * 400)
    )
    facts = details.facts(replace(snap, imports={**snap.imports, "torch": torch}), Area.TORCH, lang)
    labels = [what for what, _ in facts]
    at = labels.index("import torch")
    assert facts[at + 1] == (label, WARNING)
    assert facts[at + 2][0] == label and len(facts[at + 2][1]) == 300  # cut short, as the evidence is


def test_an_import_that_printed_nothing_adds_no_line() -> None:
    facts = details.facts(cpu_machine(), Area.TORCH, "en")
    assert not any("warned" in what for what, _ in facts)
