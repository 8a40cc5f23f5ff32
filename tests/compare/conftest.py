"""Generated assessments for the comparison tests."""

from __future__ import annotations

from typing import Any

from answers.document import Answer, AnswersDocument
from questionnaires import Questionnaire, load_questionnaire

MINI = load_questionnaire("tests/fixtures/mini")


def leveled(q: Questionnaire, level: float) -> dict[str, Answer]:
    """Every question answered at ``level`` in [0, 1] of its range (0 worst, 1 best)."""
    answers: dict[str, Answer] = {}
    for question in q.questions:
        if question.type == "scale":
            opts = q.scales[question.scale or ""].options
            answers[question.id] = Answer(value=opts[round(level * (len(opts) - 1))].value)
        elif question.type == "numeric":
            spec = question.numeric
            assert spec is not None
            answers[question.id] = Answer(value=float(round(spec.min + level * (spec.max - spec.min))))
        else:
            values = [o.value for o in question.options or []]
            answers[question.id] = Answer(value=values[: round(level * len(values))])
    return answers


def make_doc(
    q: Questionnaire,
    country: str,
    cycle: int = 2025,
    level: float = 0.5,
    *,
    answers: dict[str, Answer] | None = None,
    **kw: Any,
) -> AnswersDocument:
    base: dict[str, Any] = {"status": "submitted", "illustrative": False}
    base.update(kw)
    return AnswersDocument(
        questionnaire_id=q.id,
        questionnaire_version=q.version,
        questionnaire_hash=q.content_hash,
        country=country,
        cycle=cycle,
        answers=answers if answers is not None else leveled(q, level),
        **base,
    )
