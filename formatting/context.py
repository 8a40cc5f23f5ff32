"""Context indicators as readers see them: a short name and a figure, "not scored" said beside them.

A context indicator (``scored: false``, docs/methodology.md "Context indicators") is in no score, so it is
never shown among the scores: Results, the PDF profile, the Markdown result and Compare show it on a line or
in a table of its own, through these functions, so every output words it the same.
"""

from __future__ import annotations

from collections.abc import Mapping

from answers.document import Answer, numeric_value
from formatting.numbers import fmt_number
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import Question


def context_name(question: Question, lang: str) -> str:
    """The indicator's short name (its text when the questionnaire gives none)."""
    return (question.short or question.text).get(lang)


def context_figure(question: Question, answer: Answer | None) -> float | None:
    """The figure given, or None (unanswered, don't know)."""
    if answer is None or answer.status != "answered" or answer.value is None:
        return None
    return numeric_value(answer.value)


def context_value(question: Question, answer: Answer | None, lang: str) -> str:
    """'12.5 connections per 100 inhabitants', or the answer's status ("Don't know", "Unanswered")."""
    figure = context_figure(question, answer)
    if figure is None:
        return t(f"status.{(answer or Answer()).status}", lang)
    unit = question.numeric.unit_for(figure, lang) if question.numeric else ""
    return f"{fmt_number(figure, lang)} {unit}".strip()


def context_lines(questionnaire: Questionnaire, answers: Mapping[str, Answer], lang: str) -> list[str]:
    """One line per context indicator: 'IoT uptake (…): 12.5 connections per 100 inhabitants'."""
    return [f"{context_name(q, lang)}{separator(':', lang)}{context_value(q, answers.get(q.id), lang)}"
            for q in questionnaire.context]


__all__ = ["context_figure", "context_lines", "context_name", "context_value"]
