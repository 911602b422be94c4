"""Every message id that `fix` uses is in the catalogue, and every `fix.` message is used."""

from __future__ import annotations

import re
from pathlib import Path

import d2l_doctor
from d2l_doctor.i18n.fix import MESSAGES as FIX
from d2l_doctor.i18n.fix_run import MESSAGES as FIX_RUN

MESSAGES = {**FIX, **FIX_RUN}

_ROOT = Path(d2l_doctor.__file__).parent
SOURCES = [*_ROOT.joinpath("fixes").glob("*.py"), *_ROOT.joinpath("commands").glob("fix*.py"),
           _ROOT / "mirrors.py", _ROOT / "terminal.py"]  # fmt: skip


def _used() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    used = set(re.findall(r"""["'](fix\.[a-z_]+\.[a-z_]+)["']""", text))
    # The plan's reasons are found by their English words (render_run.reason_text), not named in code.
    return used | {k for k in MESSAGES if k.startswith("fix.reason.")}


def test_every_id_used_is_defined() -> None:
    assert sorted(_used() - set(MESSAGES)) == []


def test_every_fix_message_is_used() -> None:
    assert sorted(set(MESSAGES) - _used()) == []
