"""Assistance needs ranked by points at stake (re-scored gains x distance below the target tier)."""

from __future__ import annotations

import pytest

from answers.document import Answer
from compare.priorities import assistance_priorities, distance_below
from recommendations import recommend
from scoring import score
from tests.compare.conftest import MINI, make_doc


def test_distance_below_the_target() -> None:
    assert (distance_below(0, 45), distance_below(45, 45), distance_below(60, 45)) == (1.0, 0.0, 0.0)
    assert distance_below(22.5, 45) == pytest.approx(0.5)


def test_points_at_stake_are_gains_weighted_by_distance_below_the_target() -> None:
    docs = [make_doc(MINI, "ETH", level=0.0), make_doc(MINI, "KEN", level=0.5), make_doc(MINI, "FRA", level=1.0)]
    table = assistance_priorities(MINI, docs, target_tier="establishing").set_index("rule_id")
    target = MINI.tier("establishing").min_score
    expected: dict[str, float] = {}
    for d in docs:
        result = score(MINI, d)
        for rec in recommend(MINI, result, d):
            expected[rec.rule_id] = expected.get(rec.rule_id, 0.0) + rec.expected_gain * distance_below(
                result.overall, target)
    assert table["points_at_stake"].to_dict() == pytest.approx(expected)
    assert list(table["points_at_stake"]) == sorted(table["points_at_stake"], reverse=True)
    assert "Ethiopia (Africa, LDC, LLDC)" in table.iloc[0]["countries"]


def test_needs_say_which_are_validated_by_evidence() -> None:
    answers = {"v6_users": Answer(value=0.0, evidence="Regulator report 2025"), "v6_awareness": Answer(value="none")}
    table = assistance_priorities(MINI, [make_doc(MINI, "ETH", answers=answers)]).set_index("rule_id")
    assert (table.loc["rec_v6_users", "validated"], table.loc["rec_v6_users", "self_reported"]) == (1, 0)
    assert (table.loc["rec_v6_awareness", "validated"], table.loc["rec_v6_awareness", "self_reported"]) == (0, 1)
