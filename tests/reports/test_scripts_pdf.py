"""The profile in Arabic (right to left), Chinese and Russian, driven by sample strings (issue 24, points 2-3).

The languages are not translated yet: tests/fixtures/scripts/samples.yaml (test data) pours sample text into the
catalog and the questionnaire, so the profile takes the path a real language will. Proofs: pypdf's extracted
text has the right letters in reading order; pages rendered with pypdfium2 carry their ink on the right margin
in Arabic (on the left in English); every character drawn is in the embedded fonts (fontTools cmaps), none is
a box; Arabic letters are drawn in their joined forms; Chinese wraps inside the margins; a missing font is a
clear error.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast

import numpy as np
import pypdfium2 as pdfium
import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from answers.document import AnswersDocument
from formatting.scripts import script_of
from questionnaires import Questionnaire
from reports import fonts
from reports.annexes import record_annexes
from reports.layout import MARGIN_X
from reports.profile import render_profile
from reports.text import MISSING, covered
from tests.reports.helpers import mini_doc, pages_text
from tests.sample_languages import SAMPLES, use_sample_language

MM = 72 / 25.4  # PDF points per millimetre
SCALE = 2.0  # pixels per point when rendering
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def _doc(q: Questionnaire, lang: str) -> AnswersDocument:
    if lang not in SAMPLES:
        return mini_doc(q, status="submitted")
    user = SAMPLES[lang]["user"]
    return mini_doc(q, status="submitted", evidence=user["evidence"], comment=user["comment"])


def _render(q: Questionnaire, lang: str) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        if lang != "en":
            use_sample_language(mp, lang)
        return render_profile(q, _doc(q, lang), lang=lang, generated_on=date(2026, 11, 29))


@pytest.fixture(scope="module")
def profiles(mini: Questionnaire) -> dict[str, bytes]:
    return {lang: _render(mini, lang) for lang in ("ar", "zh", "ru", "en")}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _reading_order(line: str) -> str:
    """A right-to-left line as read: pypdf gives its direction runs in the order drawn (left to right), each
    in logical order; at paragraph level RTL (UAX #9, rule L2) the runs are read from the right."""
    runs = re.findall(r"[\u0600-\u06ff][\u0600-\u06ff\s؟،]*|[^\u0600-\u06ff]+", line)
    return "".join(reversed(runs))


def _embedded_fonts(pdf: bytes) -> dict[str, TTFont]:
    found: dict[str, TTFont] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            if name not in found:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                found[name] = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    return found


def _text_lines(pdf: bytes, page_index: int) -> list[tuple[float, float]]:
    """Each line of ink between the running header and footer: its leftmost and rightmost ink, in mm."""
    page = pdfium.PdfDocument(pdf)[page_index]
    grey = np.asarray(page.render(scale=SCALE).to_pil().convert("L"))
    px_per_mm = SCALE * MM
    body = grey[int(24 * px_per_mm): int((297 - 22) * px_per_mm)]
    ink = body < 160
    rows = ink.any(axis=1)
    lines: list[tuple[float, float]] = []
    start = None
    for i, on in enumerate([*cast(list[bool], rows.tolist()), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            cols = np.flatnonzero(ink[start:i].any(axis=0))
            lines.append((cols[0] / px_per_mm, cols[-1] / px_per_mm))
            start = None
    return lines


def _pillar_page(pdf: bytes, marker: str) -> int:
    return next(i for i, text in enumerate(pages_text(pdf)) if marker in text and "1.1" in text)


def test_the_arabic_samples_come_out_with_the_right_letters(profiles: dict[str, bytes]) -> None:
    text = _squeeze(" ".join(pages_text(profiles["ar"])))
    for sample in SAMPLES["ar"]["samples"]:
        assert _squeeze(sample) in text, sample


def test_mixed_arabic_and_latin_read_in_logical_order(profiles: dict[str, bytes]) -> None:
    lines = [line for page in pages_text(profiles["ar"]) for line in page.splitlines()]
    for sample in SAMPLES["ar"]["mixed"]:
        latin = re.findall(r"[A-Za-z][\w.-]*", sample)[0]  # "ITU-T"
        line = next(line for line in lines if latin in line and ARABIC_LETTER.search(line))
        assert _squeeze(sample) in _squeeze(_reading_order(line)), line


def test_the_arabic_page_is_aligned_on_the_right_margin_and_the_english_on_the_left(
    profiles: dict[str, bytes],
) -> None:
    def flush(pdf: bytes, marker: str) -> tuple[int, int]:
        lines = _text_lines(pdf, _pillar_page(pdf, marker))
        left = sum(1 for lo, _ in lines if lo < MARGIN_X + 2)
        right = sum(1 for _, hi in lines if hi > 210 - MARGIN_X - 2)
        return left, right

    ar_left, ar_right = flush(profiles["ar"], "الإجابة")
    en_left, en_right = flush(profiles["en"], "Answer")
    assert ar_right >= 2 * max(ar_left, 1), (ar_left, ar_right)
    assert en_left >= 2 * max(en_right, 1), (en_left, en_right)


def test_arabic_letters_are_drawn_joined(profiles: dict[str, bytes]) -> None:
    """HarfBuzz gives the sample words initial, medial and final forms: those glyphs are the ones embedded."""
    path = fonts.DEJAVU.path("")
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
    order = TTFont(path, lazy=True).getGlyphOrder()
    embedded = _embedded_fonts(profiles["ar"])
    subset = set(next(f for name, f in embedded.items() if name.endswith("DejaVuSansBook")).getGlyphOrder())
    joined: set[str] = set()
    for word in SAMPLES["ar"]["user"]["evidence"].split():
        if not ARABIC_LETTER.search(word):
            continue
        buf = hb.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        hb.shape(font, buf, {})
        joined |= {order[info.codepoint] for info in buf.glyph_infos if order[info.codepoint].startswith("uniFE")}
    assert joined, "the sample words have joined forms"
    assert joined <= subset, sorted(joined - subset)


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_every_character_is_in_the_embedded_fonts_and_none_is_a_box(profiles: dict[str, bytes], lang: str) -> None:
    text = " ".join(pages_text(profiles[lang]))
    glyphs = covered("", script_of(lang).code) | covered("B", script_of(lang).code)
    drawn = {ch for ch in text if not ch.isspace()}
    assert MISSING not in drawn
    # A glyph with no Unicode mapping would come out as a control character.
    assert not {ch for ch in drawn if unicodedata.category(ch) == "Cc"}
    assert {ch for ch in drawn if ord(ch) not in glyphs} == set()
    for sample in SAMPLES[lang]["samples"]:
        assert _squeeze(sample) in _squeeze(text), sample


def test_the_chinese_profile_embeds_noto_sans_sc(profiles: dict[str, bytes]) -> None:
    names = set(_embedded_fonts(profiles["zh"]))
    assert any("NotoSansSC" in name for name in names), names
    cmap = TTFont(fonts.NOTO_SC.path(""), lazy=True).getBestCmap()
    han = {ch for ch in " ".join(pages_text(profiles["zh"])) if "\u4e00" <= ch <= "\u9fff"}
    assert han and all(ord(ch) in cmap for ch in han)


def test_chinese_without_spaces_wraps_between_characters_inside_the_margins(profiles: dict[str, bytes]) -> None:
    pdf = profiles["zh"]
    long = next(v for v in SAMPLES["zh"]["content"].values() if len(v) > 60)
    page = next(i for i, text in enumerate(pages_text(pdf)) if _squeeze(long)[:20] in _squeeze(text))
    lines = pages_text(pdf)[page].splitlines()
    pieces = [line for line in lines if line.strip() and line.strip() in long]
    assert len(pieces) >= 2, lines  # the sentence took several lines, cut between characters
    for lo, hi in _text_lines(pdf, page):
        assert lo >= MARGIN_X - 1.5 and hi <= 210 - MARGIN_X + 1.5


def test_russian_is_drawn_in_dejavu_with_its_cyrillic(profiles: dict[str, bytes]) -> None:
    names = set(_embedded_fonts(profiles["ru"]))
    assert names and all("DejaVuSans" in name for name in names), names


def test_a_missing_font_is_a_clear_error_saying_how_to_get_it(
    mini: Questionnaire, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gone = replace(fonts.NOTO_SC, files={s: tmp_path / "NotoSansSC-Regular.ttf" for s in fonts.STYLES})
    monkeypatch.setitem(fonts._BY_SCRIPT, "hans", fonts.FontSet(gone, (fonts.DEJAVU,)))
    covered.cache_clear()
    use_sample_language(monkeypatch, "zh")
    with pytest.raises(fonts.FontMissing, match=r"NotoSansSC-Regular\.ttf is missing.*@expo-google-fonts/noto-sans-sc"):
        render_profile(mini, _doc(mini, "zh"), lang="zh", generated_on=date(2026, 11, 29))
    covered.cache_clear()


def test_the_vendored_fonts_are_the_pinned_files_with_their_licence() -> None:
    for name, pin in fonts.VENDORED.items():
        path = fonts.VENDORED_DIR / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == pin.sha256, name
        assert "SIL Open Font License" in (fonts.VENDORED_DIR / pin.licence).read_text(encoding="utf-8")


def test_an_arabic_recording_handed_in_gives_the_profile_made_alone(
    profiles: dict[str, bytes], mini: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch records the annexes per language (reports.bulk) and hands them to its workers: shaped Arabic glyphs
    are recorded whole, so the batch's profile is the one a single profile makes."""
    use_sample_language(monkeypatch, "ar")
    recording = record_annexes(mini, "ar")
    pdf = render_profile(mini, _doc(mini, "ar"), lang="ar", generated_on=date(2026, 11, 29), annexes=recording)
    assert pdf == profiles["ar"]
