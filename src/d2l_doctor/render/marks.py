"""The marks of the checklist that fit the output stream.

A Windows console in GBK (cp936) or a pipe under PYTHONIOENCODING=ascii cannot encode ✓ or ✗: such streams get
ASCII marks, and every string is passed through `terminal.safe` so that printing never raises
UnicodeEncodeError.
"""

from __future__ import annotations

from dataclasses import dataclass

from d2l_doctor.terminal import can_encode


@dataclass(frozen=True)
class Marks:
    ok: str
    warning: str
    error: str
    unknown: str
    # in front of a finding under its area
    item_error: str
    item_warning: str
    item_info: str
    item_unknown: str
    bullet: str
    ellipsis: str


UNICODE_MARKS = Marks("[✓]", "[!]", "[✗]", "[?]", "✗", "!", "•", "?", "•", "…")
ASCII_MARKS = Marks("[OK]", "[!]", "[X]", "[?]", "X", "!", "-", "?", "-", "...")


def marks_for(encoding: str) -> Marks:
    u = UNICODE_MARKS
    sample = u.ok + u.error + u.item_info + u.ellipsis
    return UNICODE_MARKS if can_encode(sample, encoding) else ASCII_MARKS
