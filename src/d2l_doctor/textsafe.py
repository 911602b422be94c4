"""Text from outside (a report, a tool's output, a path) made safe to show on a terminal.

A report is written by a stranger: its strings may carry ESC sequences (clear the screen, set the window title with
OSC 0, forge a hyperlink with OSC 8), a carriage return that overwrites what was printed, or bidi overrides that
show a command in another order than it runs. `visible()` turns every such character into a visible escape
(`\\x1b`, `\\r`, `\\u202e`) so the text is shown, never obeyed. JSON output keeps the exact string; only what is
printed for a person goes through here.
"""

from __future__ import annotations

import re

# Bidi controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), the marks (U+200E, U+200F,
# U+061C). Line and paragraph separators (U+2028, U+2029) break a line on some terminals. Lone surrogates (bytes
# decoded with surrogateescape) cannot be encoded for the terminal at all. BOM/zero-width no-break space hides.
_OTHERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
)
_UNSAFE_LINES = re.compile(f"[{_OTHERS}]")  # multiline=True keeps tab and newline
_ANY_CONTROL = re.compile(f"[\t\n{_OTHERS}]")

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, multiline: bool = False) -> str:
    """`text` with every control, bidi override and unencodable surrogate shown as a visible escape.

    By default tab and newline are escaped too, so a value stays on its one line; `multiline=True` keeps them
    (a traceback shown under -v), every other control is still escaped."""
    if not isinstance(text, str):
        text = str(text)
    pattern = _UNSAFE_LINES if multiline else _ANY_CONTROL
    return pattern.sub(_escape, text)


def is_visible(text: str) -> bool:
    """True when `text` has nothing that visible() would escape (one line, no controls)."""
    return _ANY_CONTROL.search(text) is None


# In a JSON document the C0 controls are escaped by json.dumps already; what ensure_ascii=False leaves raw (C1,
# bidi, separators, lone surrogates) is written as a \\u escape: the same string once parsed, and inert on a
# terminal.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


def json_visible(dumped: str) -> str:
    """A json.dumps(..., ensure_ascii=False) text with every character that could steer a terminal escaped."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


# A password or token in a URL's user part (https://user:secret@host/simple): shown masked in every message.
_URL_SECRET = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/@\s:?#]*)(:[^/@\s?#]*)?@")


def mask_secrets(text: str) -> str:
    """text with the secret of every URL's user part replaced by `***` (a user name alone is masked too: it is
    often a token)."""

    def mask(match: re.Match[str]) -> str:
        user = match.group(2)
        return f"{match.group(1)}{user}:***@" if match.group(3) is not None else f"{match.group(1)}***@"

    return _URL_SECRET.sub(mask, text)
