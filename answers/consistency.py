"""Answers that contradict each other (the questionnaire's ``consistency`` rules), as warnings.

A strategy "implemented and reviewed" with no lead institution, or a legal framework "adopted" whose
elements leave out data protection, is possible to enter but unlikely to be true: the Assess page and
the profile show the warning, and the demo generator never produces one. Warnings never block saving
or scoring: the answer may be right and the rule too strict for that country.
"""

from __future__ import annotations

from collections.abc import Mapping

from answers.document import Answer, numeric_value
from questionnaires.loader import Questionnaire
from questionnaires.models import Condition, ConsistencyRule


def holds(questionnaire: Questionnaire, cond: Condition, answers: Mapping[str, Answer]) -> bool | None:
    """Whether the condition holds; None when the question is not answered (nothing to compare)."""
    a = answers.get(cond.question) or Answer()
    if a.status != "answered":
        return None
    if cond.includes is not None:
        return isinstance(a.value, list) and cond.includes in a.value
    question = questionnaire.question(cond.question)
    if question.numeric is not None:
        try:
            got = question.numeric.score_of(numeric_value(a.value))
        except ValueError:
            return None
    else:
        got = questionnaire.scales[question.scale or ""].score_of(str(a.value)) or 0.0
    return got >= (cond.min_score or 0) - 1e-9


def inconsistencies(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[ConsistencyRule]:
    """The rules the answers break: the ``if`` answer holds and the ``then`` answer is given and does not."""
    return [
        rule for rule in questionnaire.meta.consistency
        if holds(questionnaire, rule.if_, answers) and holds(questionnaire, rule.then, answers) is False
    ]
