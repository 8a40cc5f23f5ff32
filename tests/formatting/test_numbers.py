"""Numbers as each language writes them."""

from __future__ import annotations

import pytest

from formatting.numbers import fmt_decimal, fmt_number, fmt_percent, fmt_score, fmt_share


def test_scores_have_one_decimal_with_a_point_in_english() -> None:
    assert fmt_score(64.14) == "64.1"


def test_french_writes_the_decimal_mark_as_a_comma() -> None:
    assert fmt_score(64.14, "fr") == "64,1"


def test_a_missing_score_is_a_dash_in_every_language() -> None:
    assert fmt_score(None, "fr") == fmt_score(None) == "–"


def test_signed_changes_keep_their_sign() -> None:
    assert fmt_decimal(-3.25, "fr", "+.1f") == "-3,2"
    assert fmt_decimal(3.25, "en", "+.1f") == "+3.2"


def test_percentages_follow_french_typography() -> None:
    assert fmt_share(0.474) == "47%"
    assert fmt_share(0.474, "fr") == "47\u202f%"  # narrow no-break space before the sign
    assert fmt_percent(11.11, "fr", ".1f") == "11,1\u202f%"
    assert fmt_share(None, "fr") == fmt_percent(None) == "–"


def test_short_numbers_drop_trailing_zeros_and_use_the_comma() -> None:
    assert fmt_number(1.5, "fr") == "1,5"
    assert fmt_number(2.0) == "2"
    assert fmt_number(None) == "–"


def test_counts_group_thousands_as_each_language_does() -> None:
    from formatting.numbers import fmt_count

    assert fmt_count(1940) == "1,940"
    assert fmt_count(1940, "fr") == "1\u202f940"  # narrow no-break space, never a comma
    assert fmt_count(12, "fr") == "12"


def test_the_symbols_come_from_cldr_for_every_registered_language() -> None:
    """Babel's CLDR data, so Spanish groups with a point and Russian with a no-break space, no rule written here."""
    from formatting.numbers import fmt_count

    assert [fmt_count(1940, lg) for lg in ("es", "ru", "zh", "ar")] == ["1.940", "1\u00a0940", "1,940", "1,940"]
    assert [fmt_score(64.14, lg) for lg in ("es", "ru", "zh")] == ["64,1", "64,1", "64.1"]
    assert fmt_share(0.474, "ru") == "47\u00a0%"
    assert fmt_share(0.474, "zz") == "47%"  # an unknown language writes as English


def test_dates_in_prose_follow_cldr() -> None:
    import datetime as dt

    from formatting.numbers import fmt_date

    day = dt.date(2026, 12, 7)
    assert (fmt_date(day), fmt_date(day, "fr"), fmt_date(day, "es")) == (
        "7 December 2026", "7 décembre 2026", "7 de diciembre de 2026")  # English as ITU (British) writes it


def test_a_chart_tick_takes_the_language_percent() -> None:
    from formatting.numbers import percent_suffix

    assert (percent_suffix("en"), percent_suffix("fr")) == ("%", "\u202f%")


@pytest.mark.parametrize(("share", "shown"), [(632 / 633, "99%"), (0.996, "99%"), (1.0, "100%"),
                                              (1 / 633, "1%"), (0.004, "1%"), (0.0, "0%"), (0.474, "47%")])
def test_a_share_short_of_whole_never_reads_100_percent_nor_a_share_above_nothing_0_percent(
    share: float, shown: str
) -> None:
    assert fmt_share(share) == shown
