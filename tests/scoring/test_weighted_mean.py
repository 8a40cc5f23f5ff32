"""``scoring.engine.weighted_mean``, the overall score's formula, on weights the fixtures cannot give.

A questionnaire's pillar weights may be shares that add up to exactly 1 (0.25, 0.75...); neither fixture has
such weights, so the overall score is checked on them here.
"""

from __future__ import annotations

import pytest

from scoring.engine import weighted_mean


def test_weights_that_add_up_to_exactly_one_give_a_mean_not_none() -> None:
    assert weighted_mean([(0.25, 40.0), (0.75, 80.0)]) == pytest.approx(70.0)


def test_no_weight_at_all_gives_no_mean() -> None:
    assert weighted_mean([]) is None
    assert weighted_mean([(0.0, 50.0)]) is None
