"""User text cleaning: markup stays literal, unknown glyphs become a visible mark, Latin and Cyrillic pass."""

from __future__ import annotations

import unicodedata

import pytest

from reports.text import (
    MISSING,
    clean,
    covered,
    needs_shaping,
    one_line,
    starts_right_to_left,
    truncate,
    wrap_by_char,
)


@pytest.mark.parametrize("text", ["<b>bold</b>", "&amp; &lt;", "%s %d", "{} {0} {name}", "\\n \\\\", "$x$ _x"])
def test_markup_and_format_strings_are_kept_verbatim(text: str) -> None:
    assert clean(text) == text


def _letters(start: int, end: int) -> str:
    return "".join(chr(c) for c in range(start, end + 1) if unicodedata.category(chr(c)).startswith("L"))


@pytest.mark.parametrize(
    ("block", "start", "end"),
    [
        ("Basic Latin", 0x20, 0x7E),
        ("Latin-1 Supplement", 0xA0, 0xFF),
        ("Latin Extended-A", 0x100, 0x17F),
        ("Latin Extended-B", 0x180, 0x24F),
        ("Cyrillic", 0x400, 0x4FF),
        ("Greek", 0x386, 0x3CE),
    ],
)
def test_every_latin_and_cyrillic_letter_is_drawn(block: str, start: int, end: int) -> None:
    letters = _letters(start, end) if start > 0x20 else "".join(chr(c) for c in range(start, end + 1))
    assert clean(letters) == unicodedata.normalize("NFC", letters), block
    assert clean(letters, "B") == unicodedata.normalize("NFC", letters), block


@pytest.mark.parametrize("text", ["🦄", "物联网", "\U0001F9EA", "\ue000", "✅"])
def test_glyphs_no_font_has_become_a_visible_mark(text: str) -> None:
    assert set(clean(f"a{text}b")) <= {"a", "b", MISSING}
    assert MISSING in clean(text)


def test_emoji_sequences_keep_one_mark_per_pictograph() -> None:
    # skin tone modifier, zero-width joiners and variation selector are dropped, not boxed
    assert clean("👍🏽") == MISSING
    assert clean("👨\u200d👩\u200d👧") == MISSING * 3
    assert clean("🏙\ufe0f") == MISSING


def test_a_lone_surrogate_is_replaced_not_raised() -> None:
    assert clean("a\ud800b") == f"a{MISSING}b"


def test_control_characters_are_dropped_and_line_breaks_normalised() -> None:
    assert clean("a\x00b\x07c\r\nd\re\tf\u200bg\u202e") == "abc\nd\ne fg"


def test_joiners_stay_inside_words_for_shaping() -> None:
    assert clean("می\u200cخواهم") == "می\u200cخواهم"


def test_one_line_folds_line_breaks() -> None:
    assert one_line("a\n\n b\tc ") == "a b c"


def test_the_missing_mark_itself_is_in_every_face() -> None:
    for style in ("", "B", "I", "BI"):
        assert ord(MISSING) in covered(style)


@pytest.mark.parametrize(("text", "expected"), [("مرحبا", True), ("שלום", True), ("Привет", False), ("abc ١٢", True)])
def test_right_to_left_text_asks_for_shaping(text: str, expected: bool) -> None:
    assert needs_shaping(text) is expected


def test_only_a_single_long_token_wraps_by_character() -> None:
    assert wrap_by_char("https://example.org/" + "a" * 80)
    assert not wrap_by_char("see " + "a" * 80)
    assert not wrap_by_char("short words only")


def test_truncate_cuts_at_a_word_and_marks_the_cut() -> None:
    assert truncate("short", 10) == "short"
    out = truncate("the quick brown fox jumps over the lazy dog", 20)
    assert out.endswith("…") and len(out) <= 20 and " " + out.split()[-1][:-1] in " the quick brown fox"


@pytest.mark.parametrize(("text", "expected"), [("مرحبا world", True), ("hello مرحبا", False), ("123 שלום", True)])
def test_paragraph_direction_follows_the_first_strong_character(text: str, expected: bool) -> None:
    assert starts_right_to_left(text) is expected
