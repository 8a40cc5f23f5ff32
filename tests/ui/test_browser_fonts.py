"""Chinese pages declare and serve the vendored Noto Sans SC (ui/fonts.py, issue 24); no other page does.

Every page draws the language links' "中文" with a subset of it holding those two characters, given inline.
The browser side (the font fetched and loaded, the screenshot) is in tests/e2e/test_journey_languages.py.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path
from unittest import mock

import pytest
import streamlit as st
from fontTools.ttLib import TTFont

from questionnaires.languages import REGISTRY
from questionnaires.messages import languages
from reports.fonts import VENDORED, VENDORED_DIR
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
def test_a_page_in_another_language_declares_only_the_inline_face_of_the_language_names(lang: str) -> None:
    assert fonts.font_css(lang) == fonts.names_css() != ""
    assert "NotoSansSC" not in _script(lang)  # nothing to download: the 10 MB files are for Chinese pages
    assert fonts.names_css() in fonts.font_css("zh")


def _names_face() -> tuple[str, bytes]:
    """The inline face's unicode-range and the font its data: URI holds."""
    [(data, ranges)] = re.findall(r'@font-face \{ font-family: "IoTReady Language Names"; '
                                  r'src: url\("data:font/ttf;base64,([A-Za-z0-9+/=]+)"\) format\("truetype"\); '
                                  r"font-weight: 100 900; font-style: normal; unicode-range: ([^;]+); \}",
                                  fonts.names_css())
    return ranges, base64.b64decode(data)


def test_the_characters_needing_the_names_font_are_the_chinese_name_s_from_the_registry() -> None:
    assert fonts.name_characters() == "中文" == "".join(sorted(REGISTRY["zh"].name))
    ranges, font = _names_face()
    assert ranges == "U+4E2D, U+6587"  # only them: every other character keeps the page's fonts
    assert font == fonts.NAMES_FONT.read_bytes()
    links = '.iot-languages a { font-family: "Source Sans", "IoTReady Language Names", sans-serif; }'
    assert links in fonts.names_css()  # after Streamlit's font: a Chinese page's whole faces come first


def test_the_names_font_holds_exactly_those_glyphs_drawn_as_in_the_whole_font_under_its_licence() -> None:
    _, data = _names_face()
    subset = TTFont(io.BytesIO(data))
    assert sorted(subset.getBestCmap()) == [ord(c) for c in fonts.name_characters()]
    assert len(data) < 2_000  # about 2.2 kB inline, where the whole font is 10.6 MB
    whole = TTFont(VENDORED_DIR / "NotoSansSC-Regular.ttf", lazy=True)
    for char in fonts.name_characters():
        mine, theirs = subset.getBestCmap()[ord(char)], whole.getBestCmap()[ord(char)]
        ours_glyph, whole_glyph = subset["glyf"][mine], whole["glyf"][theirs]
        assert ours_glyph.numberOfContours > 0
        assert list(ours_glyph.getCoordinates(subset["glyf"])[0]) == list(whole_glyph.getCoordinates(whole["glyf"])[0])
        assert subset["hmtx"][mine] == whole["hmtx"][theirs]
    names = {r.nameID: r.toUnicode() for r in subset["name"].names if r.platformID == 3}
    assert names[1] == fonts.NAMES_FAMILY and "Source" not in names[1]  # a modified font: not the reserved name
    assert "Adobe" in names[0] and "SIL Open Font License" in names[13]
    assert VENDORED[fonts.NAMES_FONT.name].licence == "OFL-NotoSansSC.txt"


def test_the_names_font_is_what_the_registry_s_names_make_now() -> None:
    """A language added with other CJK characters in its name: ``python -m ui.fonts`` makes the file again."""
    made = TTFont(io.BytesIO(fonts.make_names_font(fonts.name_characters())))
    assert made.getBestCmap() == TTFont(fonts.NAMES_FONT).getBestCmap()


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
            # the reader's own fonts (and the names' inline subset), never an address that answers 404
            assert fonts.font_css("zh") == fonts.names_css()
    finally:
        fonts.served_faces.cache_clear()
