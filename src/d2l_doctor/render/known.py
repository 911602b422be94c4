"""What a Snapshot knows, for the words: each helper gives a fact, or None where it is not known.

A report from another machine fills required fields with placeholders (the interpreter's path "unknown",
bitness 0, machine "") and lists them in `Snapshot.unknown`; the renderers must never print those as values.
The rules read bitness and machine the same way (rules.facts), so both sides agree on what is known.
"""

from __future__ import annotations

from typing import Optional

from d2l_doctor.models import Snapshot
from d2l_doctor.rules import facts as rule_facts

path = rule_facts.known_path
python_executable = rule_facts.python_executable
python_bits = rule_facts.python_bits
python_machine = rule_facts.python_machine
conda_platform = rule_facts.conda_platform


def python_platform(s: Snapshot) -> Optional[str]:
    """sys.platform of the target (win32, linux, darwin); None when not known."""
    if s.python is None or not s.known("python.platform"):
        return None
    return s.python.platform or None


def is_venv(s: Snapshot) -> Optional[bool]:
    """Whether the target is a virtual environment; None when not known (a collect_env report does not name
    the interpreter, so it cannot say where it lives)."""
    if python_executable(s) is None or not s.known("python.is_venv"):
        return None
    return s.python.is_venv if s.python is not None else None


def conda_prefix(s: Snapshot) -> Optional[str]:
    if s.conda is None or not s.known("conda.prefix"):
        return None
    return path(s.conda.prefix)
