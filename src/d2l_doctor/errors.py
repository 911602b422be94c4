"""Errors that end the command with exit code 2 and one line on stderr (bad usage, bad input)."""


class UsageError(Exception):
    """Bad usage or bad input: the CLI prints `d2l-doctor: error: <message>` and exits 2, never a traceback."""

    exit_code = 2
