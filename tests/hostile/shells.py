"""Faithful readers of a printed command line, one per shell: what argv would pasting it run, and is it one command?

bash is read by bash itself (and by shlex where the line has no ANSI-C quoting). cmd and PowerShell do not run
here, so their rules are modelled from their documentation:

MSVC / CommandLineToArgvW (how a Windows program splits the line it is given):
  https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments
  https://learn.microsoft.com/windows/win32/api/shellapi/nf-shellapi-commandlinetoargvw
  - argv[0] is special: quotes only group, backslashes are literal;
  - then: space/tab separate; 2n backslashes + `"` give n backslashes and toggle quoting; 2n+1 give n and a
    literal `"`; other backslashes are literal; inside quotes `""` is a literal `"` and ends the quoted part.
cmd.exe at the interactive prompt (command-line mode, delayed expansion off as by default):
  https://learn.microsoft.com/windows-server/administration/windows-commands/cmd ("special characters",
  `^` escapes them outside quotes), and the phase model in https://stackoverflow.com/a/4095133
  ("How does the Windows Command Interpreter (CMD.EXE) parse scripts?"):
  - phase 0: the line ends at the first LF (what follows would be another command);
  - phase 1: `%NAME%` is replaced by the variable's value; an undefined name is left as it is and scanning
    goes on from its second `%`; `%NAME:~a,b%` / `%NAME:x=y%` work on a defined NAME;
  - phase 1.5: CR is removed;
  - phase 2: `"` toggles quoting; outside quotes `^` escapes the next character (a final `^` continues the
    line), and `&`, `|`, `<`, `>` end the command or redirect it; `(` opens a block.
PowerShell, parsing then native argument passing:
  https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_parsing
  https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules
  https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables
  ($PSNativeCommandArgumentPassing), and PowerShell issues #1995, #14747, #15143 (the legacy behaviour):
  - statements end at `;`, newline, `|`, `&&`, `||`; `&` first is the call operator, elsewhere background;
  - single-quoted strings: any of ' ‘ ’ ‚ ‛ opens and closes, two in a row are one literal quote;
  - double-quoted strings (" “ ” „): backtick escapes (`0 `a `b `e `f `n `r `t `v, else the next character
    literally), `$(...)` subexpressions (only `$([char]0xHHHH)` is accepted here), any other `$` expands;
  - barewords: a `$`, backtick, quote or operator character in them is refused by this reader;
  - Windows PowerShell 5.1 and 7.0-7.2 ("Legacy"): each argument is wrapped in `"` when it holds whitespace, with
    no escaping of an inner `"` or a trailing backslash; an empty argument is dropped;
  - 7.3+ ("Windows"/"Standard"): ProcessStartInfo.ArgumentList, which quotes and escapes by the MSVC rules.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Mapping, Sequence


class NotOneCommand(AssertionError):
    """The line would not run exactly one command (a second command, a redirection, an expansion)."""


# --------------------------------------------------------------------------- the program's own split (MSVC)


def msvc_split(line: str) -> list[str]:
    i, n = 0, len(line)
    while i < n and line[i] in " \t":
        i += 1
    prog: list[str] = []
    quoted = False
    while i < n and (quoted or line[i] not in " \t"):
        if line[i] == '"':
            quoted = not quoted
        else:
            prog.append(line[i])
        i += 1
    args = ["".join(prog)]
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return args
        buf: list[str] = []
        quoted = False
        while i < n:
            slashes = 0
            while i < n and line[i] == "\\":
                slashes += 1
                i += 1
            if i < n and line[i] == '"':
                buf.append("\\" * (slashes // 2))
                if slashes % 2:
                    buf.append('"')
                    i += 1
                elif quoted and i + 1 < n and line[i + 1] == '"':
                    buf.append('"')  # `""` inside quotes: a literal quote, and the quoted part ends
                    quoted = False
                    i += 2
                else:
                    quoted = not quoted
                    i += 1
                continue
            buf.append("\\" * slashes)
            if i >= n or (not quoted and line[i] in " \t"):
                break
            buf.append(line[i])
            i += 1
        args.append("".join(buf))


def msvc_join(argv: Sequence[str]) -> str:
    """How .NET's ArgumentList (PowerShell 7.3+) writes argv for a Windows program (PasteArguments)."""
    parts = []
    for arg in argv:
        if arg and not re.search(r'[\s"]', arg):
            parts.append(arg)
            continue
        out, slashes = ['"'], 0
        for ch in arg:
            if ch == "\\":
                slashes += 1
                continue
            if ch == '"':
                out.append("\\" * (2 * slashes + 1) + '"')
            else:
                out.append("\\" * slashes + ch)
            slashes = 0
        out.append("\\" * (2 * slashes) + '"')
        parts.append("".join(out))
    return " ".join(parts)


# --------------------------------------------------------------------------- cmd


def cmd_argv(line: str, env: Mapping[str, str]) -> list[str]:
    if "\n" in line:
        raise NotOneCommand(f"a line feed ends the command early: {line!r}")
    expanded = _cmd_percent(line, {k.upper(): v for k, v in env.items()})
    expanded = expanded.replace("\r", "")
    return msvc_split(_cmd_specials(expanded))


def _cmd_percent(line: str, env: Mapping[str, str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(line):
        if line[i] == "%":
            end = line.find("%", i + 1)
            if end > i:
                name = line[i + 1 : end]
                base = name.split(":", 1)[0].upper()
                if base in env:
                    raise NotOneCommand(f"%{name}% would expand the variable {base}: {line!r}")
        out.append(line[i])
        i += 1
    return "".join(out)


def _cmd_specials(line: str) -> str:
    out: list[str] = []
    quoted = False
    i = 0
    if line.lstrip().startswith("("):
        raise NotOneCommand(f"a block: {line!r}")
    while i < len(line):
        ch = line[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "^":
            if i + 1 >= len(line):
                raise NotOneCommand(f"a final caret continues the line: {line!r}")
            out.append(line[i + 1])
            i += 2
            continue
        elif not quoted and ch in "&|<>":
            raise NotOneCommand(f"unquoted {ch!r} (another command or a redirection): {line!r}")
        out.append(ch)
        i += 1
    return "".join(out)


def cmd_is_comment(line: str) -> bool:
    return line.startswith("REM ") and "\n" not in line and "\r" not in line


# --------------------------------------------------------------------------- PowerShell

_PS_SINGLE = "'\u2018\u2019\u201a\u201b"
_PS_DOUBLE = '"\u201c\u201d\u201e'
_PS_BARE_FORBIDDEN = set(" \t\r\n;|&<>(){}@#,$`") | set(_PS_SINGLE) | set(_PS_DOUBLE)
_PS_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}
_PS_CHAR = re.compile(r"\$\(\[char\]0x([0-9a-fA-F]{1,6})\)")


def ps_tokens(line: str) -> list[str]:
    """The strings a PowerShell line hands to the command it runs (program first)."""
    i, n = 0, len(line)
    if line.startswith("& "):
        i = 2
    tokens: list[str] = []
    while i < n:
        ch = line[i]
        if ch == " ":
            i += 1
            continue
        word: list[str] = []
        if line.startswith("--%", i) and (i + 3 == n or line[i + 3] == " "):
            raise NotOneCommand(f"the stop-parsing token: {line!r}")
        while i < n and line[i] != " ":
            ch = line[i]
            if ch in _PS_SINGLE:
                i = _ps_single(line, i + 1, word)
            elif ch in _PS_DOUBLE:
                i = _ps_double(line, i + 1, word)
            elif ch in _PS_BARE_FORBIDDEN:
                raise NotOneCommand(f"unquoted {ch!r} in {line!r}")
            else:
                word.append(ch)
                i += 1
        text = "".join(word)
        tokens.append(text)
    return tokens


def _ps_single(line: str, i: int, out: list[str]) -> int:
    while True:
        if i >= len(line):
            raise NotOneCommand(f"unterminated string: {line!r}")
        if line[i] in _PS_SINGLE:
            if i + 1 < len(line) and line[i + 1] in _PS_SINGLE:
                out.append(line[i + 1])
                i += 2
                continue
            return i + 1
        out.append(line[i])
        i += 1


def _ps_double(line: str, i: int, out: list[str]) -> int:
    while True:
        if i >= len(line):
            raise NotOneCommand(f"unterminated string: {line!r}")
        ch = line[i]
        if ch == "`":
            nxt = line[i + 1]
            out.append(_PS_ESCAPES.get(nxt, nxt))
            i += 2
        elif ch == "$":
            match = _PS_CHAR.match(line, i)
            if match is None:
                raise NotOneCommand(f"a $ that expands: {line!r}")
            out.append(chr(int(match.group(1), 16)))
            i = match.end()
        elif ch in _PS_DOUBLE:
            if i + 1 < len(line) and line[i + 1] in _PS_DOUBLE:
                out.append(line[i + 1])
                i += 2
                continue
            return i + 1
        else:
            out.append(ch)
            i += 1


def ps_argv(line: str, passing: str) -> list[str]:
    """argv the program receives on Windows: passing is "legacy" (5.1, 7.0-7.2) or "standard" (7.3+)."""
    if "\n" in line or "\r" in line:
        raise NotOneCommand(f"a line break in {line!r}")
    tokens = ps_tokens(line)
    if (
        not line.startswith("& ")
        and tokens
        and (line.startswith(("'", '"')) or line[0] in _PS_SINGLE + _PS_DOUBLE)
    ):
        raise NotOneCommand(
            f"a quoted program without the call operator is a string, not a command: {line!r}"
        )
    if passing == "standard":
        return msvc_split(msvc_join(tokens))
    parts = []
    for word in tokens:
        if word == "":
            continue  # Windows PowerShell drops an empty argument
        parts.append(f'"{word}"' if re.search(r"\s", word) else word)
    return msvc_split(" ".join(parts))


def ps_is_comment(line: str) -> bool:
    return line.startswith("# ") and "\n" not in line and "\r" not in line


# --------------------------------------------------------------------------- bash


def bash_argvs(lines: Sequence[str]) -> list[list[str]]:
    """argv of each line as bash itself reads it: `set -- LINE` takes the words exactly as a command would; the
    builtin printf writes the count and the words NUL-terminated (one bash for all lines, no other process)."""
    program = "".join(f'set -- {line}\nprintf \'%s\\0\' "$#" "$@"\n' for line in lines)
    out = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LC_ALL": "C"},
        timeout=60,
    )
    if out.returncode != 0:
        raise NotOneCommand(f"bash failed ({out.returncode}): {out.stderr[-500:]!r}")
    fields = out.stdout.split(b"\0")
    result: list[list[str]] = []
    i = 0
    while i < len(fields) - 1:
        count = int(fields[i])
        result.append([f.decode("utf-8", "surrogateescape") for f in fields[i + 1 : i + 1 + count]])
        i += 1 + count
    return result


def bash_argv(line: str) -> list[str]:
    argvs = bash_argvs([line])
    if len(argvs) != 1:
        raise NotOneCommand(f"{len(argvs)} commands from {line!r}")
    return argvs[0]


def shlex_argv(line: str) -> list[str]:
    return shlex.split(line, comments=False, posix=True)


def bash_is_comment(line: str) -> bool:
    return line.startswith("# ") and "\n" not in line and "\r" not in line
