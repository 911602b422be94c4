"""`check` says which probe it is waiting for (on a terminal), and leaves no trace of it when done."""

from __future__ import annotations

import io
import threading

import pytest

from d2l_doctor.probes import progress as P


def test_names_the_probes_still_running_then_clears(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(P, "DELAY_S", 0.0)
    monkeypatch.setattr(P, "TICK_S", 0.01)
    out = io.StringIO()
    shown = threading.Event()
    running = ["book", "target"]

    def alive() -> list[str]:
        if "Checking" in out.getvalue():
            shown.set()
        return running

    bar = P.ProbeProgress(out, "en")
    bar.start(alive)
    assert shown.wait(30)
    bar.stop()
    text = out.getvalue()
    assert "waiting for your Python (importing torch), the book's first cell" in text
    assert text.endswith("\r") and text.rstrip("\r").split("\r")[-1].strip() == ""
