"""Render an argv for the user's shell, quoted so that pasting it runs exactly that argv."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from typing import Optional

_PS_SAFE = re.compile(r"^[A-Za-z0-9_\-+./:\\=]+$")
_CMD_SAFE = re.compile(r"^[A-Za-z0-9_\-+./:\\=,]+$")
_PS_SINGLE_QUOTES = re.compile("['\u2018\u2019\u201a\u201b]")
# In a PowerShell double-quoted string these are special: the escape, a variable, and every double quote
# PowerShell accepts (it reads the typographic ones as quotes too).
_PS_DOUBLE_SPECIAL = re.compile('[`$"\u201c\u201d\u201e]')
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_BASH_NAMED = {
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\E",
}
# The line printed instead of a command that cannot be written safely: no outside text in it, and a comment
# in every shell, so pasting it runs nothing.
_REFUSED = {
    "bash": "# d2l-doctor: {why} / 此命令无法安全地写出（{why_zh}）",
    "powershell": "# d2l-doctor: {why} / 此命令无法安全地写出（{why_zh}）",
    "cmd": "REM d2l-doctor: {why} / 此命令无法安全地写出（{why_zh}）",
}


def quote_argv(argv: Sequence[str], shell: str) -> str:
    """The line that, pasted into `shell`, runs exactly `argv` as one command; or, when an argument holds
    what that shell cannot carry exactly, a comment line saying so (see refusal())."""
    why = refusal(argv, shell)
    if why is not None:
        en, zh = why
        return _REFUSED.get(shell, _REFUSED["bash"]).format(why=en, why_zh=zh)
    if shell == "powershell":
        parts = [_ps_quote(a) for a in argv]
        # A quoted program path is a string to PowerShell, not a command: the call operator runs it.
        if argv and parts[0] != argv[0]:
            parts[0] = "& " + parts[0]
        return " ".join(parts)
    if shell == "cmd":
        return " ".join([_cmd_program(argv[0]), *(_cmd_quote(a) for a in argv[1:])]) if argv else ""
    return " ".join(_bash_quote(a) for a in argv)


def refusal(argv: Sequence[str], shell: str) -> Optional[tuple[str, str]]:
    """Why argv cannot be written for this shell (English, Chinese), or None when it can.

    cmd has no escape for a line break or a control character, and a double quote toggles its idea of what is
    quoted while the C runtime may read it as text: there the argument is refused, not guessed at (no Windows
    path, package name or kernel name holds one). PowerShell 5.1 passes a `"` inside an argument to a program
    unescaped while 7.3+ escapes it, drops an empty argument, and turns a trailing backslash in an argument with a
    space into an escaped quote: an argument that 5.1 and 7 would pass differently is refused. bash carries
    anything but NUL and an unpaired surrogate."""
    for number, arg in enumerate(argv, 1):
        if "\x00" in arg:
            return f"argument {number} holds a NUL character", f"参数 {number} 含有 NUL 字符"
        if any(0xD800 <= ord(c) <= 0xDFFF for c in arg) and not _bytes_surrogates_only(arg):
            return f"argument {number} is not valid text", f"参数 {number} 不是有效文本"
        if shell == "cmd":
            if _CONTROL.search(arg):
                return (
                    f"argument {number} holds a line break or control character",
                    f"参数 {number} 含有换行或控制字符",
                )
            if '"' in arg:
                return f"argument {number} holds a double quote", f"参数 {number} 含有双引号"
        if shell == "powershell":
            if '"' in arg:
                return f"argument {number} holds a double quote", f"参数 {number} 含有双引号"
            if not arg:
                return f"argument {number} is empty", f"参数 {number} 为空"
            if arg.endswith("\\") and any(c.isspace() for c in arg):
                return (
                    f"argument {number} ends in a backslash and holds a space",
                    f"参数 {number} 以反斜杠结尾且含有空格",
                )
    return None


def _bytes_surrogates_only(arg: str) -> bool:
    # Bytes that were not UTF-8, decoded with surrogateescape (U+DC80-U+DCFF): bash can write them as \xHH.
    return all(0xDC80 <= ord(c) <= 0xDCFF for c in arg if 0xD800 <= ord(c) <= 0xDFFF)


def _bash_quote(arg: str) -> str:
    if not _CONTROL.search(arg):
        return shlex.quote(arg)
    # ANSI-C quoting: one word, and every control shown as its escape, never sent raw to the terminal. Those
    # beyond ASCII are written as their UTF-8 bytes: bash reads \\u only in a UTF-8 locale, \\x in any.
    out = ["$'"]
    for ch in arg:
        code = ord(ch)
        if ch in ("\\", "'"):
            out.append("\\" + ch)
        elif ch in _BASH_NAMED:
            out.append(_BASH_NAMED[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): that byte again
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _CONTROL.match(ch):
            out.append("".join(f"\\x{b:02x}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    out.append("'")
    return "".join(out)


def _ps_quote(arg: str) -> str:
    # Some PowerShell versions split an unquoted `-x.y` or `-x:y` in two when passing it to a program.
    dash_split = arg.startswith("-") and ("." in arg or ":" in arg)
    if arg and _PS_SAFE.match(arg) and not arg.startswith("-" * 3) and not dash_split and arg != "--":
        return arg
    if _CONTROL.search(arg):
        # A double-quoted string, so each control can be written as a visible subexpression.
        body = _PS_DOUBLE_SPECIAL.sub(lambda m: "`" + m.group(0), arg)
        return '"' + _CONTROL.sub(lambda m: f"$([char]0x{ord(m.group(0)):04x})", body) + '"'
    # Any single quote, typographic ones too, ends a single-quoted PowerShell string; doubled, it is literal.
    return "'" + _PS_SINGLE_QUOTES.sub(lambda m: m.group(0) * 2, arg) + "'"


def _cmd_quote(arg: str) -> str:
    if arg and _CMD_SAFE.match(arg):
        return arg
    return _msvcrt_quote(arg)


def _cmd_program(arg: str) -> str:
    # The program name is split by cmd and the C runtime without backslash escapes: plain quotes are enough
    # (refusal() has made sure it holds no quote of its own).
    if arg and _CMD_SAFE.match(arg):
        return arg
    return '"' + arg.replace("%", '"^%"') + '"'


def _msvcrt_quote(arg: str) -> str:
    """Quote for the C runtime's argument parser in a form that cmd also reads as quoted.

    The argument holds no quote (refusal() saw to it), so cmd's quote state and the runtime's agree at every
    character: & | < > ^ ( ) stay inside quotes. Backslashes before any quote we write are doubled (2n
    backslashes + quote = n backslashes, and the quote still counts). cmd expands %NAME% even inside quotes,
    and a caret escapes % only outside them: so step out around each % (`"^%"`), which also leaves the name
    after it starting with a quote, a name no variable has."""
    out: list[str] = ['"']
    backslashes = 0
    for ch in arg:
        if ch == "\\":
            backslashes += 1
            continue
        if ch == "%":
            out.append("\\" * (2 * backslashes) + '"^%"')
        else:
            out.append("\\" * backslashes + ch)
        backslashes = 0
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)
