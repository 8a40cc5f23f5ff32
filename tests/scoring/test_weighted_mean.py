"""``scoring.engine.weighted_mean``, the overall score's formula, on weights the fixtures cannot give.

A questionnaire's pillar weights may be shares that add up to exactly 1 (0.25, 0.75...); neither fixture has
such weights, so the overall score is checked on them here.
"""

from __future__ import annotations

import pytest

from scoring.engine import weighted_mean


def test_weights_that_add_up_to_exactly_one_give_a_mean_not_none() -> None:
    assert weighted_mean([(0.25, 40.0), (0.75, 81.0)]) == pytest.approx(70.75)


def test_the_mean_keeps_its_decimals() -> None:
    # (1 x 50 + 2 x 51) / 3 = 50.666...: rounded to SCORE_DECIMALS places, not to a whole number.
    assert weighted_mean([(1.0, 50.0), (2.0, 51.0)]) == pytest.approx(50.6666666667, abs=1e-9)


def test_no_weight_at_all_gives_no_mean() -> None:
    assert weighted_mean([]) is None
    assert weighted_mean([(0.0, 50.0)]) is None
