"""Every printed command, read back by its shell's grammar, is exactly one command with the intended argv.

The arguments are generated (a fixed seed, so CI sees the same ones every run) from pieces that matter to some
shell: every quote each shell knows, its escape and expansion characters, command separators, line breaks,
terminal escapes, bidi overrides, trailing backslashes, empty strings. An argument a shell cannot carry exactly
must be refused with a comment line holding no outside text; nothing else may be printed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from d2l_doctor.fixes.shell import quote_argv, refusal
from d2l_doctor.textsafe import visible
from tests.hostile import shells
from tests.hostile.harness import TALLY

PIECES = [
    "a",
    "pillow>=9",
    "numpy<2",
    " ",
    "\t",
    "'",
    '"',
    "`",
    "\u2018",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u201e",
    "$",
    "$(touch /tmp/d2l-doctor-canary)",
    "${HOME}",
    "$env:PATH",
    "%",
    "%PATH%",
    "%PATH:a=b%",
    "%USERNAME%",
    "!PATH!",
    "^",
    "&",
    "&&",
    "|",
    "||",
    "<",
    ">",
    ";",
    "(",
    ")",
    "{",
    "}",
    "@",
    "#",
    ",",
    "~",
    "*",
    "?",
    "[x]",
    "\\",
    "\\\\",
    '\\"',
    "C:\\Users\\",
    "--%",
    "--",
    "-x.y",
    "-f:z",
    "\r\n",
    "\n",
    "\r",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x1b]8;;http://evil/\x1b\\",
    "\u202e",
    "\u2066",
    "\x00",
    "\x9b",
    "中文",
    "é",
    "\U0001f600",
    "calc.exe",
    "\udcff",
]
PROGRAMS = [
    "python",
    "/home/ada/envs/d2l/bin/python",
    "C:\\Users\\ada\\miniconda3\\python.exe",
    "C:\\Program Files\\Python 3.11\\python.exe",
    'C:\\x" & calc.exe & "\\python.exe',
    "C:\\100% sure\\python.exe",
    "C:\\a^b&c\\python.exe",
    "/tmp/it's $(x)/python",
    "C:\\evil\r\ncalc.exe\\python.exe",
]
# Variables a Windows user has: any %NAME% of these left for cmd to see would be expanded.
CMD_ENV = {"PATH": "C:\\Windows", "USERNAME": "ada", "HOME": "C:\\Users\\ada", "x": "X", "a": "A", "b": "B"}


def _arguments(rng: random.Random) -> list[str]:
    return [
        "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 5))) for _ in range(rng.randrange(1, 4))
    ]


def _cases(count: int) -> list[list[str]]:
    rng = random.Random(20260806)
    cases = [[program, "-m", "ipykernel", "install", "--name", *_arguments(rng)] for program in PROGRAMS]
    cases += [[rng.choice(PROGRAMS), *_arguments(rng)] for _ in range(count)]
    cases += [["python", piece] for piece in PIECES]
    return cases


CASES = _cases(250)


def _justified(argv: Sequence[str], shell: str) -> bool:
    joined = "".join(argv)
    if "\x00" in joined:
        return True
    if shell == "cmd":
        return '"' in joined or any(visible(a) != a for a in argv)
    if shell == "powershell":
        return (
            '"' in joined or "" in argv or any(a.endswith("\\") and any(c.isspace() for c in a) for a in argv)
        )
    return any(0xD800 <= ord(c) <= 0xDFFF and not 0xDC80 <= ord(c) <= 0xDCFF for c in joined)


@pytest.mark.parametrize("shell", ["bash", "cmd", "powershell"])
def test_every_printed_command_is_one_command_with_its_argv(shell: str) -> None:
    failures = []
    printed = [quote_argv(argv, shell) for argv in CASES]
    accepted = [line for argv, line in zip(CASES, printed) if refusal(argv, shell) is None]
    canary = Path("/tmp/d2l-doctor-canary")  # what a `$(touch …)` that escaped its quotes would create
    canary.unlink(missing_ok=True)
    by_bash = iter(shells.bash_argvs(accepted) if shell == "bash" else [])
    assert not canary.exists(), "a command substitution ran while bash read the printed lines"
    for argv in CASES:
        line = quote_argv(argv, shell)
        assert visible(line) == line, f"raw control characters printed for {argv!r}: {line!r}"
        if refusal(argv, shell) is not None:
            TALLY["refused"] += 1
            is_comment = {"bash": shells.bash_is_comment, "cmd": shells.cmd_is_comment}.get(
                shell, shells.ps_is_comment
            )
            assert is_comment(line), line
            assert _justified(argv, shell), f"refused without need: {argv!r}"
            assert not any(a and a in line for a in argv if len(a) > 2), (
                f"outside text in a refusal: {line!r}"
            )
            continue
        TALLY["commands read back"] += 1
        try:
            if shell == "bash":
                assert next(by_bash) == list(argv)
                if "$'" not in line:
                    assert shells.shlex_argv(line) == list(argv)
            elif shell == "cmd":
                assert shells.cmd_argv(line, CMD_ENV) == list(argv)
            else:
                for passing in ("legacy", "standard"):
                    assert shells.ps_argv(line, passing) == list(argv), passing
        except AssertionError as exc:  # NotOneCommand is one too
            TALLY["injections"] += 1
            failures.append(f"{argv!r}\n  -> {line!r}\n  {exc}")
    assert not failures, f"{len(failures)} of {len(CASES)} lines are not the intended command:\n" + "\n".join(
        failures[:10]
    )


def test_the_issue_s_own_examples() -> None:
    evil = ['C:\\x" & calc.exe & "\\python.exe', "-m", "pip", "install", "pillow"]
    assert quote_argv(evil, "cmd").startswith("REM ")
    assert quote_argv(evil, "powershell").startswith("# ")
    assert shells.bash_argv(quote_argv(evil, "bash")) == evil
    kernel = ["C:\\py\\python.exe", "-m", "ipykernel", "install", "--user", "--name", "d2l\r\ncalc.exe"]
    assert quote_argv(kernel, "cmd").startswith("REM ")
    assert "\n" not in quote_argv(kernel, "bash") and shells.bash_argv(quote_argv(kernel, "bash")) == kernel
    line = quote_argv(kernel, "powershell")
    assert "\n" not in line and shells.ps_argv(line, "legacy") == kernel


def test_powershell_5_and_7_disagree_where_we_refuse() -> None:
    # The reason for refusing: the same line gives two argvs, by the rules of each version.
    line = "& 'C:\\a\"b c\\python.exe' 'x\"y z'"
    assert shells.ps_argv(line, "legacy") != shells.ps_argv(line, "standard")
    assert shells.ps_argv("python ''", "legacy") == ["python"]
    assert shells.ps_argv("python ''", "standard") == ["python", ""]
