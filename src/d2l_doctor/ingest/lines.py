"""A paste as numbered, cleaned lines: whatever wrapped it (Markdown fences, `> ` quoting, <details>, bullets,
bold, inline backticks, HTML entities, a console prompt) goes; the line numbers stay those of the paste."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_TAGS = re.compile(r"</?(?:details|summary|code|pre|br|p|b|i|strong|em|kbd|sub|sup)\b[^>]*>", re.IGNORECASE)
_QUOTE = re.compile(r"^(?:\s*>)+\s?")
_FENCE = re.compile(r"^\s*(```+|~~~+)")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?=\S)")
_BOLD = re.compile(r"\*\*")  # not "__": Python names (torch.__version__) keep theirs


@dataclass(frozen=True)
class Line:
    no: int  # 1-based, as in the paste
    text: str  # cleaned, stripped


def clean(raw: str) -> str:
    line = _QUOTE.sub("", raw)
    if _FENCE.match(line):
        return ""
    line = html.unescape(_TAGS.sub("", line))
    line = _BULLET.sub("", line)
    line = _BOLD.sub("", line)
    return line.replace("`", " ").strip()


def split(text: str) -> list[Line]:
    return [Line(number, clean(raw)) for number, raw in enumerate(text.split("\n"), start=1)]


@dataclass(frozen=True)
class Folded:
    """The paste as one line of text (white space runs folded), with where each paste line starts in it, so
    that words wrapped over several lines (a console's width) are found and quoted with their lines."""

    text: str
    starts: tuple[int, ...]  # offset of each kept line in `text`
    lines: tuple[Line, ...]  # the kept (non-empty) lines

    def line_at(self, offset: int) -> int:
        """Index in `lines` of the line that holds `offset`."""
        import bisect

        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def quote(self, start: int, end: int, limit: int = 600) -> tuple[str, int]:
        """The whole lines that hold [start, end), folded into one text (at most `limit` characters), and the
        paste line number of the first."""
        first, last = self.line_at(start), self.line_at(max(start, end - 1))
        begin = self.starts[first]
        stop = self.starts[last + 1] - 1 if last + 1 < len(self.starts) else len(self.text)
        words = self.text[begin:stop].strip()
        if len(words) > limit:
            at = max(0, start - begin - limit // 3)
            words = words[at : at + limit].strip()
        return words, self.lines[first].no


def fold(lines: list[Line]) -> Folded:
    kept = [ln for ln in lines if ln.text]
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for ln in kept:
        words = " ".join(ln.text.split())
        starts.append(offset)
        parts.append(words)
        offset += len(words) + 1
    return Folded(" ".join(parts), tuple(starts), tuple(kept))
