"""Which test `smoke-gpu` is running: one line on a terminal's stderr ("Testing cuda:0 · float32 matmul vs
CPU…"), rewritten in place at each step the payload announces and cleared when it is done. It reads the
payload's own `@@d2l-smoke` markers as they arrive (runner.run hands each stderr line over), so the words follow
the target interpreter, not a guess. Nothing when stderr is not a terminal (pipes, --json into a file, CI),
as with `check`'s probe progress."""

from __future__ import annotations

import json
import threading
from typing import Any, Optional, TextIO

from d2l_doctor.i18n import t
from d2l_doctor.smoke.figures import test_name
from d2l_doctor.smoke.outcome import MULTI, PROGRESS
from d2l_doctor.terminal import isatty, lang_for, safe, stream_encoding
from d2l_doctor.textsafe import visible

# The payload's steps outside the device tests (payload/smoke.py), by the name its markers give them.
_STAGES = {"import torch": "smoke.progress.import", "cuda init": "smoke.progress.cuda_init"}


class SmokeProgress:
    """Feed it the payload's stderr lines (line()); close() clears what it wrote."""

    def __init__(self, err: TextIO, lang: str) -> None:
        self.err = err
        self.encoding = stream_encoding(err)
        self.lang = lang_for(lang, self.encoding)
        self._shown = 0
        self._lock = threading.Lock()  # the capture thread writes; close() runs on the main one

    @classmethod
    def for_terminal(cls, err: Optional[TextIO], lang: str) -> Optional[SmokeProgress]:
        """A progress line for a person waiting at a terminal; None in a pipe."""
        return cls(err, lang) if err is not None and isatty(err) else None

    def line(self, text: str) -> None:
        if not text.startswith(PROGRESS):
            return
        try:
            event = json.loads(text[len(PROGRESS) :])
        except ValueError:
            return
        if isinstance(event, dict) and event.get("event") == "start":
            words = self.words(event)
            if words:
                self._write(words)

    def words(self, event: dict[str, Any]) -> Optional[str]:
        """What a start marker says to the person waiting."""
        test, device = str(event.get("test") or ""), str(event.get("device") or "")
        if not test:
            return None
        if not device:
            return t(_STAGES[test], self.lang) if test in _STAGES else None
        name = test_name(test, self.lang)
        if device == MULTI:
            return t("smoke.progress.multi", self.lang, test=name)
        return t("smoke.progress.test", self.lang, device=device, test=name)

    def _write(self, text: str) -> None:
        from rich.cells import cell_len  # columns, not characters: a Chinese character takes two

        shown = safe(visible(text), self.encoding)
        with self._lock:
            try:
                self.err.write("\r" + shown + " " * max(0, self._shown - cell_len(shown)))
                self.err.flush()
                self._shown = cell_len(shown)
            except (OSError, ValueError):  # the terminal went away: the tests go on
                self._shown = 0

    def close(self) -> None:
        with self._lock:
            if self._shown:
                try:
                    self.err.write("\r" + " " * self._shown + "\r")
                    self.err.flush()
                except (OSError, ValueError):
                    pass
                self._shown = 0
