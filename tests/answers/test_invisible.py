"""Invisible format characters are taken out of user text, whether it comes alone or in a list."""

from __future__ import annotations

from answers.invisible import visible, visible_any

_RLO, _PDF, _ZWSP = "\u202e", "\u202c", "\u200b"


def test_a_bidi_override_and_a_zero_width_space_are_taken_out_of_a_text() -> None:
    assert visible(f"{_RLO}devorppa{_PDF} by{_ZWSP} the ministry") == "devorppa by the ministry"


def test_a_text_alone_or_each_text_of_a_list_loses_its_invisible_characters_and_anything_else_is_kept() -> None:
    assert visible_any(f"ap{_ZWSP}proved") == "approved"
    assert visible_any([f"{_RLO}security", 3, None, f"licensing{_ZWSP}"]) == ["security", 3, None, "licensing"]
    assert visible_any(12.5) == 12.5
    assert visible_any(None) is None


def test_the_joiners_arabic_and_emoji_need_are_kept() -> None:
    text = "\u0644\u200c\u0627 \U0001f469\u200d\U0001f4bb"
    assert visible_any(text) == text
