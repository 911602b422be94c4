"""Which lines of a paste a finding rests on, and how certain it is (observed | inferred).

Rules name the facts they used in `Finding.evidence` (label -> value). Every fact the report reader took from a
line is in `Snapshot.evidence` (path -> Evidence, with the line and the value read from it), and every tool message
in `Snapshot.messages`. A finding rests on the lines whose value appears among its facts. It is `inferred` when a
rule said so, when it is undecided, or when a fact it rests on was itself inferred; otherwise `observed`.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from d2l_doctor.models import Certainty, Finding, Quote, Snapshot, Source

MAX_QUOTES = 8


def _haystack(f: Finding) -> str:
    parts: list[str] = []
    for value in [*f.evidence.values(), *f.params.values()]:
        if value is None or isinstance(value, bool):
            continue
        parts.append(value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False))
    return "\n".join(parts).lower()


def _rests_on(value: Any, haystack: str) -> bool:
    text = str(value).strip().lower() if value is not None else ""
    return len(text) >= 3 and text in haystack


def attach_evidence(f: Finding, s: Snapshot) -> Finding:
    """The finding with its quotes (the paste's lines it rests on) and its certainty."""
    if f.quotes and f.certainty is Certainty.INFERRED:
        return f
    haystack = _haystack(f)
    quotes: list[Quote] = list(f.quotes)
    sources: set[Source] = set()
    seen = {(q.line, q.text) for q in quotes}

    def add(text: str | None, line: int | None, source: Source) -> None:
        if text and (line, text) not in seen and len(quotes) < MAX_QUOTES:
            seen.add((line, text))
            quotes.append(Quote(text, line, source))

    for message in s.messages:
        if _rests_on(message.text, haystack) or any(
            _rests_on(part, haystack) for part in message.text.split(": ", 1)[1:]
        ):
            add(message.text, message.line, message.source)
            sources.add(message.source)
    for ev in s.evidence.values():
        if (
            ev.value is not None
            and _rests_on(ev.value, haystack)
            or (ev.text and _rests_on(ev.text, haystack))
        ):
            sources.add(ev.source)
            if ev.source is not Source.PROBE:
                add(ev.text, ev.line, ev.source)
    inferred = f.certainty is Certainty.INFERRED or f.undecided or Source.INFERENCE in sources
    certainty = Certainty.INFERRED if inferred else Certainty.OBSERVED
    quotes.sort(key=lambda q: (q.line is None, q.line or 0))
    return dataclasses.replace(f, quotes=tuple(quotes), certainty=certainty)
