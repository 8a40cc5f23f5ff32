"""The scoring engine: answers -> question, pillar and overall scores, tiers and a breakdown.

Pure and deterministic: no I/O, no clock, no randomness. The rules, in docs/methodology.md:

* question score in [0, 1] from its scale, thresholds or selected options; "don't know" and
  unanswered score 0 and lower completeness;
* "not applicable" removes the question from its pillar's denominator;
* a follow-up hidden by skip logic leaves the denominator too, and its weight is carried by the
  gating question (which then scores 0: follow-ups are hidden only when the gate scores 0), so a
  better answer can never lower a score and a country cannot gain by hiding hard questions;
* pillar score = weighted mean of its question scores x 100; overall = weighted mean of the
  pillar scores (pillars with no applicable question leave it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from answers.document import Answer, AnswersDocument, Problem, check_answers, numeric_value
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import Question
from questionnaires.references import question_number
from refdata import country_name
from scoring.results import PillarResult, QuestionResult, ScoreResult

# Pillar and overall scores are rounded here so the single and the batch path agree exactly.
SCORE_DECIMALS = 10


class ScoringError(ValueError):
    """Answers that cannot be scored against this questionnaire (version mismatch, bad values).

    ``problems`` is English (logs, files); :meth:`lines` says the same in the reader's language, each question by
    its number and each assessment of a batch by its country's name.
    """

    def __init__(self, found: Sequence[tuple[Problem, tuple[str, int] | None]]) -> None:
        self.found = list(found)  # each problem, and the (country, cycle) it belongs to in a batch
        self.problems = [f"{about[0]} {about[1]}: {p}" if about else str(p) for p, about in self.found]
        super().__init__("cannot score these answers:\n" + "\n".join(f"- {p}" for p in self.problems))

    def lines(self, questionnaire: Questionnaire, lang: str) -> list[str]:
        out = []
        for p, about in self.found:
            where = [f"{country_name(about[0], lang)} {about[1]}"] if about else []
            if p.question_id and questionnaire.has_question(p.question_id):
                where.append(t("problem.at_question", lang, number=question_number(questionnaire, p.question_id)))
            elif p.question_id:  # not in this questionnaire: the document's own key is all there is to find it by
                where.append(t("cli.at_question_id", lang, id=p.question_id))
            out.append("".join(f"{w}{separator(':', lang)}" for w in where) + p.text(lang))
        return out


def question_score(questionnaire: Questionnaire, question: Question, answer: Answer) -> float:
    """Score in [0, 1] of one answer; 0 for don't know and unanswered."""
    if answer.status != "answered":
        return 0.0
    if question.type == "scale":
        return questionnaire.scales[question.scale or ""].score_of(str(answer.value)) or 0.0
    if question.type == "numeric":
        assert question.numeric is not None
        return question.numeric.score_of(numeric_value(answer.value))
    selected = answer.value if isinstance(answer.value, list) else []
    return min(1.0, len(set(selected)) / float(question.full_at or 1))


def visibility(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, bool]:
    """Which questions skip logic shows (parents are always defined before their follow-ups)."""
    shown: dict[str, bool] = {}
    for q in questionnaire.questions:
        dep = q.depends_on
        if dep is None:
            shown[q.id] = True
            continue
        parent = answers.get(dep.question) or Answer()
        shown[q.id] = (
            shown.get(dep.question, True)
            and parent.status == "answered"
            and str(parent.value) in dep.in_
        )
    return shown


def _target_score(questionnaire: Questionnaire, target: float | str | None) -> float | None:
    if target is None:
        return None
    if isinstance(target, str):
        return questionnaire.tier(target).min_score
    return float(target)


def score(
    questionnaire: Questionnaire,
    doc: AnswersDocument,
    *,
    targets: Mapping[str, float | str] | None = None,
    check: bool = True,
) -> ScoreResult:
    """Score one answers document. Refuses a document made for another questionnaire version."""
    if check:
        problems = check_answers(questionnaire, doc)
        if problems:
            raise ScoringError([(p, None) for p in problems])
    answers = doc.answers
    shown = visibility(questionnaire, answers)

    # Carry the weight of hidden follow-ups up to their nearest shown gate (children after parents,
    # so walking backwards accumulates whole chains).
    carried: dict[str, float] = {q.id: 0.0 for q in questionnaire.questions}
    for q in reversed(questionnaire.questions):
        if not shown[q.id] and q.depends_on is not None:
            carried[q.depends_on.question] += q.weight + carried[q.id]

    q_results: list[QuestionResult] = []
    by_pillar: dict[str, list[QuestionResult]] = {p.id: [] for p in questionnaire.pillars}
    for q in questionnaire.questions:
        a = answers.get(q.id) or Answer()
        status: str = "hidden" if not shown[q.id] else a.status
        if status in ("hidden", "not_applicable"):
            s: float | None = None
            eff = 0.0
        else:
            s = question_score(questionnaire, q, a)
            eff = q.weight + carried[q.id]
        r = QuestionResult(
            question_id=q.id,
            pillar_id=q.pillar,
            status=status,
            score=s,
            weight=q.weight,
            effective_weight=eff,
            has_evidence=a.has_evidence,
            value=a.value,
        )
        q_results.append(r)
        by_pillar[q.pillar].append(r)

    wanted = dict(doc.targets)
    if targets:
        wanted.update(targets)

    pillar_results: list[PillarResult] = []
    for p in questionnaire.pillars:
        rows = by_pillar[p.id]
        denom = math.fsum(r.effective_weight for r in rows)
        p_score = (
            None
            if denom == 0
            else round(100.0 * math.fsum(r.effective_weight * (r.score or 0) for r in rows) / denom, SCORE_DECIMALS)
        )
        pillar_results.append(
            _pillar_result(questionnaire, p.id, p.weight, rows, p_score, _target_score(questionnaire, wanted.get(p.id)))
        )

    scored = [pr for pr in pillar_results if pr.score is not None]
    total_w = sum(pr.weight for pr in scored)
    overall = weighted_mean([(pr.weight, pr.score or 0.0) for pr in scored])

    # Why this score: each question's points in its pillar and in the overall score.
    shares = {pr.pillar_id: (pr.weight / total_w if total_w and pr.score is not None else 0.0) for pr in pillar_results}
    pillar_denoms = {pid: math.fsum(r.effective_weight for r in rows) for pid, rows in by_pillar.items()}
    final_q: list[QuestionResult] = []
    for r in q_results:
        denom = pillar_denoms[r.pillar_id]
        if r.score is None or denom == 0:
            final_q.append(r)
            continue
        pillar_pts = 100.0 * r.effective_weight / denom
        final_q.append(
            r.model_copy(
                update={
                    "points": pillar_pts * r.score,
                    "max_points": pillar_pts,
                    "overall_points": shares[r.pillar_id] * pillar_pts * r.score,
                    "overall_max_points": shares[r.pillar_id] * pillar_pts,
                }
            )
        )
    for pr in pillar_results:
        pr.weight_share = shares[pr.pillar_id]

    visible = [r for r in final_q if r.status != "hidden"]
    positive = [r for r in final_q if r.status == "answered" and (r.score or 0) > 0]
    overall_target = _target_score(questionnaire, wanted.get("overall"))
    return ScoreResult(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        country=doc.country,
        cycle=doc.cycle,
        illustrative=doc.illustrative,
        status=doc.status,
        overall=overall,
        overall_tier=None if overall is None else questionnaire.tier_for(overall).id,
        completeness=_share([r.status in ("answered", "not_applicable") for r in visible]),
        evidence_coverage=_share([r.has_evidence for r in positive]) if positive else None,
        target=overall_target,
        gap=None if overall_target is None or overall is None else max(0.0, overall_target - overall),
        pillars=pillar_results,
        questions=final_q,
    )


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted mean of (weight, score) pairs in the given order, rounded; None without weight."""
    total = sum(w for w, _ in pairs)
    if total == 0:
        return None
    return round(sum(w * s for w, s in pairs) / total, SCORE_DECIMALS)


def _share(flags: list[bool]) -> float:
    return 1.0 if not flags else sum(flags) / len(flags)


def _pillar_result(
    questionnaire: Questionnaire,
    pillar_id: str,
    weight: float,
    rows: list[QuestionResult],
    p_score: float | None,
    target: float | None,
) -> PillarResult:
    visible = [r for r in rows if r.status != "hidden"]
    positive = [r for r in rows if r.status == "answered" and (r.score or 0) > 0]
    return PillarResult(
        pillar_id=pillar_id,
        weight=weight,
        score=p_score,
        tier=None if p_score is None else questionnaire.tier_for(p_score).id,
        completeness=_share([r.status in ("answered", "not_applicable") for r in visible]),
        evidence_coverage=_share([r.has_evidence for r in positive]) if positive else None,
        answered=sum(r.status == "answered" for r in visible),
        not_applicable=sum(r.status == "not_applicable" for r in visible),
        dont_know=sum(r.status == "dont_know" for r in visible),
        unanswered=sum(r.status == "unanswered" for r in visible),
        hidden=sum(r.status == "hidden" for r in rows),
        target=target,
        gap=None if target is None or p_score is None else max(0.0, target - p_score),
    )


__all__ = ["SCORE_DECIMALS", "ScoringError", "question_score", "score", "visibility", "weighted_mean"]
