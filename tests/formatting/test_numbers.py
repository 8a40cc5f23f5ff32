"""Numbers as each language writes them."""

from __future__ import annotations

from formatting.numbers import fmt_decimal, fmt_score


def test_scores_have_one_decimal_with_a_point_in_english() -> None:
    assert fmt_score(64.14) == "64.1"


def test_french_writes_the_decimal_mark_as_a_comma() -> None:
    assert fmt_score(64.14, "fr") == "64,1"


def test_a_missing_score_is_a_dash_in_every_language() -> None:
    assert fmt_score(None, "fr") == fmt_score(None) == "–"


def test_signed_changes_keep_their_sign() -> None:
    assert fmt_decimal(-3.25, "fr", "+.1f") == "-3,2"
    assert fmt_decimal(3.25, "en", "+.1f") == "+3.2"
