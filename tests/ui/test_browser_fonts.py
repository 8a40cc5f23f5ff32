"""Chinese pages declare and serve the vendored Noto Sans SC (ui/fonts.py, issue 24); no other page does.

The browser side (the font fetched and loaded, the screenshot) is in tests/e2e/test_journey_languages.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from unittest import mock

import pytest
import streamlit as st

from questionnaires.messages import languages
from reports.fonts import VENDORED
from ui import browser, fonts


def _script(lang: str) -> str:
    shown: list[str] = []
    with mock.patch.object(st, "html", lambda body, **_: shown.append(body)), \
            mock.patch.object(st, "sidebar", mock.MagicMock()):
        browser.page_scripts(lang)
    [script] = [s for s in shown if "<script>" in s]
    return script


def test_a_chinese_page_declares_both_weights_of_noto_sans_sc_for_cjk_characters_only() -> None:
    script = _script("zh")
    for name in ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf"):
        assert f'src: url(\\"/app/static/fonts/{name}\\")' in script
    assert script.count("unicode-range: U+2E80-2FDF") == 2  # Latin letters and digits keep Streamlit's face


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != "zh"])
def test_a_page_in_another_language_declares_no_font(lang: str) -> None:
    assert fonts.font_css(lang) == ""
    assert "NotoSansSC" not in _script(lang)


@pytest.mark.parametrize("name", ["NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf"])
def test_the_served_font_is_the_vendored_file(name: str) -> None:
    fonts.served_faces("zh")
    served = fonts.STATIC_DIR / name
    assert hashlib.sha256(served.read_bytes()).hexdigest() == VENDORED[name].sha256


def test_a_static_folder_that_cannot_be_written_declares_no_font(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    fonts.served_faces.cache_clear()
    try:
        with mock.patch.object(fonts, "STATIC_DIR", blocked / "fonts"):
            assert fonts.font_css("zh") == ""  # the reader's own fonts, never an address that answers 404
    finally:
        fonts.served_faces.cache_clear()
