"""Change since the last cycle: which answers, pillars and tiers moved, and which questions explain it.

A question's ``points`` are its contribution to its pillar's 0-100 score, so the points deltas of a
pillar's questions add up to the pillar's delta exactly (including weight moved by a question going
"not applicable" or a follow-up appearing): that is the "why".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from answers.document import AnswersDocument, AnswerValue
from compare.filters import select_documents
from questionnaires.loader import Questionnaire
from questionnaires.models import Question
from scoring import score

ANSWER_COLUMNS = [
    "question_id", "pillar_id", "old_status", "new_status", "old_value", "new_value",
    "old_label", "new_label", "old_score", "new_score", "score_delta", "points_delta", "overall_points_delta",
]
PILLAR_COLUMNS = ["pillar_id", "old", "new", "delta", "old_tier", "new_tier", "tier_moved"]
DRIVER_COLUMNS = ["pillar_id", "question_id", "points_delta", "share_of_delta"]


@dataclass(frozen=True)
class ChangeReport:
    """What moved between two cycles of one country."""

    country: str
    from_cycle: int
    to_cycle: int
    overall_old: float | None
    overall_new: float | None
    overall_delta: float | None
    tier_old: str | None
    tier_new: str | None
    answers: pd.DataFrame  # one row per question whose answer (status or value) changed
    pillars: pd.DataFrame  # one row per pillar
    drivers: pd.DataFrame  # per moved pillar, the questions contributing most to its delta

    @property
    def tier_moved(self) -> bool:
        return self.tier_old != self.tier_new


def value_label(questionnaire: Questionnaire, question: Question, value: AnswerValue, lang: str = "en") -> str:
    """An answer value as a person reads it: the option label, the number, or the labels of a multi-select."""
    if value is None:
        return ""
    if question.type == "scale":
        opt = questionnaire.scales[question.scale or ""].option(str(value))
        return opt.label.get(lang) if opt else str(value)
    if question.type == "multi":
        labels = {o.value: o.label.get(lang) for o in question.options or []}
        values = value if isinstance(value, list) else [str(value)]
        return ", ".join(labels.get(v, v) for v in values) if values else "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def compare_documents(
    questionnaire: Questionnaire, old: AnswersDocument, new: AnswersDocument, *, lang: str = "en", top: int = 3
) -> ChangeReport:
    """The change from ``old`` to ``new`` (two cycles of one country, same questionnaire version)."""
    r_old, r_new = score(questionnaire, old), score(questionnaire, new)
    rows = []
    for q in questionnaire.questions:
        qa, qb = r_old.question(q.id), r_new.question(q.id)
        a_old, a_new = old.answer(q.id), new.answer(q.id)
        if a_old.status == a_new.status and a_old.value == a_new.value:
            continue
        rows.append(
            {
                "question_id": q.id,
                "pillar_id": q.pillar,
                "old_status": qa.status,
                "new_status": qb.status,
                "old_value": a_old.value,
                "new_value": a_new.value,
                "old_label": value_label(questionnaire, q, a_old.value, lang),
                "new_label": value_label(questionnaire, q, a_new.value, lang),
                "old_score": qa.score,
                "new_score": qb.score,
                "score_delta": (qb.score or 0.0) - (qa.score or 0.0),
                "points_delta": qb.points - qa.points,
                "overall_points_delta": qb.overall_points - qa.overall_points,
            }
        )
    answers = pd.DataFrame(rows, columns=ANSWER_COLUMNS)

    pillar_rows = []
    driver_rows = []
    points_delta = {
        q.question_id: r_new.question(q.question_id).points - q.points for q in r_old.questions
    }
    for p in questionnaire.pillars:
        po, pn = r_old.pillar(p.id), r_new.pillar(p.id)
        delta = _delta(po.score, pn.score)
        pillar_rows.append(
            {
                "pillar_id": p.id, "old": po.score, "new": pn.score, "delta": delta,
                "old_tier": po.tier, "new_tier": pn.tier, "tier_moved": po.tier != pn.tier,
            }
        )
        if not delta or abs(delta) < 1e-9:
            continue
        contrib = sorted(
            ((qid, d) for qid, d in points_delta.items() if questionnaire.question(qid).pillar == p.id),
            key=lambda item: -np.sign(delta) * item[1],
        )
        for qid, d in contrib[:top]:
            if np.sign(d) != np.sign(delta):
                break
            driver_rows.append({"pillar_id": p.id, "question_id": qid, "points_delta": d, "share_of_delta": d / delta})
    return ChangeReport(
        country=new.country,
        from_cycle=old.cycle,
        to_cycle=new.cycle,
        overall_old=r_old.overall,
        overall_new=r_new.overall,
        overall_delta=_delta(r_old.overall, r_new.overall),
        tier_old=r_old.overall_tier,
        tier_new=r_new.overall_tier,
        answers=answers,
        pillars=pd.DataFrame(pillar_rows, columns=PILLAR_COLUMNS),
        drivers=pd.DataFrame(driver_rows, columns=DRIVER_COLUMNS),
    )


def change_since_last_cycle(
    questionnaire: Questionnaire,
    docs: Sequence[AnswersDocument],
    country: str,
    *,
    cycle: int | None = None,
    submitted_only: bool = True,
    illustrative: bool = False,
    lang: str = "en",
) -> ChangeReport | None:
    """Change from the country's previous cycle to ``cycle`` (its latest when None); None without two cycles.

    Only documents of this questionnaire version are compared (a version change moves scores by itself).
    """
    mine = [
        d
        for d in select_documents(
            docs, countries=[country], submitted_only=submitted_only, illustrative=illustrative
        )
        if d.questionnaire_id == questionnaire.id and d.questionnaire_version == questionnaire.version
    ]
    by_cycle = {d.cycle: d for d in mine}  # the last document of a cycle wins
    if cycle is None and by_cycle:
        cycle = max(by_cycle)
    if cycle not in by_cycle:
        return None
    earlier = [c for c in by_cycle if c < cycle]
    if not earlier:
        return None
    return compare_documents(questionnaire, by_cycle[max(earlier)], by_cycle[cycle], lang=lang)
