"""<html dir> follows the reader's language (ui/browser.py, issue 24): "rtl" for Arabic, "ltr" otherwise.

The page script and the language-only script both set it, so a page that stops early is mirrored too; the
style sheet holds the mirrored-layout hook. The browser side is tests/e2e/test_rtl_browser.py.
"""

from __future__ import annotations

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


@pytest.mark.parametrize("call", ["page_scripts", "remember_language"])
@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr"), ("fr", "ltr"), ("zh", "ltr")])
def test_the_page_direction_follows_the_language(call: str, lang: str, direction: str) -> None:
    [script] = [s for s in _shown(call, lang) if "<script>" in s]
    assert f'document.documentElement.dir = "{direction}";' in script


def test_the_style_sheet_mirrors_the_layout_for_right_to_left() -> None:
    style = next(s for s in _shown("page_scripts", "ar") if "<style>" in s)
    assert 'html[dir="rtl"] body { direction: rtl; }' in style
    assert 'html[dir="rtl"] [data-testid="stPlotlyChart"]' in style  # charts keep reading left to right
