"""Every CLI test starts from a known reading language: English, unless the test sets the language itself."""

from __future__ import annotations

import pytest

from iotready.lang import LANG_ENV, LOCALE_ENVS


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own locale (a French desktop) must not decide what the English assertions see."""
    for name in (LANG_ENV, *LOCALE_ENVS):
        monkeypatch.delenv(name, raising=False)
