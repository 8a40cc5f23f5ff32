"""The PDF profile in Russian and Chinese from their real catalogs (issue 24): their words in reading order,
every character in the embedded fonts, Chinese broken between characters inside the margins, no internal id,
and decimals with each language's own mark (CLDR through Babel: Russian a comma, Chinese a point)."""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from babel.numbers import get_decimal_symbol

from answers.document import AnswersDocument
from questionnaires import Questionnaire, default_questionnaire
from questionnaires.languages import language
from questionnaires.messages import t
from recommendations.engine import recommend
from reports import fonts
from reports.profile import render_profile
from reports.text import covered
from scoring.engine import score
from tests.localization import code_like_tokens, decimal_points
from tests.reports.helpers import flat, pages_text
from tests.reports.test_profile import _char_boxes_inside
from tests.reports.test_scripts_pdf import _embedded_fonts
from tests.strategies import all_answers

LANGS = ("ru", "zh")
DAY = date(2026, 12, 7)
MM = 72 / 25.4
# A question number where Russian writes it: "ответ на вопрос 1.3" (the shared check knows "question 1.3").
RUSSIAN_QUESTION = re.compile(r"\bвопрос\w*\s+(?=\d)")
COMMA_DECIMAL = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?!\d)")  # "47,7"; a group mark is followed by three digits


def wrong_decimal_marks(text: str, q: Questionnaire, lang: str) -> list[str]:
    """Numbers written with the other language's decimal mark: a point where CLDR's ``lang`` writes a comma
    (Russian 64,1), or a comma where it writes a point (Chinese 64.1)."""
    mark = get_decimal_symbol(language(lang).locale)
    if mark == ",":
        return decimal_points(RUSSIAN_QUESTION.sub("question ", text), q)
    assert mark == ".", mark
    return COMMA_DECIMAL.findall(text)


@pytest.fixture(scope="module")
def shipped() -> Questionnaire:
    return default_questionnaire()


@pytest.fixture(scope="module")
def worst(shipped: Questionnaire) -> AnswersDocument:
    return all_answers(shipped, "worst")


@pytest.fixture(scope="module")
def profiles(shipped: Questionnaire, worst: AnswersDocument) -> dict[str, tuple[bytes, list[str]]]:
    """Each language's profile and the warnings drawing it raised (matplotlib names a glyph its fonts lack)."""
    out = {}
    for lang in LANGS:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            pdf = render_profile(shipped, worst, lang=lang, generated_on=DAY)
        out[lang] = (pdf, [str(w.message) for w in seen])
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_pillars_and_the_questions_read_in_the_language_in_their_order(
    profiles: dict[str, tuple[bytes, list[str]]], shipped: Questionnaire, lang: str
) -> None:
    text = _squeeze(" ".join(pages_text(profiles[lang][0])))
    names = [_squeeze(p.name.get(lang)) for p in shipped.pillars]
    assert all(name != _squeeze(p.name.en) for name, p in zip(names, shipped.pillars, strict=True))
    at = [text.find(name) for name in names]
    assert -1 not in at, [p.name.get(lang) for p, i in zip(shipped.pillars, at, strict=True) if i < 0]
    assert at == sorted(at)  # the contents list them in the questionnaire's order
    for question in shipped.questions_in(shipped.pillars[0].id):
        assert _squeeze(question.text.get(lang)) in text, question.text.get(lang)
    assert _squeeze(t("unofficial_translation", lang)) in text
    assert _squeeze(shipped.pillars[0].name.en) not in text


@pytest.mark.parametrize("lang", LANGS)
def test_every_recommendation_comes_out_with_its_own_characters(
    profiles: dict[str, tuple[bytes, list[str]]], shipped: Questionnaire, worst: AnswersDocument, lang: str
) -> None:
    """fpdf2 drew the second line of a Chinese "▸ ..." paragraph in the heading's font with this font's glyph
    numbers: other characters ("非个信人共为享政" for "或主管部委通过。"), bigger and bold."""
    text = _squeeze(" ".join(pages_text(profiles[lang][0])))
    recs = recommend(shipped, score(shipped, worst), worst)
    assert recs
    # Under its pillar: from the pillar's first question to the next pillar's (the roadmap after the last).
    starts = [text.index(_squeeze(shipped.questions_in(p.id)[0].text.get(lang))) for p in shipped.pillars]
    ends = [*starts[1:], text.index(_squeeze(t("pdf.roadmap", lang)), starts[-1])]
    sections = {p.id: text[a:b] for p, a, b in zip(shipped.pillars, starts, ends, strict=True)}
    assert [r.action.get(lang) for r in recs if _squeeze(r.action.get(lang)) not in sections[r.pillar_id]] == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_character_has_a_glyph_in_the_embedded_fonts(profiles: dict[str, tuple[bytes, list[str]]],
                                                            lang: str) -> None:
    pdf, drawn_warnings = profiles[lang]
    embedded = _embedded_fonts(pdf)
    glyphs: dict[int, str] = {}
    for font in embedded.values():
        glyphs |= font.getBestCmap() or {}
    text = {ch for ch in " ".join(pages_text(pdf)) if not ch.isspace()}
    assert text
    assert sorted(ch for ch in text if glyphs.get(ord(ch), ".notdef") == ".notdef") == []
    assert [w for w in drawn_warnings if "missing from font" in w] == []  # the charts' labels too
    if lang == "zh":
        assert any("NotoSansSC" in name for name in embedded), set(embedded)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    else:
        assert all("DejaVuSans" in name for name in embedded), set(embedded)
        assert any("\u0400" <= ch <= "\u04ff" for ch in text)


@pytest.mark.parametrize("lang", LANGS)
def test_no_internal_id_and_decimals_with_the_language_s_own_mark(
    profiles: dict[str, tuple[bytes, list[str]]], shipped: Questionnaire, lang: str
) -> None:
    text = "\n".join(pages_text(profiles[lang][0]))
    assert code_like_tokens(text, shipped) == []
    assert wrong_decimal_marks(text, shipped, lang) == []


def test_the_decimal_check_follows_each_language_s_mark(shipped: Questionnaire) -> None:
    assert wrong_decimal_marks("баллы направления: 0.0 из 15.4; ответ на вопрос 1.3", shipped, "ru") == [
        "0.0", "15.4"]
    assert wrong_decimal_marks("0,0 из 15,4; 1 940; ответ на вопрос 1.3 — «Нет»", shipped, "ru") == []
    assert wrong_decimal_marks("支柱得分0,0/15,4，共1,940", shipped, "zh") == ["0,0", "15,4"]
    assert wrong_decimal_marks("支柱得分0.0/15.4，共1,940；问题1.3", shipped, "zh") == []


def test_chinese_lines_break_between_characters_inside_the_margins(
    profiles: dict[str, tuple[bytes, list[str]]], shipped: Questionnaire
) -> None:
    pdf = profiles["zh"][0]
    assert _char_boxes_inside(pdf, 22 * MM, (210 - 22) * MM) == []
    long = max((q.text.get("zh") for q in shipped.questions), key=len)
    lines = [line.strip() for page in pages_text(pdf) for line in page.splitlines()]
    pieces = [line for line in lines if len(line) > 4 and line in long]
    assert len(pieces) >= 1 and " " not in long.strip()  # a part of the longest question on a line of its own


def test_a_missing_chinese_font_is_a_clear_error(
    shipped: Questionnaire, worst: AnswersDocument, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gone = replace(fonts.NOTO_SC, files={s: tmp_path / "NotoSansSC-Regular.ttf" for s in fonts.STYLES})
    monkeypatch.setitem(fonts._BY_SCRIPT, "hans", fonts.FontSet(gone, (fonts.DEJAVU,)))
    covered.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing, match=r"NotoSansSC-Regular\.ttf is missing.*reinstall"):
            render_profile(shipped, worst, lang="zh", generated_on=DAY)
    finally:
        covered.cache_clear()


def test_russian_gains_take_the_genitive_of_a_fraction(profiles: dict[str, tuple[bytes, list[str]]]) -> None:
    """A gain is written with one decimal ("+1,9"): Russian says "балла" after any fraction, never "баллы"."""
    text = flat(" ".join(pages_text(profiles["ru"][0])))
    assert re.search(r"\+\d+,\d балла", text)
    assert not re.search(r"\+\d+,\d баллы", text)
