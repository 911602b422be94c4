"""The ui catalogue and the renderers agree: every id the code asks for exists in English and Chinese, and no
message sits unused."""

from __future__ import annotations

import re
from pathlib import Path

import d2l_doctor
from d2l_doctor.i18n import ui
from d2l_doctor.models import Area
from d2l_doctor.render.facts import chosen_by_text

# The renderers, and the probes and readers that write message ids into Snapshot.problems (`ui.why.*`).
PACKAGE = Path(d2l_doctor.__file__).parent
SOURCES = [p for p in PACKAGE.rglob("*.py") if "i18n" not in p.relative_to(PACKAGE).parts]
LITERAL = re.compile(r"""["'](ui\.[a-z0-9_.-]+)["']""")
# Ids the code builds at run time, by prefix.
DYNAMIC = (
    "ui.area.",
    "ui.chosen_by.",
    "ui.source.",
    "ui.count.error.",
    "ui.count.warning.",
    "ui.count.note",
    "ui.driver_source.",  # {source:@ui.driver_source} in ui.val.driver
    "ui.ev.",  # evidence labels, by evidence key
    "ui.evval.",  # evidence values that are fixed phrases
    "ui.problem.",  # what a probe or report could not collect, by Snapshot.problems key
)


def literal_ids() -> set[str]:
    found = {m for path in SOURCES for m in LITERAL.findall(path.read_text(encoding="utf-8"))}
    return {m for m in found if not m.endswith(".")} - {"ui.count.error", "ui.count.warning", "ui.count.note"}


def test_every_id_the_renderers_use_exists_in_both_languages() -> None:
    used = literal_ids() | {f"ui.area.{a.value}" for a in Area}
    used |= {f"ui.count.{k}.{n}" for k in ("error", "warning", "note") for n in ("one", "other")}
    missing = sorted(k for k in used if not (ui.MESSAGES.get(k, {}).get("en") and ui.MESSAGES[k].get("zh")))
    assert missing == []


def test_no_message_is_unused() -> None:
    used = literal_ids()
    unused = sorted(k for k in ui.MESSAGES if k not in used and not k.startswith(DYNAMIC))
    assert unused == []


def test_every_way_of_choosing_the_interpreter_has_words() -> None:
    for chosen_by in ("--python", "conda", "venv", "path", "self"):
        for lang in ("en", "zh"):
            assert chosen_by_text(chosen_by, lang) != chosen_by
