from __future__ import annotations

import pytest

from d2l_doctor import i18n
from tests.render.scenarios import TEST_MESSAGES


@pytest.fixture(autouse=True)
def finding_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real catalogue plus the scenarios' finding words (these win): goldens follow only the renderers."""
    merged = dict(i18n.catalogue())
    merged.update(TEST_MESSAGES)
    monkeypatch.setattr(i18n, "catalogue", lambda: merged)
