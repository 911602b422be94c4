"""Which probe `check` is waiting for: one line on a terminal's stderr, rewritten in place, from the first
second on, and cleared when every probe has answered. Nothing when stderr is not a terminal (pipes, --json
into a file, the tests) or when everything answers within the second."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Optional, TextIO

DELAY_S = 1.0  # a wait shorter than this needs no words
TICK_S = 0.25
ORDER = ("target", "book", "jupyter", "nvml", "pci", "cuda", "host", "conda")


class ProbeProgress:
    """Call start(alive) with a function that names the probes still running; stop() when done."""

    def __init__(self, err: TextIO, lang: str) -> None:
        self.err, self.lang = err, lang
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._shown = 0

    def start(self, alive: Callable[[], Sequence[str]]) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(alive,), name="d2l-doctor-progress", daemon=True
        )
        self._thread.start()

    def _run(self, alive: Callable[[], Sequence[str]]) -> None:
        from d2l_doctor.i18n import t

        began = time.monotonic()
        while not self._stop.wait(TICK_S):
            if time.monotonic() - began < DELAY_S:
                continue
            names = sorted(alive(), key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))
            if not names:
                continue
            probes = t("ui.list_sep", self.lang).join(t(f"progress.probe.{n}", self.lang) for n in names)
            self._write(
                t("progress.waiting", self.lang, probes=probes, seconds=f"{time.monotonic() - began:.0f}")
            )

    def _write(self, text: str) -> None:
        try:
            pad = max(0, self._shown - len(text))
            self.err.write("\r" + text + " " * pad)
            self.err.flush()
            self._shown = len(text)
        except (OSError, ValueError, UnicodeEncodeError):
            self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
        if self._shown:
            self._write(" " * self._shown)
            self.err.write("\r")
            self.err.flush()
