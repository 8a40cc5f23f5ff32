"""The page script (ui/browser.py) must hold nothing that reads as an HTML tag: with "<our label>" in a
comment, Streamlit's frontend ran none of it (French pages kept every English label; seen in Chromium)."""

from __future__ import annotations

import re
from unittest import mock

import pytest
import streamlit as st

from ui import browser


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_script_holds_no_tag_like_text(lang: str) -> None:
    shown: list[str] = []
    with mock.patch.object(st, "html", lambda body, **_: shown.append(body)), \
            mock.patch.object(st, "sidebar", mock.MagicMock()):
        browser.page_scripts(lang)
    [script] = [s for s in shown if "<script>" in s]
    body = script.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert re.findall(r"<[A-Za-z/!]", body) == []
