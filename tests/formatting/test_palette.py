import pytest

from formatting.palette import NEUTRAL_GREY, TIER_COLOURS, contrast, text_on


def test_contrast_matches_the_wcag_extremes() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#777777") == pytest.approx(1.0)


@pytest.mark.parametrize("fill", [*TIER_COLOURS.values(), NEUTRAL_GREY])
def test_text_on_every_tier_colour_meets_wcag_aa(fill: str) -> None:
    assert contrast(text_on(fill), fill) >= 4.5


def test_the_body_ink_on_vermillion_would_not() -> None:
    # Why text_on exists: the PDF's body ink on the Building tier's fill is under AA.
    assert contrast("#212121", TIER_COLOURS["building"]) < 4.5
