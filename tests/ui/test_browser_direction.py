"""<html dir> follows the reader's language (ui/browser.py, issue 24): "rtl" for Arabic, "ltr" otherwise.

The page script sets it, on every page, the sign-in and refusal pages included (they stop early); the style
sheet holds the mirrored-layout hook. The browser side is tests/e2e/test_rtl_browser.py.
"""

from __future__ import annotations

import json
import re
from unittest import mock

import pytest
import streamlit as st

from ui import browser


def _shown(call: str, lang: str) -> list[str]:
    shown: list[str] = []
    with mock.patch.object(st, "html", lambda body, **_: shown.append(body)), \
            mock.patch.object(st, "sidebar", mock.MagicMock()):
        getattr(browser, call)(lang)
    return shown


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr"), ("fr", "ltr"), ("zh", "ltr")])
def test_the_page_direction_follows_the_language(lang: str, direction: str) -> None:
    [script] = [s for s in _shown("page_scripts", lang) if "<script>" in s]
    assert f'document.documentElement.dir = "{direction}";' in script


def test_the_page_script_puts_the_mirrored_layout_rules_in_the_page() -> None:
    [script] = [s for s in _shown("page_scripts", "ar") if "<script>" in s]
    assert 'dirStyle.textContent = "\\nhtml[dir=\\"rtl\\"] body { direction: rtl; }' in script
    assert '[data-testid=\\"stPlotlyChart\\"]' in script  # charts keep reading left to right


def _pairs(script: str, name: str) -> list[list[str]]:
    line = next(line for line in script.splitlines() if line.strip().startswith(f"g.{name} = "))
    return list(json.loads(line.split(" = ", 1)[1].rstrip(";")))


def test_a_language_without_a_catalog_replaces_no_streamlit_word_by_itself() -> None:
    """A language whose catalog gives English (Arabic before it had one) replaces nothing by itself: replacing
    "Help for " by "Help for " is a DOM change the page script's observer answered with another, forever (the
    Arabic test page never finished drawing in Chromium). Every registered language has a catalog now: Arabic's
    is taken away here, its texts falling back to English as a missing catalog's do."""
    english = browser.t

    with mock.patch.object(browser, "t", lambda key, lang, **kw: english(key, "en" if lang == "ar" else lang, **kw)):
        [script] = [s for s in _shown("page_scripts", "ar") if "<script>" in s]
    for name in ("words", "labelPrefixes"):
        assert [pair for pair in _pairs(script, name) if pair[0] == pair[1]] == []
    french = _pairs(next(s for s in _shown("page_scripts", "fr") if "<script>" in s), "patterns")
    # The sizes keep Streamlit's English; only the page-not-found notice (ours in every language) is replaced.
    assert [p for p, _ in _pairs(script, "patterns")] == [p for p in browser.STREAMLIT_NOTICES
                                                           if not re.search(p, "Page not found")]
    assert len(french) > len(_pairs(script, "patterns"))  # French does replace them


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_no_replacement_matches_its_own_pattern(lang: str) -> None:
    """A replacement its pattern matches again would be replaced again, forever (English "Page not found")."""
    [script] = [s for s in _shown("page_scripts", lang) if "<script>" in s]
    assert [(p, r) for p, r in _pairs(script, "patterns") if re.search(p, r)] == []


def test_french_still_replaces_streamlit_words() -> None:
    [script] = [s for s in _shown("page_scripts", "fr") if "<script>" in s]
    assert _pairs(script, "words") and _pairs(script, "labelPrefixes")
