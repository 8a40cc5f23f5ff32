"""Recommendations: the rules in ``recommendations.yaml`` applied to a country's answers.

A question rule fires when its question is *answered* (or "don't know") and scores below the rule's
threshold. An **unanswered** question is never a gap: it is "to answer" (:func:`to_answer`), so a
country at 22 % completeness does not get sixty cards about pillars it has not looked at yet.

Every gain is **measured by re-scoring**: the answers are copied, the rule's question is raised to
the lowest answer that meets the rule's threshold (what the action achieves), the copy is scored
with the same engine, and the gain is the difference. So a gate question whose follow-ups come back
unanswered (scoring 0) promises what it really gives, and :func:`plan_for_target` promises exactly
the score that re-scoring its steps gives (tests check both).

Ranking (docs/methodology.md, "Ranking recommendations"): one measure, the re-scored gain in
overall points. The first actions address the weakest pillars: one lead action per pillar that has
a gap, weakest pillar first (its action with the largest gain), then every other action by gain.
Pillar rules are not ranked on their own (they would repeat their questions' actions and were
measured on another scale): a pillar rule that fires is folded into its pillar's lead action as the
programme that action belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from answers.document import Answer, AnswersDocument
from questionnaires.loader import Questionnaire
from questionnaires.models import HORIZONS, I18nText, Question, Rule, TriggerPillar, TriggerQuestion
from scoring.engine import score
from scoring.results import ScoreResult

_EPS = 1e-9


class Trigger(BaseModel):
    """The answer (or pillar score) that made a rule fire, shown as 'why this recommendation'."""

    model_config = ConfigDict(extra="forbid")

    question_id: str | None = None
    pillar_id: str
    status: str | None = None
    value: str | float | list[str] | None = None
    score: float | None = None
    threshold: float


class FoldedRule(BaseModel):
    """A pillar rule that fired, folded into the pillar's lead action (the programme it belongs to)."""

    model_config = ConfigDict(extra="forbid")

    rule_id: str
    clause: str
    action: I18nText
    materials: list[str]
    pillar_score: float
    threshold: float

    def text(self, lang: str) -> str:
        return self.action.get(lang)


class Recommendation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule_id: str
    pillar_id: str
    clause: str
    horizon: str
    action: I18nText
    materials: list[str]
    trigger: Trigger
    expected_gain: float  # overall points (0-100 scale), measured by re-scoring
    pillar_gain: float  # pillar points (0-100 scale), measured by re-scoring
    rank: int = 0  # the action's number, the same on the page, in the PDF and on the command line
    lead: bool = False  # the lead action of its pillar (weakest pillars first)
    includes: list[FoldedRule] = []

    def text(self, lang: str) -> str:
        return self.action.get(lang)


class TargetPlan(BaseModel):
    """'To reach tier X in pillar Y, do these': actions applied one by one, each re-scored."""

    model_config = ConfigDict(extra="forbid")

    pillar_id: str
    tier_id: str
    target_score: float
    current_score: float | None
    projected_score: float | None
    reachable: bool
    already_reached: bool
    steps: list[Recommendation]
    to_answer: list[str] = []  # unanswered questions of the pillar (answering them may change the plan)


def document_of(questionnaire: Questionnaire, result: ScoreResult) -> AnswersDocument:
    """The answers a score result was computed from, enough to re-score it.

    Used when the caller has only the result; a hidden follow-up keeps its stored value (a "not
    applicable" or "don't know" behind a closed gate comes back unanswered, which only matters
    once the gate opens).
    """
    answers: dict[str, Answer] = {}
    for qr in result.questions:
        if qr.status == "not_applicable":
            answers[qr.question_id] = Answer(not_applicable=True, justification="-")
        elif qr.status == "dont_know":
            answers[qr.question_id] = Answer(dont_know=True)
        elif qr.value is not None:
            answers[qr.question_id] = Answer(value=qr.value)
    return AnswersDocument(
        questionnaire_id=result.questionnaire_id, questionnaire_version=result.questionnaire_version,
        country=result.country, cycle=result.cycle, answers=answers,
    )


def target_value(question: Question, questionnaire: Questionnaire, below: float,
                 current: str | float | list[str] | None) -> str | float | list[str]:
    """The answer the action achieves: the lowest-scoring answer that meets the rule's threshold."""
    if question.type == "scale":
        options = questionnaire.scales[question.scale or ""].options
        return next(o.value for o in options if (o.score or 0.0) >= below - _EPS)
    if question.type == "numeric":
        assert question.numeric is not None
        return next(t.at for t in question.numeric.thresholds if t.score >= below - _EPS)
    full_at = question.full_at or 1
    needed = min(full_at, math.ceil(below * full_at - _EPS))
    chosen = [v for v in (current if isinstance(current, list) else []) if v]
    for option in question.options or []:
        if len(set(chosen)) >= needed:
            break
        if option.value not in chosen:
            chosen.append(option.value)
    return chosen


def _with(doc: AnswersDocument, question_id: str, value: str | float | list[str]) -> AnswersDocument:
    old = doc.answer(question_id)
    answers = dict(doc.answers)
    # A copy, not a re-validated Answer: the texts are kept as stored (a legacy comment that today's
    # checks would refuse must not stop the recommendations from being computed).
    answers[question_id] = old.model_copy(
        update={"value": value, "not_applicable": False, "dont_know": False, "justification": None}
    )
    return doc.model_copy(update={"answers": answers})


def _overall(result: ScoreResult) -> float:
    return result.overall or 0.0


def _pillar(result: ScoreResult, pillar_id: str) -> float:
    return result.pillar(pillar_id).score or 0.0


def to_answer(result: ScoreResult, pillar_id: str | None = None) -> list[str]:
    """Questions shown but not answered yet: "to answer", never counted as gaps."""
    return [
        q.question_id for q in result.questions
        if q.status == "unanswered" and (pillar_id is None or q.pillar_id == pillar_id)
    ]


def _fires(rule: Rule, result: ScoreResult) -> bool:
    trig = rule.trigger
    assert isinstance(trig, TriggerQuestion)
    qr = result.question(trig.question)
    return qr.status in ("answered", "dont_know") and qr.score is not None and qr.score < trig.below - 1e-12


def _question_rec(
    questionnaire: Questionnaire, rule: Rule, result: ScoreResult, doc: AnswersDocument
) -> tuple[Recommendation, AnswersDocument]:
    trig = rule.trigger
    assert isinstance(trig, TriggerQuestion)
    qr = result.question(trig.question)
    question = questionnaire.question(trig.question)
    improved = _with(doc, question.id, target_value(question, questionnaire, trig.below, qr.value))
    after = score(questionnaire, improved, check=False)
    rec = Recommendation(
        rule_id=rule.id,
        pillar_id=qr.pillar_id,
        clause=rule.clause,
        horizon=rule.horizon,
        action=rule.action,
        materials=list(rule.materials),
        trigger=Trigger(
            question_id=qr.question_id, pillar_id=qr.pillar_id, status=qr.status, value=qr.value,
            score=qr.score, threshold=trig.below,
        ),
        expected_gain=max(0.0, _overall(after) - _overall(result)),
        pillar_gain=max(0.0, _pillar(after, qr.pillar_id) - _pillar(result, qr.pillar_id)),
    )
    return rec, improved


def _question_recs(
    questionnaire: Questionnaire, result: ScoreResult, doc: AnswersDocument, pillar_id: str | None = None
) -> list[tuple[int, Recommendation, AnswersDocument]]:
    out = []
    for i, rule in enumerate(questionnaire.rules):
        if not isinstance(rule.trigger, TriggerQuestion):
            continue
        if pillar_id is not None and questionnaire.question(rule.trigger.question).pillar != pillar_id:
            continue
        if _fires(rule, result):
            rec, improved = _question_rec(questionnaire, rule, result, doc)
            out.append((i, rec, improved))
    return out


def _by_gain(item: tuple[int, Recommendation]) -> tuple[float, int, int]:
    i, rec = item
    return (-round(rec.expected_gain, 9), HORIZONS.index(rec.horizon), i)


def recommend(
    questionnaire: Questionnaire, result: ScoreResult, doc: AnswersDocument | None = None
) -> list[Recommendation]:
    """Every action the answers call for, numbered: weakest pillars' lead actions first, then by gain.

    ``doc`` is the answers document ``result`` was scored from (rebuilt from the result when omitted).
    """
    doc = doc if doc is not None else document_of(questionnaire, result)
    fired = [(i, rec) for i, rec, _ in _question_recs(questionnaire, result, doc)]
    best: dict[str, tuple[int, Recommendation]] = {}
    for item in sorted(fired, key=_by_gain):
        best.setdefault(item[1].pillar_id, item)
    pillar_order = {p.id: n for n, p in enumerate(questionnaire.pillars)}
    leads = sorted(best.values(), key=lambda it: (_pillar(result, it[1].pillar_id), pillar_order[it[1].pillar_id]))
    lead_ids = {id(rec) for _, rec in leads}
    rest = sorted((it for it in fired if id(it[1]) not in lead_ids), key=_by_gain)
    ordered: list[Recommendation] = []
    for n, (_, rec) in enumerate([*leads, *rest], start=1):
        update: dict[str, object] = {"rank": n, "lead": id(rec) in lead_ids}
        if id(rec) in lead_ids:
            update["includes"] = _folded(questionnaire, result, rec.pillar_id)
        ordered.append(rec.model_copy(update=update))
    return ordered


def _folded(questionnaire: Questionnaire, result: ScoreResult, pillar_id: str) -> list[FoldedRule]:
    """The pillar rules of ``pillar_id`` that fire (pillar score below their threshold)."""
    pr = result.pillar(pillar_id)
    out = []
    for rule in questionnaire.rules:
        trig = rule.trigger
        if isinstance(trig, TriggerPillar) and trig.pillar == pillar_id and pr.score is not None \
                and pr.score < trig.below - _EPS:
            out.append(FoldedRule(rule_id=rule.id, clause=rule.clause, action=rule.action,
                                  materials=list(rule.materials), pillar_score=pr.score, threshold=trig.below))
    return out


def fired_rule_ids(questionnaire: Questionnaire, result: ScoreResult) -> set[str]:
    """Ids of the question rules that fire and of the pillar rules folded into them (no re-scoring)."""
    ids = {r.id for r in questionnaire.rules if isinstance(r.trigger, TriggerQuestion) and _fires(r, result)}
    pillars = {questionnaire.question(r.trigger.question).pillar for r in questionnaire.rules
               if r.id in ids and isinstance(r.trigger, TriggerQuestion)}
    for pid in pillars:
        ids |= {f.rule_id for f in _folded(questionnaire, result, pid)}
    return ids


def by_horizon(recs: Sequence[Recommendation]) -> dict[str, list[Recommendation]]:
    """The roadmap view: recommendations grouped by horizon, each group in rank order."""
    return {h: sorted((r for r in recs if r.horizon == h), key=lambda r: r.rank) for h in HORIZONS}


def plan_for_target(
    questionnaire: Questionnaire,
    result: ScoreResult,
    pillar_id: str,
    tier_id: str,
    doc: AnswersDocument | None = None,
) -> TargetPlan:
    """Actions in ``pillar_id`` that reach ``tier_id``, chosen one at a time by re-scored pillar gain.

    Each step is applied to the answers and the whole document re-scored before the next is chosen,
    so ``projected_score`` is exactly what scoring the improved answers gives.
    """
    target = questionnaire.tier(tier_id).min_score
    current = result.pillar(pillar_id).score
    base = TargetPlan(pillar_id=pillar_id, tier_id=tier_id, target_score=target, current_score=current,
                      projected_score=None, reachable=False, already_reached=False, steps=[],
                      to_answer=to_answer(result, pillar_id))
    if current is None:
        return base
    if current >= target - _EPS:
        return base.model_copy(update={"projected_score": current, "reachable": True, "already_reached": True})
    doc = doc if doc is not None else document_of(questionnaire, result)
    steps: list[Recommendation] = []
    now = result
    while _pillar(now, pillar_id) < target - _EPS:
        candidates = _question_recs(questionnaire, now, doc, pillar_id)
        if not candidates:
            break
        _, rec, improved = min(candidates, key=lambda c: (-round(c[1].pillar_gain, 9), c[0]))
        if rec.pillar_gain <= _EPS:
            break
        steps.append(rec.model_copy(update={"rank": len(steps) + 1}))
        doc = improved
        now = score(questionnaire, doc, check=False)
    projected = now.pillar(pillar_id).score
    return base.model_copy(
        update={"projected_score": projected, "reachable": (projected or 0.0) >= target - _EPS, "steps": steps}
    )


def apply_steps(questionnaire: Questionnaire, doc: AnswersDocument, steps: Sequence[Recommendation]) -> AnswersDocument:
    """The answers after carrying out ``steps`` in order (what a plan promises to re-score to)."""
    for rec in steps:
        qid = rec.trigger.question_id
        if qid is None:
            continue
        question = questionnaire.question(qid)
        doc = _with(doc, qid, target_value(question, questionnaire, rec.trigger.threshold, doc.answer(qid).value))
    return doc
