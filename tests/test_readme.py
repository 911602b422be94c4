"""The README's promises: the two fresh-machine commands come first, and every finding id is explained."""

from __future__ import annotations

import re
from pathlib import Path

from d2l_doctor.rules import all_finding_ids

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_finding_id_has_one_line_in_the_readme() -> None:
    documented = re.findall(r"^\| `([a-z0-9-]+)` \|", README, re.M)
    assert len(documented) == len(set(documented))
    assert set(documented) == set(all_finding_ids())


def test_readme_starts_with_the_install_and_test_commands() -> None:
    block = README.split("```")[1]
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("bash")]
    assert lines[0].endswith("pip install . && d2l-doctor check")
    assert 'pip install ".[test]"' in lines[1] and lines[1].endswith("python -m pytest")
