"""The console entry: `check`'s target starts first (probes/launch.py), then the command line proper."""

from __future__ import annotations

import os
import sys
from typing import NoReturn, Union


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] != ["check"]:  # only `check` starts early: the rest goes straight to the parser
        _cli()
        return
    from d2l_doctor.probes import launch

    launch.head_start(argv, os.environ)
    try:
        _cli()
    except SystemExit as done:
        launch.discard()
        leave(done.code)
    finally:
        launch.discard()


def _cli() -> None:
    from d2l_doctor.cli import main as cli_main  # typer and the rest: imported after the head start

    cli_main()


def leave(code: Union[int, str, None]) -> NoReturn:
    """End `check` once its report is written, without the interpreter's teardown (about 0.1 s with yaml,
    pydantic and rich loaded): the exit handlers run and the output is flushed; nothing else is left to do, and
    a probe thread still stuck in a driver call cannot hold the exit."""
    import atexit

    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, or a closed stream: nothing more can be said
            pass
    os._exit(code or 0)
