"""Quoting for each shell: pasting the rendered line must run exactly the argv.

bash is proved by running the line in a real bash. PowerShell and cmd do not run here, so their lines are read
back with models of their documented parsing: PowerShell's single-quoted strings; cmd's %VAR% expansion and
^/quote handling followed by the C runtime's argument rules (backslashes, `""` inside quotes).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from d2l_doctor.fixes.shell import quote_argv
from d2l_doctor.probes.shell import detect_shell, shell_for
from tests.hostile.shells import msvc_split as _crt_split  # the C runtime's argv rules, with their sources

NASTY = [
    "pillow>=9",
    "numpy<2",
    "C:\\Program Files\\Python 3.11\\python.exe",
    "/home/ada/it's a $(test) & dir/bin/python",
    "it's a $(test) & dir",
    'say "hi"',
    "trailing backslash\\",
    'back\\"quote',
    "100% sure",
    "%PATH%",
    "a^b",
    "x|y",
    "<in>",
    "semi;colon",
    "$HOME",
    "`tick`",
    "!bang!",
    "中文 路径",
    "--trusted-host",
    "-f.x",
    "curly‘quote’",
    "",
]


# --------------------------------------------------------------------------- bash: the real thing


def test_bash_round_trip_in_a_real_shell() -> None:
    echo = [sys.executable, "-c", "import json, sys; print(json.dumps(sys.argv[1:]))"]
    line = quote_argv([*echo, *NASTY], "bash")
    out = subprocess.run(
        ["bash", "-c", line], capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"}
    )
    assert json.loads(out.stdout) == NASTY


def test_bash_quotes_only_what_needs_it() -> None:
    assert quote_argv(["/venv/bin/python", "-m", "pip", "install", "pillow>=9"], "bash") == (
        "/venv/bin/python -m pip install 'pillow>=9'"
    )


# --------------------------------------------------------------------------- PowerShell


def _ps_parse(line: str) -> list[str]:
    """Tokens of a PowerShell command line made of bare words and single-quoted strings (with `& ` first)."""
    quotes = "'\u2018\u2019\u201a\u201b"
    special = set(' \t"$`;&|<>(){}@,#') | set(quotes)
    out: list[str] = []
    i = 0
    if line.startswith("& "):
        i = 2
    while i < len(line):
        if line[i] == " ":
            i += 1
            continue
        if line[i] in quotes:
            i += 1
            buf = []
            while True:
                assert i < len(line), f"unterminated string in {line!r}"
                if line[i] in quotes:
                    if i + 1 < len(line) and line[i + 1] in quotes:
                        buf.append(line[i])
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(line[i])
                i += 1
            out.append("".join(buf))
        else:
            j = i
            while j < len(line) and line[j] != " ":
                assert line[j] not in special, f"unquoted {line[j]!r} in {line!r}"
                j += 1
            word = line[i:j]
            assert not (word.startswith("-") and ("." in word or ":" in word)), f"{word!r} would be split"
            out.append(word)
            i = j
    return out


def test_powershell_round_trip() -> None:
    # A `"` inside an argument, an empty one, or a trailing backslash in one with a space reach the program
    # differently from PowerShell 5.1 and 7.3+: such a command is refused (tests/hostile/test_printed_commands.py
    # reads both versions' rules).
    carried = [a for a in NASTY if '"' not in a and a and not (a.endswith("\\") and " " in a)]
    argv = ["C:\\Users\\ada\\miniconda3\\python.exe", "-m", "pip", "install", *carried]
    assert _ps_parse(quote_argv(argv, "powershell")) == argv
    for refused in set(NASTY) - set(carried):
        assert quote_argv(["python", refused], "powershell").startswith("# d2l-doctor: ")


def test_powershell_runs_a_quoted_program_with_the_call_operator() -> None:
    line = quote_argv(
        ["C:\\Program Files\\Python311\\python.exe", "-m", "pip", "install", "pillow>=9"], "powershell"
    )
    assert line == "& 'C:\\Program Files\\Python311\\python.exe' -m pip install 'pillow>=9'"
    assert quote_argv(["python", "-c", "it's"], "powershell") == "python -c 'it''s'"


# --------------------------------------------------------------------------- cmd


def _cmd_expand(line: str, env: dict[str, str]) -> str:
    """cmd's first phase at the prompt: %NAME% becomes the variable's value; an undefined one stays as it
    is."""
    out = []
    i = 0
    while i < len(line):
        if line[i] == "%":
            end = line.find("%", i + 1)
            if end > i and line[i + 1 : end] in env:
                out.append(env[line[i + 1 : end]])
                i = end + 1
                continue
        out.append(line[i])
        i += 1
    return "".join(out)


def _cmd_carets(line: str) -> str:
    """cmd's second phase: outside quotes ^ escapes the next character and & | < > would end the command."""
    out = []
    quoted = False
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "^":
            out.append(line[i + 1])
            i += 2
            continue
        elif not quoted:
            assert ch not in "&|<>", f"unquoted {ch!r} in {line!r}"
        out.append(ch)
        i += 1
    return "".join(out)


def test_cmd_round_trip() -> None:
    env = {"PATH": "EXPANDED", "HOME": "EXPANDED"}
    # No Windows path, package or kernel name holds a `"`; one that does is refused, never guessed at.
    carried = [a for a in NASTY if '"' not in a]
    argv = ["C:\\Program Files\\Python 3.11\\python.exe", "-m", "pip", "install", *carried]
    line = quote_argv(argv, "cmd")
    assert _crt_split(_cmd_carets(_cmd_expand(line, env))) == argv
    assert quote_argv(["python", 'say "hi"'], "cmd").startswith("REM d2l-doctor: ")


def test_cmd_examples() -> None:
    assert quote_argv(["C:\\py\\python.exe", "-m", "pip", "install", "pillow>=9"], "cmd") == (
        'C:\\py\\python.exe -m pip install "pillow>=9"'
    )
    # A folder ending in a backslash keeps it: the closing quote is not escaped.
    assert quote_argv(["x", "C:\\my dir\\"], "cmd") == 'x "C:\\my dir\\\\"'


@pytest.mark.parametrize("shell", ["bash", "powershell", "cmd"])
def test_every_shell_quotes_a_requirement_with_a_specifier(shell: str) -> None:
    line = quote_argv(["python", "-m", "pip", "install", "pillow>=9"], shell)
    assert "pillow>=9" in line and not line.endswith(" pillow>=9")  # quoted, so > is not a redirection


def test_detect_shell() -> None:
    assert detect_shell({}, os_name="posix") == "bash"


@pytest.mark.parametrize(
    ("chosen", "named", "expected"),
    [
        ("cmd", "pwsh", "cmd"),  # --shell wins
        (None, "pwsh", "powershell"),  # else the shell a report from another machine names
        (None, "PowerShell", "powershell"),
        (None, "cmd", "cmd"),
        (None, "zsh", "bash"),
    ],
)
def test_commands_are_written_for_the_chosen_then_the_named_shell(
    chosen: str | None, named: str, expected: str
) -> None:
    assert shell_for(chosen, named) == expected


def test_with_no_shell_named_the_terminal_s_own_is_used() -> None:
    assert shell_for(None, None) == detect_shell() == shell_for(None, "")
