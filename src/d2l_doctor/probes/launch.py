"""How the target payload is started, and `check`'s head start.

`check` waits mostly for the target interpreter to import torch, and the doctor's own start (the command
line's parser, the matrix, the rules: 0.28 s on the 2-core build machine) used to come first. The console
entry (entry.py) therefore reads argv cautiously and starts the payload before importing any of that;
probes/target.py adopts the run when it asks for the same one (interpreter, environment, --book). A reading
that is unsure of anything starts nothing, and a run nobody adopts is killed when the doctor exits.

Light on purpose: this module and what it imports are all that runs before the payload starts.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from d2l_doctor import runner
from d2l_doctor.probes.answer import new_nonce

PAYLOAD = Path(__file__).resolve().parent.parent / "payload" / "probe_env.py"

# `check`'s options as the head start reads them. An option not named here (a new one, or a typo) means no head
# start: the parser proper then has the last word. tests/probes/test_launch.py holds these against the CLI.
CHECK_FLAGS = frozenset({"--verbose", "-v", "--json", "--markdown"})
CHECK_VALUED = frozenset({"--python", "--timeout", "--lang", "--shell"})
# Options whose run must not start a probe before they are dealt with: a report is read instead of a probe, a
# matrix of the user's is validated before any probe starts (a broken one fails fast), help probes nothing.
CHECK_NO_PROBE = frozenset({"--from-report", "--matrix", "--help"})


def payload_env(env: Mapping[str, str]) -> dict[str, str]:
    clean = dict(env)
    # Set by macOS framework builds in the doctor's venv; inherited, the target would think it is that venv.
    clean.pop("__PYVENV_LAUNCHER__", None)
    return clean


def payload_argv(python: str, nonce: str, skip: Sequence[str] = (), book: bool = False) -> list[str]:
    argv = [python, str(PAYLOAD), "--nonce", nonce]
    argv += ["--skip", ",".join(sorted(skip))] if skip else []
    argv += ["--book"] if book else []
    return argv


@dataclass
class TargetRun:
    """One run of the payload in the target interpreter, started and not yet read."""

    python: str
    book: bool
    env: dict[str, str]  # payload_env() of what it was started with
    nonce: str
    cwd: str  # an empty folder of its own, removed by whoever ends the run
    launched: runner.Launched | runner.CmdResult  # a CmdResult: it could not start


def start(
    python: str, env: Mapping[str, str], cwd: str, book: bool = False, skip: Sequence[str] = ()
) -> TargetRun:
    nonce = new_nonce()
    clean = payload_env(env)
    launched = runner.launch(payload_argv(python, nonce, skip, book), env=clean, cwd=cwd)
    return TargetRun(python, book, clean, nonce, cwd, launched)


def check_python(argv: Sequence[str]) -> tuple[bool, Optional[str]]:
    """(whether `d2l-doctor ARGV` is a `check` that probes a target, its --python or None), read cautiously:
    (False, None) for anything else or anything unsure. Like the parser, the last --python wins."""
    if not argv or argv[0] != "check":
        return False, None
    python: Optional[str] = None
    i = 1
    while i < len(argv):
        name, eq, value = argv[i].partition("=")
        if name in CHECK_FLAGS and not eq:
            i += 1
        elif name in CHECK_VALUED:
            if not eq:
                if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                    return False, None
                value = argv[i + 1]
                i += 1
            i += 1
            if name == "--python":
                python = value
        else:  # CHECK_NO_PROBE, an option this reading does not know, an argument, `--`
            return False, None
    return True, python


_head: Optional[TargetRun] = None


def head_start(argv: Sequence[str], environ: Mapping[str, str]) -> None:
    """Start the payload for `d2l-doctor ARGV` now when it is a `check` whose target can be named already."""
    global _head
    wanted, python = check_python(argv)
    if not wanted or _head is not None:
        return
    try:
        from d2l_doctor.probes.resolve import resolve_target

        interpreter, _ = resolve_target(python, environ)
        cwd = tempfile.mkdtemp(prefix="d2l-doctor-")
    except Exception:  # a --python that is no interpreter: the command itself will say so, in its words
        return
    run = start(interpreter, environ, cwd, book=True)
    if isinstance(run.launched, runner.CmdResult):
        shutil.rmtree(cwd, ignore_errors=True)
        return
    _head = run


def adopt(python: str, env: Mapping[str, str], book: bool) -> Optional[TargetRun]:
    """The head start's run when it is the one asked for (then it is the caller's to end), else None; a head
    start that is not the one asked for is discarded: nobody will want it any more."""
    global _head
    run, _head = _head, None
    if run is None:
        return None
    if run.python == python and run.book == book and run.env == payload_env(env):
        return run
    end(run)
    return None


def discard() -> None:
    """Kill the head start's run if nobody adopted it (the command ended before its probe, or without one)."""
    global _head
    run, _head = _head, None
    if run is not None:
        end(run)


def end(run: TargetRun) -> None:
    if isinstance(run.launched, runner.Launched):
        runner.discard(run.launched)
    shutil.rmtree(run.cwd, ignore_errors=True)
