"""Recording a run of drawing once and replaying it into other documents gives the bytes drawing it would."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from reports.replay import NotReplayable, Recorder, Recording, prepick, replay
from reports.text import FONT_DIR, FONT_FAMILY, FONT_FILES


class _Doc(FPDF):
    """A document with a running header of its own: what the replay must leave to the target."""

    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.title_text = title
        for style, filename in FONT_FILES.items():
            self.add_font(FONT_FAMILY, style, str(FONT_DIR / filename))
        self.set_auto_page_break(True, 15)

    def header(self) -> None:
        with self.local_context(text_color=(96, 96, 96)):
            self.set_font(FONT_FAMILY, "I", 7)
            self.cell(0, 4, f"{self.title_text} · {self.page_no()}")
        self.ln(6)


class _Recording(Recorder, _Doc):
    pass


def _table(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    pdf.start_section("Annex")
    pdf.set_font(FONT_FAMILY, "", 9)
    with pdf.table(col_widths=(30, 70)) as table:
        for left, right in [("Name", "Text"), *rows]:
            row = table.row()
            row.cell(left)
            row.cell(right)
    pdf.set_font(FONT_FAMILY, "B", 11)
    pdf.multi_cell(0, 5, "After the table.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _settle(pdf: FPDF) -> None:
    """A run starts from a known state, set outside it, as the profile's annexes do."""
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.set_text_color(0)
    pdf.set_draw_color(0)
    pdf.set_fill_color(0)
    pdf.set_line_width(0.2)


def _run(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    pdf.add_page()
    _table(pdf, rows)


def _record(rows: list[tuple[str, str]]) -> Recording:
    pdf = _Recording("")
    pdf.add_page()
    _settle(pdf)
    return pdf.record(lambda: _run(pdf, rows))


def _target(recording: Recording, *, live: bool, rows: list[tuple[str, str]]) -> bytes:
    pdf = _Doc("Kenya, 2026")
    pdf.set_creation_date(datetime(2026, 11, 30, tzinfo=UTC))
    prepick(pdf, recording)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.multi_cell(0, 7, "Something only this document says: Ωmega, ж, 0123456789", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _settle(pdf)
    if live:
        _run(pdf, rows)
    else:
        replay(pdf, recording)
    pdf.multi_cell(0, 5, "And after the run, drawn by the target.")
    return bytes(pdf.output())


ROWS = [
    (f"Row {i}", "A longer text that wraps over more than one line in its column. " * (1 + i % 3)) for i in range(150)
]


def test_a_replayed_run_gives_the_bytes_drawing_it_gives() -> None:
    recording = _record(ROWS)
    assert _target(recording, live=False, rows=ROWS) == _target(recording, live=True, rows=ROWS)


def test_page_breaks_inside_the_run_are_the_targets_own() -> None:
    recording = _record(ROWS)
    breaks = [e for e in recording.events if getattr(e, "method", None) == "add_page"]
    assert len(breaks) >= 3  # the first page of the run and at least two breaks inside the table
    pdf = _target(recording, live=False, rows=ROWS)
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert all("Kenya, 2026" in page for page in pages)  # every page carries the target's header
    assert any("Row 149" in page for page in pages) and "And after the run" in pages[-1]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="abcdéèçàôÆœ ΩжЖ-()\\/,.;:0123456789", min_size=1, max_size=12),
            st.text(alphabet="abcdéèçàôÆœ ΩжЖ-()\\/,.;:0123456789 ", min_size=1, max_size=300),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_any_table_replays_byte_for_byte(rows: list[tuple[str, str]]) -> None:
    recording = _record(rows)
    assert _target(recording, live=False, rows=rows) == _target(recording, live=True, rows=rows)


def test_a_run_with_an_image_cannot_be_replayed() -> None:
    pdf = _Recording("")
    pdf.add_page()
    with pytest.raises(NotReplayable, match="image"):
        pdf.record(lambda: pdf.image(Image.new("RGB", (2, 2), "#0072B2"), w=10))


def test_a_run_with_a_link_cannot_be_replayed() -> None:
    pdf = _Recording("")
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "", 9)

    def draw() -> None:
        pdf.cell(20, 5, "ITU", link="https://www.itu.int")

    with pytest.raises(NotReplayable, match="link"):
        pdf.record(draw)


def test_glyphs_cannot_be_numbered_after_the_target_drew_text() -> None:
    recording = _record(ROWS[:2])
    pdf = _Doc("x")
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.cell(20, 5, "Before")
    with pytest.raises(NotReplayable, match="used before"):
        prepick(pdf, recording)
