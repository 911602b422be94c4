"""Catalogue templates filled so that an unknown fact never shows as a hole ("?", "None", "0-bit", "()").

A report from another machine leaves many facts unknown (the driver's CUDA, the interpreter's path, its
bitness), and the rules then pass `None`. The templates say what to do without such a value, on top of
str.format:

    [[ (CUDA {driver_cuda})]]         the clause is left out when a field in it is not known
    [[needs driver {needed}||needs a newer driver]]
                                      the first alternative whose fields are all known; none: left out
    {how:@finding.how}                a word from the catalogue for the value: message `finding.how.<value>`,
                                      else `finding.how.other` filled with {value}, else the value itself

Each language marks its own clauses, so each can reword around a gap in its own grammar. "Not known" is a
None, an empty string or an empty list; a field missing from the params counts as not known too. A field
outside every clause that is still not known reads as the catalogue's "not known": that is a catalogue bug,
and `missing_fields` lets the tests find it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from d2l_doctor import i18n
from d2l_doctor.i18n import has, t

_CLAUSE = re.compile(r"\[\[(.*?)\]\]", re.S)
_ALTERNATIVE = "||"
_PARSER = string.Formatter()


def known(value: Any) -> bool:
    """Whether a param or evidence value is a fact (not None, not empty)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, (list, tuple, set, dict)):
        return len(value) > 0
    return True


def template(key: str, lang: str) -> str | None:
    texts = i18n.catalogue().get(key)  # looked up at call time: tests put their own words in
    if texts is None:
        return None
    return texts.get(lang) or texts.get("en")


def say(key: str, lang: str, /, **params: Any) -> str:
    """Message `key` in `lang` (English, then the key itself, as fallbacks), its clauses chosen by which
    params are known. Never raises: a malformed template comes back as it is written."""
    text = template(key, lang)
    if text is None:
        return key
    try:
        return fill(text, params, lang)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return text


def fill(text: str, params: Mapping[str, Any], lang: str) -> str:
    return _Filler(lang).vformat(choose_clauses(text, params), (), dict(params))


def choose_clauses(text: str, params: Mapping[str, Any]) -> str:
    """text with each [[…]] replaced by its first alternative whose fields are all known, or by nothing."""

    def pick(match: re.Match[str]) -> str:
        for alternative in match.group(1).split(_ALTERNATIVE):
            if all(known(params.get(name)) for name in fields(alternative)):
                return alternative
        return ""

    return _CLAUSE.sub(pick, text)


def fields(text: str) -> list[str]:
    """The param names a template (or a part of one) uses."""
    try:
        parsed = list(_PARSER.parse(text))
    except ValueError:
        return []
    return [re.split(r"[.\[]", name, maxsplit=1)[0] for _, name, _, _ in parsed if name]


def missing_fields(key: str, lang: str, params: Mapping[str, Any]) -> list[str]:
    """Fields of message `key` that stand outside every clause and have no known value: the words would
    show a gap. Empty for a message that does not exist."""
    text = template(key, lang)
    if text is None:
        return []
    return [name for name in fields(choose_clauses(text, params)) if not known(params.get(name))]


def phrase(text: str, lang: str) -> str:
    """A fixed English phrase that a rule or probe states as a fact ("not installed") in the report's language
    (`ui.evval.<phrase>`); any other text as it is."""
    key = "ui.evval." + re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return t(key, lang) if len(text) <= 40 and has(key) else text


def syntax_errors(text: str) -> list[str]:
    """What is wrong with a template's clause markup: unclosed or nested clauses, a stray `||`."""
    outside = _CLAUSE.sub("", text)
    errors = []
    if "[[" in outside or "]]" in outside:
        errors.append("a [[ without its ]] (or a nested clause)")
    if _ALTERNATIVE in outside:
        errors.append("|| outside a clause")
    if any("[[" in m.group(1) for m in _CLAUSE.finditer(text)):
        errors.append("a clause inside a clause")
    return errors


class _Unknown:
    """A field with no known value (only where a template has no clause for it)."""


_UNKNOWN = _Unknown()


class _Filler(string.Formatter):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        value = kwargs.get(key) if isinstance(key, str) else None
        return value if known(value) else _UNKNOWN

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is _UNKNOWN:
            return t("ui.val.unknown", self.lang)
        if format_spec.startswith("@"):
            return self._word(format_spec[1:], value)
        if isinstance(value, (list, tuple)):
            return t("ui.list_sep", self.lang).join(str(v) for v in value)
        return format(value, format_spec) if format_spec else str(value)

    def _word(self, prefix: str, value: Any) -> str:
        key = f"{prefix}.{value}"
        if has(key):
            return say(key, self.lang, value=value)
        if has(f"{prefix}.other"):
            return say(f"{prefix}.other", self.lang, value=value)
        return str(value)
