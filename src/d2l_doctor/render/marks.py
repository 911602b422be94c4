"""What the output stream can encode, and the marks of the checklist that fit it.

A Windows console in GBK (cp936) or a pipe under PYTHONIOENCODING=ascii cannot encode ✓ or ✗: such streams get
ASCII marks, and every string is passed through `safe` so that printing never raises UnicodeEncodeError.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any


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

# A sample of the Chinese catalogue's characters, with its full-width punctuation: a stream that encodes these
# encodes the whole zh catalogue in practice; anything that still does not fit is replaced by `safe`.
_ZH_SAMPLE = "检查错误警告提示，：（）"


def stream_encoding(stream: Any) -> str:
    """The codec name of a text stream ("utf-8", "gbk", "ascii"); utf-8 when the stream does not say."""
    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def can_encode(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def marks_for(encoding: str) -> Marks:
    u = UNICODE_MARKS
    sample = u.ok + u.error + u.item_info + u.ellipsis
    return UNICODE_MARKS if can_encode(sample, encoding) else ASCII_MARKS


def lang_for(lang: str, encoding: str) -> str:
    """Chinese only where the stream can show it: on an ASCII pipe, English beats a screen of "?"."""
    if lang == "zh" and not can_encode(_ZH_SAMPLE, encoding):
        return "en"
    return lang


def safe(text: str, encoding: str) -> str:
    """text with every character the encoding lacks replaced by "?"."""
    try:
        return text.encode(encoding, "replace").decode(encoding)
    except LookupError:
        return text
