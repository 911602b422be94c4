"""Messages in English and Chinese, keyed by message id.

Each catalogue module owns the messages of one part of the tool and exposes `MESSAGES: {id: {"en": ..., "zh": ...}}`:
findings (rules), ui (console/markdown), fix (plans and prompts), smoke (smoke-gpu), report (ingest),
errors (bad usage and bad input). Templates
use str.format fields filled from a Finding's params; a missing field renders as "?" rather than raising.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Optional

LANGS = ("en", "zh")
_CATALOGUES = ("findings", "book", "ui", "fix", "fix_run", "smoke", "report", "errors", "matrix", "fleet", "setup")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    import importlib

    merged: dict[str, dict[str, str]] = {}
    for name in _CATALOGUES:
        try:
            module = importlib.import_module(f"d2l_doctor.i18n.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"d2l_doctor.i18n.{name}":
                continue
            raise
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message id {key!r} defined twice (i18n.{name})")
            merged[key] = texts
    return merged


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def t(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang` (falling back to English, then to the key itself), filled with params."""
    texts = catalogue().get(key)
    if texts is None:
        return key
    template = texts.get(lang) or texts.get("en") or key
    try:
        return template.format_map(_Params(params))
    except (
        ValueError,
        IndexError,
        AttributeError,
        TypeError,
    ):  # a malformed template must not crash the report
        return template


def has(key: str) -> bool:
    return key in catalogue()


def detect_lang(env: Optional[Mapping[str, str]] = None, windows_ui_lang: Optional[str] = None) -> str:
    """zh when the locale says Chinese (LC_ALL, LC_MESSAGES, LANG, or the Windows UI language), else en."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    if windows_ui_lang is None and os.name == "nt":
        windows_ui_lang = _windows_ui_language()
    if windows_ui_lang and windows_ui_lang.lower().startswith("zh"):
        return "zh"
    return "en"


def _windows_ui_language() -> Optional[str]:
    try:
        import ctypes
        import locale

        lang_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
        return locale.windows_locale.get(lang_id)
    except Exception:  # noqa: BLE001 - any failure means "unknown", and English
        return None
