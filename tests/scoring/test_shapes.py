"""Scoring rules on the shapes the mini questionnaire cannot hold (tests/fixtures/shapes, issue 27.3).

The shapes questionnaire has a pillar whose every question allows "not applicable" (city: city_rules w1,
city_data w2; pillar weight 1), chained follow-ups (pol_framework w1 -> pol_law w2 -> pol_elements w3, multi,
full_at 2; pillar weight 2) and an IPv6 pillar of one numeric question (v6_users w1, thresholds 0/10/50;
pillar weight 1). Every expected figure is worked out by hand from those weights.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from answers.document import Answer
from questionnaires import load_questionnaire
from scoring import score
from tests.strategies import document

S = load_questionnaire(Path(__file__).resolve().parents[1] / "fixtures" / "shapes")
NA = Answer(not_applicable=True, justification="No municipal powers")
# policy = 100 x (1 x 1 + 2 x 1 + 3 x 0.5) / 6 = 75; ipv6 = 100 x 0.5 = 50 (10 % of users)
STRONG_POLICY = {
    "pol_framework": Answer(value="advanced"),
    "pol_law": Answer(value="advanced"),
    "pol_elements": Answer(value=["licensing"]),
    "v6_users": Answer(value=10),
}


def test_the_shapes_questionnaire_has_a_follow_up_of_a_follow_up_and_an_all_optional_pillar() -> None:
    """The fixture holds the shapes the tests below are about (the loader accepts chained follow-ups)."""
    law = S.question("pol_law")
    elements = S.question("pol_elements")
    assert law.depends_on is not None and law.depends_on.question == "pol_framework"
    assert elements.depends_on is not None and elements.depends_on.question == "pol_law"
    assert all(q.allow_na for q in S.questions_in("city"))


def test_a_pillar_whose_every_question_is_not_applicable_has_no_score_and_no_tier() -> None:
    r = score(S, document(S, {**STRONG_POLICY, "city_rules": NA, "city_data": NA}))
    city = r.pillar("city")
    assert (city.score, city.tier) == (None, None)
    assert city.not_applicable == 2 and city.completeness == 1.0


def test_a_pillar_whose_every_question_is_not_applicable_leaves_the_overall_score() -> None:
    r = score(S, document(S, {**STRONG_POLICY, "city_rules": NA, "city_data": NA}))
    assert r.pillar("policy_regulation").score == pytest.approx(75)
    assert r.pillar("ipv6").score == pytest.approx(50)
    # (2 x 75 + 1 x 50) / 3; had the city pillar scored 0 it would be (150 + 50 + 0) / 4 = 50.
    assert r.overall == pytest.approx(200 / 3)
    assert r.pillar("city").weight_share == 0


def test_a_pillar_with_one_applicable_question_scores_that_question_alone() -> None:
    r = score(S, document(S, {**STRONG_POLICY, "city_rules": NA, "city_data": Answer(value="partial")}))
    assert r.pillar("city").score == pytest.approx(50)
    assert r.overall == pytest.approx((2 * 75 + 50 + 50) / 4)


def test_a_follow_up_of_a_hidden_follow_up_is_hidden_although_its_own_parent_answer_would_show_it() -> None:
    # pol_law keeps an earlier "advanced" (which would show pol_elements), but pol_framework now scores 0,
    # so pol_law is hidden, and so is pol_elements below it.
    r = score(S, document(S, {"pol_framework": Answer(value="none"), "pol_law": Answer(value="advanced"),
                              "pol_elements": Answer(value=["licensing", "numbering"])}))
    assert r.question("pol_law").status == "hidden"
    assert r.question("pol_elements").status == "hidden"
    assert r.pillar("policy_regulation").hidden == 2
    assert r.pillar("policy_regulation").score == 0


def test_a_closed_gate_carries_the_weight_of_the_whole_chain_below_it() -> None:
    r = score(S, document(S, {"pol_framework": Answer(value="none")}))
    assert r.question("pol_framework").effective_weight == 1 + 2 + 3
    assert r.question("pol_law").effective_weight == 0 and r.question("pol_elements").effective_weight == 0


def test_a_closed_middle_gate_carries_its_follow_ups_weight_and_the_top_gate_keeps_its_own() -> None:
    # pol_framework planned (0.25, weight 1 alone), pol_law none (0, carries pol_elements: 2 + 3).
    r = score(S, document(S, {"pol_framework": Answer(value="planned"), "pol_law": Answer(value="none")}))
    assert r.question("pol_framework").effective_weight == 1
    assert r.question("pol_law").effective_weight == 2 + 3
    assert r.question("pol_elements").status == "hidden"
    assert r.pillar("policy_regulation").score == pytest.approx(100 * 0.25 / 6)


def test_hidden_questions_of_a_chain_do_not_count_against_completeness() -> None:
    r = score(S, document(S, {"pol_framework": Answer(value="none")}))
    assert r.pillar("policy_regulation").completeness == 1.0
