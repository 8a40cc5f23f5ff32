"""Shaped widths kept between calls (reports/shaping.py) draw exactly what fpdf2's own method draws."""

from __future__ import annotations

from datetime import UTC, datetime

import fpdf.fpdf
import pytest
from fpdf import FPDF
from fpdf.bidi import BidiParagraph
from fpdf.fonts import TTFFont

import reports.layout  # noqa: F401  (installs the kept widths, as every profile does)
from questionnaires import default_questionnaire
from reports import shaping
from reports.fonts import DEJAVU_DIR

STAMP = datetime(2026, 12, 7, tzinfo=UTC)


def _arabic_pdf() -> bytes:
    """Arabic paragraphs and a table, shaped right to left, as the profile draws them (DejaVu Sans)."""
    q = default_questionnaire()
    pdf = FPDF()
    pdf.set_creation_date(STAMP)
    pdf.add_font("dejavu", "", str(DEJAVU_DIR / "DejaVuSans.ttf"))
    pdf.add_font("dejavu", "B", str(DEJAVU_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font("dejavu", size=10)
    pdf.set_text_shaping(True, direction="rtl")
    pdf.add_page()
    for question in q.questions[:12]:
        pdf.multi_cell(0, 6, question.text.get("ar"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=18)  # the same texts at another size: a width kept for 10 pt must not serve 18 pt
    for question in q.questions[:3]:
        pdf.multi_cell(0, 9, question.text.get("ar"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=10)
    pdf.multi_cell(0, 6, "الصفحة 1 من {nb}", new_x="LMARGIN", new_y="NEXT")  # the page-count alias, as the footer
    with pdf.table() as table:
        for pillar in q.pillars:
            table.row([pillar.name.get("ar"), pillar.description.get("ar")[:120]])
    return bytes(pdf.output())


def test_the_kept_widths_and_runs_draw_the_same_bytes_as_the_librarys_own(monkeypatch: pytest.MonkeyPatch) -> None:
    shaping.clear()
    shaping._RUNS.clear()
    kept = _arabic_pdf()
    assert TTFFont.shaped_text_width is shaping.shaped_text_width  # installed by reports.layout
    assert shaping.kept() and shaping._RUNS  # and used
    assert _arabic_pdf() == kept  # drawn again from what was kept
    monkeypatch.setattr(TTFFont, "shaped_text_width", shaping._measure)
    monkeypatch.setattr(fpdf.fpdf, "BidiParagraph", BidiParagraph)
    assert _arabic_pdf() == kept


def test_the_kept_widths_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shaping, "MAX_WIDTHS", 50)
    shaping.clear()
    _arabic_pdf()
    assert 0 < shaping.kept() <= 50
    assert 0 < sum(len(widths) for widths in shaping._WIDTHS.values()) <= 50


def test_parameters_changed_in_place_get_their_own_widths() -> None:
    """fpdf2 changes a paragraph's shaping parameters in the same dict: a width kept for the old ones is not reused."""
    pdf = FPDF()
    pdf.add_font("dejavu", "", str(DEJAVU_DIR / "DejaVuSans.ttf"))
    font = pdf.fonts["dejavu"]
    assert isinstance(font, TTFFont)
    shaping.clear()
    features: dict[str, bool] = {}
    params = {"use_shaping_engine": True, "features": features, "direction": None, "script": None,
              "language": None, "fragment_direction": None, "paragraph_direction": None}
    text = "AVAWAY TAVERN"  # DejaVu Sans kerns these pairs
    kerned = font.shaped_text_width(text, 12, params)
    assert kerned == shaping._measure(font, text, 12, params)
    features["kern"] = False  # in the very dicts passed before
    unkerned = font.shaped_text_width(text, 12, params)
    assert unkerned == shaping._measure(font, text, 12, params) != kerned
    assert font.shaped_text_width(text, 12, {**params, "features": {}}) == kerned
