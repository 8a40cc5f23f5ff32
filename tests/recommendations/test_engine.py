"""Recommendations: every rule can fire, low pillars always get advice, ranking by expected gain."""

from __future__ import annotations

import pytest

from answers.document import Answer
from questionnaires import Questionnaire, default_questionnaire, load_questionnaire
from questionnaires.models import TriggerPillar, TriggerQuestion
from recommendations import by_horizon, plan_for_target, recommend
from scoring import score
from tests.strategies import all_answers, best_value, document, worst_value

MINI = load_questionnaire("tests/fixtures/mini")


def _load(name: str) -> Questionnaire:
    return MINI if name == "mini" else default_questionnaire()


BOTH = pytest.mark.parametrize("name", ["mini", "shipped"])


def _firing_document(q: Questionnaire, rule_id: str):
    """Best answers everywhere except the rule's question (worst) or the rule's pillar (all worst)."""
    rule = next(r for r in q.rules if r.id == rule_id)
    answers = {x.id: Answer(value=best_value(q, x)) for x in q.questions}
    if isinstance(rule.trigger, TriggerQuestion):
        target = q.question(rule.trigger.question)
        answers[target.id] = Answer(value=worst_value(q, target))
    else:
        assert isinstance(rule.trigger, TriggerPillar)
        for x in q.questions_in(rule.trigger.pillar):
            answers[x.id] = Answer(value=worst_value(q, x))
    return document(q, answers)


@BOTH
def test_every_rule_can_fire(name: str) -> None:
    q = _load(name)
    never = []
    for rule in q.rules:
        fired = {r.rule_id for r in recommend(q, score(q, _firing_document(q, rule.id)))}
        if rule.id not in fired:
            never.append(rule.id)
    assert never == []


@BOTH
def test_every_question_has_a_rule(name: str) -> None:
    q = _load(name)
    covered = {r.trigger.question for r in q.rules if isinstance(r.trigger, TriggerQuestion)}
    assert [x.id for x in q.questions if x.id not in covered] == []


@BOTH
def test_a_low_scoring_pillar_always_gets_a_recommendation(name: str) -> None:
    q = _load(name)
    recs = recommend(q, score(q, all_answers(q, "worst")))
    assert {p.id for p in q.pillars} <= {r.pillar_id for r in recs}


@BOTH
def test_all_best_answers_trigger_nothing(name: str) -> None:
    q = _load(name)
    assert recommend(q, score(q, all_answers(q, "best"))) == []


def test_recommendations_are_ranked_by_expected_gain() -> None:
    doc = document(MINI, {"pol_framework": Answer(value="adopted"), "v6_users": Answer(value=20)})
    recs = recommend(MINI, score(MINI, doc))
    gains = [r.expected_gain for r in recs]
    assert gains == sorted(gains, reverse=True)
    assert recs[0].expected_gain > recs[-1].expected_gain


def test_a_recommendation_says_which_answer_triggered_it() -> None:
    doc = document(MINI, {"v6_awareness": Answer(value="planned")})
    rec = next(r for r in recommend(MINI, score(MINI, doc)) if r.rule_id == "rec_v6_awareness")
    assert (rec.trigger.question_id, rec.trigger.value, rec.trigger.score) == ("v6_awareness", "planned", 0.25)
    assert rec.clause == "recognizing-f"


def test_not_applicable_questions_trigger_nothing() -> None:
    doc = document(MINI, {"pol_city": Answer(not_applicable=True, justification="Federal matter")})
    assert "rec_city" not in {r.rule_id for r in recommend(MINI, score(MINI, doc))}


def test_expected_gain_is_weight_times_gap_in_overall_points() -> None:
    doc = document(MINI, {"v6_users": Answer(value=20)})  # score 0.5 on a weight-2 of 3 question
    rec = next(r for r in recommend(MINI, score(MINI, doc)) if r.rule_id == "rec_v6_users")
    assert rec.expected_gain == pytest.approx((1.0 / 2.5) * (2 / 3) * 0.5 * 100)


def test_roadmap_groups_by_horizon_in_a_fixed_order() -> None:
    recs = recommend(MINI, score(MINI, all_answers(MINI, "worst")))
    roadmap = by_horizon(recs)
    assert list(roadmap) == ["quick_win", "medium_term", "long_term"]
    assert sum(len(v) for v in roadmap.values()) == len(recs)


def test_plan_for_target_reaches_the_tier_with_the_top_actions() -> None:
    result = score(MINI, all_answers(MINI, "worst"))
    plan = plan_for_target(MINI, result, "ipv6", "advancing")
    assert plan.reachable and not plan.already_reached
    assert plan.projected_score is not None and plan.projected_score >= 65
    assert {s.trigger.question_id for s in plan.steps} == {"v6_users"}  # weight 2 of 3 = 66.7 points


def test_plan_for_target_already_reached_has_no_steps() -> None:
    plan = plan_for_target(MINI, score(MINI, all_answers(MINI, "best")), "ipv6", "advancing")
    assert plan.already_reached and plan.steps == []
