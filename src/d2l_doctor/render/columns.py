"""Plain-text columns that line up in a terminal when cells hold Chinese (two columns a character) as well as
ASCII: the fleet report's tables and the multi-node smoke table."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def rows(table: Sequence[Sequence[str]], indent: str = "  ", gap: str = "  ") -> Iterator[str]:
    """Each row with every column padded to its widest cell (the last one is not padded)."""
    if not table:
        return
    widths = [max(width(row[i]) for row in table if i < len(row)) for i in range(max(map(len, table)))]
    for row in table:
        cells = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row[:-1])]
        yield indent + gap.join([*cells, row[-1]]) if row else indent
