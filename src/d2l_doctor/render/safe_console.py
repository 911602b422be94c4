"""A rich Console that cannot be steered by the text it prints.

Every renderer prints strangers' text: a report's interpreter path, a tool's error line, a GPU name. Rich drops
some controls (BEL, CR) but passes ESC and the C1 and bidi controls through, so a report could clear the screen,
retitle the window (OSC 0) or forge a hyperlink (OSC 8). Here every text segment goes through
textsafe.visible() as it is written, after rich has laid it out and before its own styling is added: whatever
the renderer forgot, nothing from outside reaches the terminal raw. Markup is off as well, so `[/x]` in a path
is text, never a rich tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

from d2l_doctor.textsafe import visible


class SafeConsole(Console):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        super().__init__(*args, **kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # Control segments are rich's own (cursor moves it asked for); text segments are shown, never obeyed.
        safe = (
            segment if segment.control else Segment(visible(segment.text, multiline=True), segment.style)
            for segment in buffer
        )
        return super()._render_buffer(safe)
