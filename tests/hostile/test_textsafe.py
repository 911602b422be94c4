"""visible(): every character that could steer a terminal is shown as an escape, everything else is kept."""

from __future__ import annotations

import unicodedata

import pytest

from d2l_doctor.textsafe import is_visible, visible

# Every C0 and C1 control, DEL, the bidi controls, the line separators, BOM and a lone surrogate.
HOSTILE = (
    [chr(c) for c in range(0x20)]
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u061c", "\u200e", "\u200f", "\u2028", "\u2029", "\ufeff", "\udcff"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)


@pytest.mark.parametrize("ch", HOSTILE, ids=lambda c: f"U+{ord(c):04X}")
def test_every_control_is_escaped(ch: str) -> None:
    shown = visible(f"a{ch}b")
    assert shown.startswith("a\\") and shown.endswith("b")
    assert all(c.isprintable() for c in shown)
    assert not is_visible(f"a{ch}b")


def test_escape_forms() -> None:
    assert visible("\x1b[2J") == "\\x1b[2J"
    assert visible("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert visible("a\r\nb\tc") == "a\\r\\nb\\tc"
    assert visible("\u202eexe.txt") == "\\u202eexe.txt"
    assert visible("\x9b31m") == "\\x9b31m"


def test_multiline_keeps_newline_and_tab_only() -> None:
    assert visible("a\nb\tc\r\x1b", multiline=True) == "a\nb\tc\\r\\x1b"


@pytest.mark.parametrize(
    "text",
    [
        "C:\\Users\\李雷\\miniconda3\\python.exe",
        "/home/ünïcode/.venv/bin/python",
        "NVIDIA GeForce RTX 3060",
        "[/x]",
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert visible(text) == text
    assert is_visible(text)


def test_every_printable_bmp_character_is_kept() -> None:
    for code in range(0x20, 0x10000):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF or not ch.isprintable() or unicodedata.category(ch) == "Cf":
            continue
        assert visible(ch) == ch, hex(code)
