"""The PDF profile in Arabic, from the real catalogs (issue 24, point 2): right to left, shaped, Western digits.

Proofs on the shipped questionnaire: pypdf's text, read line by line in reading order, holds every pillar's
Arabic name and a sample of question texts (mixed Arabic and Latin: "IPv6", "NB-IoT", "APIs"); the pages
rendered with pypdfium2 carry their headings on the right margin; the draft watermark is shaped; italic text
(a tier's description) is not lost; a two-line title's lines do not touch; no Arabic-Indic digit.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date
from typing import cast

import numpy as np
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from questionnaires import Questionnaire, default_questionnaire
from reports.layout import MARGIN_X
from reports.profile import render_profile
from tests.reports.helpers import pages_text
from tests.strategies import all_answers

MM = 72 / 25.4  # PDF points per millimetre
SCALE = 2.0  # pixels per point when rendering
ARABIC = re.compile(r"[\u0600-\u06ff]")
ARABIC_INDIC_DIGIT = re.compile(r"[\u0660-\u066c\u06f0-\u06f9]")
# A sample of questions: the first of each pillar, and those mixing Arabic with Latin names and codes.
MIXED = ("v6_national_policy", "v6_user_share", "spc_lpwan_coverage", "spc_iot_connectivity_prices",
         "std_open_apis_data_models")


@pytest.fixture(scope="module")
def shipped() -> Questionnaire:
    return default_questionnaire()


@pytest.fixture(scope="module")
def profile(shipped: Questionnaire) -> bytes:
    return render_profile(shipped, all_answers(shipped, "worst"), lang="ar", generated_on=date(2026, 12, 7))


def _words(text: str) -> str:
    """Letters and digits only, presentation forms folded (NFKC): what reading order is checked on."""
    return re.sub(r"[^\w]|_", "", unicodedata.normalize("NFKC", text))


def _reading_order(line: str) -> str:
    """A line as read: pypdf gives a right-to-left line's direction runs in the order drawn (left to right),
    each in logical order; at paragraph level RTL (UAX #9, rule L2) the runs are read from the right.
    Punctuation is left out: a bracket or stop between two runs is drawn as a run of its own."""
    line = re.sub(r"[^\w\s]|_", "", unicodedata.normalize("NFKC", line))
    if not ARABIC.search(line):
        return line
    runs = re.findall(r"[\u0600-\u06ff][\u0600-\u06ff\s]*|[^\u0600-\u06ff]+", line)
    return "".join(reversed(runs))


def _read(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(_reading_order(line) for page in pages_text(pdf) for line in page.splitlines()))


def test_pillars_and_questions_read_in_logical_order(shipped: Questionnaire, profile: bytes) -> None:
    text = _read(profile)
    for pillar in shipped.pillars:
        assert _words(pillar.name.get("ar")) in text, pillar.id
    sample = [shipped.questions_in(pillar.id)[0].id for pillar in shipped.pillars] + list(MIXED)
    for qid in sample:
        assert _words(shipped.question(qid).text.get("ar")) in text, qid
    assert "IPv6" in shipped.question("v6_user_share").text.get("ar")


def test_the_reading_order_is_not_the_drawn_order(shipped: Questionnaire, profile: bytes) -> None:
    """The check above can fail: read in drawn order, a line mixing Arabic and "IPv6" comes out wrong."""
    drawn = re.sub(r"\s+", "", "".join(_words(page) for page in pages_text(profile)))
    assert _words(shipped.question("v6_user_share").text.get("ar")) not in drawn


@pytest.mark.xfail(strict=True, reason=(
    "fpdf2 2.8.9's ToUnicode map, not pypdf: HarfBuzz puts 'أُ' (U+0623 alef with hamza, U+064F damma) in one "
    "cluster of two glyphs, drawn mark first (right to left). TTFFont.shape_text gives the whole cluster's "
    "code points to the first glyph of the cluster it meets (uni064F -> U+0623 U+064F) and an empty tuple to "
    "the next (uni0623), and the font's /ToUnicode has no entry for a glyph with no code point; a reader then "
    "prints that glyph's one-byte code as a Latin letter ('v' = 0x76 in this profile's numbering). The page "
    "shows the right letters. Fixing it means changing fpdf2's cluster mapping or its ToUnicode writer "
    "(e.g. an empty mapping for such a glyph), not done at our level"))
def test_alef_with_damma_is_extracted(shipped: Questionnaire, profile: bytes) -> None:
    assert _words(shipped.question("std_national_adoption").text.get("ar")) in _read(profile)


def test_the_draft_mark_is_shaped_and_the_tier_description_is_drawn(shipped: Questionnaire, profile: bytes) -> None:
    text = _read(profile)
    assert _words("ةدوسم") not in text  # the watermark once came out unshaped, letters in drawn order
    # An italic line: DejaVu Sans Oblique has no Arabic letter, so the whole description was lost.
    assert _words(shipped.tier("building").description.get("ar")) in text


def test_arabic_punctuation_and_western_digits(profile: bytes) -> None:
    raw = " ".join(pages_text(profile))
    assert ARABIC_INDIC_DIGIT.findall(raw) == []
    assert "0.0" in raw and "100%" in raw
    assert "،0.0(" in raw  # "(0.0، قيد البناء)": the pillar's score and tier joined with the Arabic comma


def _ink_bands(pdf: bytes, page_index: int) -> list[tuple[float, float, float, float]]:
    """Each band of ink between the running header and footer: top, bottom, left, right, in mm."""
    page = pdfium.PdfDocument(pdf)[page_index]
    grey = np.asarray(page.render(scale=SCALE).to_pil().convert("L"))
    px_per_mm = SCALE * MM
    top = int(24 * px_per_mm)
    body = grey[top: int((297 - 22) * px_per_mm)]
    ink = body < 140  # the watermark's pale ink (about 225) is not ink here
    bands: list[tuple[float, float, float, float]] = []
    start = None
    for i, on in enumerate([*cast(list[bool], ink.any(axis=1).tolist()), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            cols = np.flatnonzero(ink[start:i].any(axis=0))
            bands.append(((top + start) / px_per_mm, (top + i) / px_per_mm,
                          cols[0] / px_per_mm, cols[-1] / px_per_mm))
            start = None
    return bands


def _pillar_page(pdf: bytes, q: Questionnaire, index: int) -> int:
    """The page that opens pillar ``index``: its name and its first question's text."""
    pillar = q.pillars[index]
    first = _words(q.questions_in(pillar.id)[0].text.get("ar"))[:40]
    return next(i for i, text in enumerate(pages_text(pdf))
                if _words(pillar.name.get("ar")) in _read_page(text) and first in _read_page(text))


def _read_page(text: str) -> str:
    return re.sub(r"\s+", "", "".join(_reading_order(line) for line in text.splitlines()))


def test_headings_are_flush_with_the_right_margin(shipped: Questionnaire, profile: bytes) -> None:
    right = 210 - MARGIN_X
    for index in range(3):
        heading = _ink_bands(profile, _pillar_page(profile, shipped, index))[0]  # the pillar's title
        assert right - 2 < heading[3] <= right + 1, (index, heading)


def test_a_two_line_pillar_title_has_its_lines_apart(shipped: Questionnaire, profile: bytes) -> None:
    """fpdf2 sets a title's lines one font size apart; Arabic's marks then made the two lines one band of ink."""
    first, second = _ink_bands(profile, _pillar_page(profile, shipped, 1))[:2]  # its Arabic title: two lines
    assert first[1] - first[0] < 8 and second[1] - second[0] < 8, (first, second)  # 13 pt: about 6 mm of ink


def test_the_page_total_sits_beside_its_words(profile: bytes) -> None:
    """"الصفحة 3 من 41": the total is flush right in the room reserved for it, so no gap opens before it."""
    reader = PdfReader(io.BytesIO(profile))
    assert len(reader.pages) >= 10
    page = pdfium.PdfDocument(profile)[2]
    grey = np.asarray(page.render(scale=SCALE).to_pil().convert("L"))
    px_per_mm = SCALE * MM
    footer = grey[int((297 - 14.5) * px_per_mm): int((297 - 8) * px_per_mm), : int(80 * px_per_mm)] < 160
    cols = np.flatnonzero(footer.any(axis=0))
    gaps = np.diff(cols) / px_per_mm
    assert gaps.max() < 2.0, gaps.max()  # between words and digits, never the reserved width of "{nb}"
