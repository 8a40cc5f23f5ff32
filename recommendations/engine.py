"""Recommendations: the rules in ``recommendations.yaml`` applied to a score result.

A rule fires when its question (or pillar) scores below the rule's threshold. Recommendations are
ranked by expected gain: the overall points the country would gain if the gap that triggered the
rule were closed (weight x gap), so the first actions are the ones that move the score most.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from questionnaires.loader import Questionnaire
from questionnaires.models import HORIZONS, I18nText, Rule, TriggerPillar, TriggerQuestion
from scoring.results import ScoreResult


class Trigger(BaseModel):
    """The answer (or pillar score) that made a rule fire, shown as 'why this recommendation'."""

    model_config = ConfigDict(extra="forbid")

    question_id: str | None = None
    pillar_id: str
    status: str | None = None
    value: str | float | list[str] | None = None
    score: float | None = None
    threshold: float


class Recommendation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule_id: str
    pillar_id: str
    clause: str
    horizon: str
    action: I18nText
    materials: list[str]
    trigger: Trigger
    expected_gain: float  # overall points (0-100 scale)
    pillar_gain: float  # pillar points (0-100 scale)

    def text(self, lang: str) -> str:
        return self.action.get(lang)


class TargetPlan(BaseModel):
    """'To reach tier X in pillar Y, do these': the fewest top-gain actions that get there."""

    model_config = ConfigDict(extra="forbid")

    pillar_id: str
    tier_id: str
    target_score: float
    current_score: float | None
    projected_score: float | None
    reachable: bool
    already_reached: bool
    steps: list[Recommendation]


def _fire(questionnaire: Questionnaire, rule: Rule, result: ScoreResult) -> Recommendation | None:
    trig = rule.trigger
    if isinstance(trig, TriggerQuestion):
        qr = result.question(trig.question)
        if qr.score is None or qr.score >= trig.below - 1e-12:
            return None
        return Recommendation(
            rule_id=rule.id,
            pillar_id=qr.pillar_id,
            clause=rule.clause,
            horizon=rule.horizon,
            action=rule.action,
            materials=list(rule.materials),
            trigger=Trigger(
                question_id=qr.question_id,
                pillar_id=qr.pillar_id,
                status=qr.status,
                value=qr.value,
                score=qr.score,
                threshold=trig.below,
            ),
            expected_gain=qr.lost_overall_points,
            pillar_gain=qr.max_points - qr.points,
        )
    assert isinstance(trig, TriggerPillar)
    pr = result.pillar(trig.pillar)
    if pr.score is None or pr.score >= trig.below - 1e-9:
        return None
    gap = trig.below - pr.score
    return Recommendation(
        rule_id=rule.id,
        pillar_id=pr.pillar_id,
        clause=rule.clause,
        horizon=rule.horizon,
        action=rule.action,
        materials=list(rule.materials),
        trigger=Trigger(pillar_id=pr.pillar_id, score=pr.score, threshold=trig.below),
        expected_gain=pr.weight_share * gap,
        pillar_gain=gap,
    )


def recommend(questionnaire: Questionnaire, result: ScoreResult) -> list[Recommendation]:
    """Every rule that fires, highest expected gain first (ties: quicker horizon, then file order)."""
    fired = [(i, rec) for i, rule in enumerate(questionnaire.rules) if (rec := _fire(questionnaire, rule, result))]
    fired.sort(key=lambda ir: (-round(ir[1].expected_gain, 9), HORIZONS.index(ir[1].horizon), ir[0]))
    return [rec for _, rec in fired]


def by_horizon(recs: list[Recommendation]) -> dict[str, list[Recommendation]]:
    """The roadmap view: recommendations grouped by horizon, each group still ranked by gain."""
    return {h: [r for r in recs if r.horizon == h] for h in HORIZONS}


def plan_for_target(
    questionnaire: Questionnaire, result: ScoreResult, pillar_id: str, tier_id: str
) -> TargetPlan:
    """The top-gain question actions in ``pillar_id`` whose gaps, once closed, reach ``tier_id``."""
    target = questionnaire.tier(tier_id).min_score
    current = result.pillar(pillar_id).score
    recs = [r for r in recommend(questionnaire, result) if r.pillar_id == pillar_id]
    if current is None:
        return TargetPlan(
            pillar_id=pillar_id, tier_id=tier_id, target_score=target, current_score=None,
            projected_score=None, reachable=False, already_reached=False, steps=[],
        )
    if current >= target:
        return TargetPlan(
            pillar_id=pillar_id, tier_id=tier_id, target_score=target, current_score=current,
            projected_score=current, reachable=True, already_reached=True, steps=[],
        )
    steps: list[Recommendation] = []
    projected = current
    seen_questions: set[str] = set()
    question_recs = sorted(
        (r for r in recs if r.trigger.question_id), key=lambda r: -r.pillar_gain
    )
    for rec in question_recs:
        if projected >= target - 1e-9:
            break
        qid = rec.trigger.question_id or ""
        steps.append(rec)
        if qid not in seen_questions:
            seen_questions.add(qid)
            projected += rec.pillar_gain
    return TargetPlan(
        pillar_id=pillar_id, tier_id=tier_id, target_score=target, current_score=current,
        projected_score=min(100.0, projected), reachable=projected >= target - 1e-9,
        already_reached=False, steps=steps,
    )
