"""Shaped widths kept between calls (reports/shaping.py) draw exactly what fpdf2's own method draws."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fpdf import FPDF
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
    with pdf.table() as table:
        for pillar in q.pillars:
            table.row([pillar.name.get("ar"), pillar.description.get("ar")[:120]])
    return bytes(pdf.output())


def test_the_kept_widths_draw_the_same_bytes_as_the_librarys_own(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _arabic_pdf()
    assert TTFFont.shaped_text_width is shaping.shaped_text_width  # installed by reports.layout
    assert shaping._WIDTHS  # and used
    monkeypatch.setattr(TTFFont, "shaped_text_width", shaping._measure)
    assert _arabic_pdf() == kept


def test_the_kept_widths_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shaping, "MAX_WIDTHS", 50)
    monkeypatch.setattr(shaping, "_WIDTHS", {})
    _arabic_pdf()
    assert 0 < len(shaping._WIDTHS) <= 50
