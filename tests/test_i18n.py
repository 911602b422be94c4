from __future__ import annotations

import string

import pytest

from d2l_doctor import i18n


def test_every_message_has_english_and_chinese() -> None:
    missing = [key for key, texts in i18n.catalogue().items() if not texts.get("en") or not texts.get("zh")]
    assert missing == []


def test_both_languages_use_the_same_template_fields() -> None:
    formatter = string.Formatter()
    mismatched = []
    for key, texts in i18n.catalogue().items():
        fields = [{f for _, f, _, _ in formatter.parse(texts[lang]) if f} for lang in ("en", "zh")]
        if fields[0] != fields[1]:
            mismatched.append(key)
    assert mismatched == []


def test_templates_fill_params_fall_back_and_never_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = {
        "x.title": {"en": "driver {version} too old", "zh": "驱动 {version} 太旧"},
        "x.en": {"en": "only {n}"},
    }
    monkeypatch.setattr(i18n, "catalogue", lambda: fake)
    assert i18n.t("x.title", "zh", version="470.82") == "驱动 470.82 太旧"
    assert i18n.t("x.title", "en") == "driver ? too old"
    assert i18n.t("x.en", "zh", n=3) == "only 3"
    assert i18n.t("no.such.message", "zh") == "no.such.message"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_TW"}, "zh"),
        ({}, "en"),
    ],
)
def test_language_follows_the_locale(env: dict[str, str], expected: str) -> None:
    assert i18n.detect_lang(env, windows_ui_lang=None) == expected


def test_windows_ui_language_counts_when_no_locale_variable() -> None:
    assert i18n.detect_lang({}, windows_ui_lang="zh_CN") == "zh"
