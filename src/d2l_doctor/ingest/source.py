"""Read a report file (or stdin) into clean text, whatever the console that wrote it.

Reports arrive as UTF-8, as UTF-16 (PowerShell 5's `>` redirection), as GBK (a Chinese Windows console), with
Windows line ends, and pasted through forums that turn ':' into '：' and spaces into no-break spaces.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO, Optional

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t

# A report is a few KiB; the limit keeps a mistaken `--from-report /dev/zero` from filling memory.
MAX_BYTES = 8 * 1024 * 1024

# Characters that forums and word processors put in place of plain ones.
_REPLACEMENTS = {
    "\uff1a": ":",  # full-width colon (Chinese input methods)
    "\u00a0": " ",  # no-break space
    "\u3000": " ",  # ideographic space
    "\u200b": "",  # zero-width space
    "\ufeff": "",  # a byte-order mark left inside the text
}


def display_name(path_or_dash: str, lang: str) -> str:
    return t("report.stdin", lang) if path_or_dash == "-" else path_or_dash


def read_text(path_or_dash: str, lang: str = "en", stdin: Optional[BinaryIO] = None) -> str:
    """The report's text, decoded and normalised. "-" reads stdin (or the given binary stream)."""
    name = display_name(path_or_dash, lang)
    try:
        if path_or_dash == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(MAX_BYTES + 1)
        else:
            with Path(path_or_dash).open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(t("report.error.unreadable", lang, path=name, reason=exc.strerror or exc)) from None
    if len(data) > MAX_BYTES:
        raise UsageError(t("report.error.not_a_report", lang, path=name))
    text = normalize(decode(data))
    if not text.strip():
        raise UsageError(t("report.error.empty", lang, path=name))
    return text


def decode(data: bytes) -> str:
    """Bytes to text: BOMs first, then UTF-16 without a BOM, UTF-8, GB18030 (a superset of GBK), Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if _looks_utf16le(data):
        return data.decode("utf-16-le", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _looks_utf16le(data: bytes) -> bool:
    # ASCII text in UTF-16-LE has a NUL in every odd byte; real text never does.
    sample = data[:400]
    return len(sample) >= 8 and sample[1::2].count(0) > 0.9 * len(sample[1::2])


def normalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    return text
