"""What counts as a hole in what the user reads: where a fact is not known, the words must leave it out (or
say it another way), never show "?", "None", "null", "0-bit", "()", a doubled space, ".:", an unfilled {field}
or the catalogue's clause markup. The no-holes tests of `check` and `smoke-gpu` both read their output
through `holes`."""

from __future__ import annotations

import re

from d2l_doctor.render.marks import UNICODE_MARKS
from d2l_doctor.rules import all_finding_ids

# What may stand where a hole would look alike: links, the checklist's [?] mark, an undecided finding's "?"
# mark, and finding ids ("gpu-arch-unknown").
_ALLOWED = [
    re.compile(r"https?://\S+"),
    re.compile(re.escape(UNICODE_MARKS.unknown)),
    re.compile(r"^\s*(?:#### )?\?(?= )"),
    re.compile("|".join(re.escape(i) for i in sorted(all_finding_ids(), key=len, reverse=True))),
]
HOLES = {
    "? as a value": re.compile(r"(?<![A-Za-z])\?(?![A-Za-z])|？"),
    "None": re.compile(r"\bNone\b"),
    "null": re.compile(r"\bnull\b"),
    "unknown as a value": re.compile(r"\bunknown\b"),
    "0-bit": re.compile(r"\b0-bit|\b0 位"),
    "empty brackets": re.compile(r"(?<![\w.\\])\(\)|（）"),
    "double space": re.compile(r"(?<=\S) {2,}(?=\S)"),
    "'.:' join": re.compile(r"[.。][:：]"),
    "unfilled field": re.compile(r"\{[A-Za-z_]+(?:[:!][^}]*)?\}"),
    "clause markup": re.compile(r"\[\[|\]\]|\|\|"),
}


def holes(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        cleaned = line
        for allowed in _ALLOWED:
            cleaned = allowed.sub("_", cleaned)
        found += [f"{what}: {line.strip()}" for what, rx in HOLES.items() if rx.search(cleaned)]
    return found
