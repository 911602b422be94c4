"""The one way d2l-doctor talks to a terminal: a rich Console that outside text cannot steer, a writer that
survives a console that cannot encode a character, whether a stream is a terminal, the language it can show,
and the questions asked before anything changes.

Every renderer prints strangers' text: a report's interpreter path, pip's output, a package name such as
`torch[cuda]`. The Console reads no markup (`[/]` is text, never a rich tag) and passes every text segment
through textsafe.visible() as it is written, after rich has laid it out and before its own styling is added:
an ESC, an OSC 8 hyperlink or a bidi override from outside is shown, never obeyed.

render/, fixes/, smoke/ and the commands all take their Console from `console()`; nobody else builds one.
"""

from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any, Callable, Optional

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console
    from rich.segment import Segment

# A sample of the Chinese catalogue's characters, with its full-width punctuation: a stream that encodes these
# encodes the whole zh catalogue in practice; anything that still does not fit is replaced by `safe`.
_ZH_SAMPLE = "检查错误警告提示，：（）"
_YES = frozenset({"y", "yes", "是", "是的", "好"})


class Tolerant:
    """A text stream that writes what its encoding lacks as "?" (a GBK console, an ASCII pipe), instead of
    raising in the middle of a plan."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.encoding = getattr(stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except UnicodeEncodeError:
            return self.stream.write(text.encode(self.encoding, "replace").decode(self.encoding))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return isatty(self.stream)

    def fileno(self) -> int:
        return self.stream.fileno()


def console(
    stream: Optional[IO[str]] = None,
    *,
    stderr: bool = False,
    color: Optional[bool] = None,
    width: Optional[int] = None,
    soft_wrap: bool = True,
) -> Console:
    """The Console for stream (default stdout, or stderr). Markup and emoji codes are off: every string printed
    is text, whoever wrote it. color: None lets rich decide (a terminal? NO_COLOR?); False never; True
    always. soft_wrap: a long command stays one line, so it can be copied and pasted whole (tables that must
    fold their cells turn it off)."""
    out = stream if stream is not None else (sys.stderr if stderr else sys.stdout)
    if color is False:
        return _safe_console()(
            file=Tolerant(out),  # type: ignore[arg-type]
            markup=False, emoji=False, highlight=False, soft_wrap=soft_wrap, width=width,
            color_system=None, force_terminal=False,
        )  # fmt: skip
    return _safe_console()(
        file=Tolerant(out),  # type: ignore[arg-type]
        markup=False, emoji=False, highlight=False, soft_wrap=soft_wrap, width=width,
        force_terminal=True if color else None,
    )  # fmt: skip


@lru_cache(maxsize=1)
def _safe_console() -> type[Console]:
    """The Console class whose text segments are shown through visible() (built on first use: rich is
    imported only by the commands that print)."""
    from rich.console import Console
    from rich.segment import Segment

    from d2l_doctor.textsafe import visible

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            # Control segments are rich's own (cursor moves it asked for); text segments are shown, never obeyed.
            safe = (
                segment if segment.control else Segment(visible(segment.text, multiline=True), segment.style)
                for segment in buffer
            )
            return super()._render_buffer(safe)

    return SafeConsole


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def stream_encoding(stream: Any) -> str:
    """The codec name of a text stream ("utf-8", "gbk", "ascii"); utf-8 when the stream does not say."""
    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def can_encode(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def safe(text: str, encoding: str) -> str:
    """text with every character the encoding lacks replaced by "?"."""
    try:
        return text.encode(encoding, "replace").decode(encoding)
    except LookupError:
        return text


def lang_for(lang: str, encoding: str) -> str:
    """Chinese only where the stream can show it: on an ASCII pipe, English beats a screen of "?"."""
    if lang == "zh" and not can_encode(_ZH_SAMPLE, encoding):
        return "en"
    return lang


def language(lang: str, stream: Any = None) -> str:
    """The language a command speaks on stream (default stdout)."""
    return lang_for(lang, stream_encoding(sys.stdout if stream is None else stream))


# ---------------------------------------------------------------------------------------------------------------
# Questions before a change


def require_terminal(lang: str, option: str = "--apply", stdin: Optional[IO[str]] = None) -> None:
    """Refuse (UsageError, exit 2) where nobody could answer a question: stdin is no terminal."""
    if not isatty(stdin or sys.stdin):
        raise UsageError(t("fix.apply.no_tty", lang, option=option))


def confirm(
    question: str,
    *,
    yes: bool,
    lang: str,
    stdin: Optional[IO[str]] = None,
    ask: Optional[Callable[[str], str]] = None,
    option: str = "--apply",
) -> bool:
    """--yes: go. No terminal to ask on: refuse (UsageError, exit 2). Otherwise ask; anything but yes is
    no."""
    if yes:
        return True
    require_terminal(lang, option, stdin)
    answer = (ask or input)(f"{question} {t('fix.apply.yes_no', lang)} ")
    return answer.strip().lower() in _YES


def ask_on_stderr(prompt: str) -> str:
    """Ask with the question on stderr: with --json, stdout carries only the JSON document."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    return sys.stdin.readline()


@dataclass(frozen=True)
class Terminal:
    """How a command that changes things talks to the user. With --json stdout carries only the JSON
    document, so the words, the progress and the questions all go to stderr."""

    console: Console
    progress: IO[str]  # where a run's progress display writes
    stdin: Optional[IO[str]]  # None: sys.stdin
    ask: Optional[Callable[[str], str]]  # None: input()

    def confirm(self, question: str, *, yes: bool, lang: str, option: str = "--apply") -> bool:
        return confirm(question, yes=yes, lang=lang, stdin=self.stdin, ask=self.ask, option=option)


def for_command(
    json: bool, stdin: Optional[IO[str]] = None, ask: Optional[Callable[[str], str]] = None
) -> Terminal:
    if ask is None and json:
        ask = ask_on_stderr
    return Terminal(console(stderr=json), sys.stderr if json else sys.stdout, stdin, ask)
