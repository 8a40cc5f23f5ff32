"""Hypothesis strategies and small builders for answers documents (shared by the core tests)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from answers.document import Answer, AnswersDocument
from questionnaires.loader import Questionnaire
from questionnaires.models import Question


def best_value(q: Questionnaire, question: Question) -> Any:
    if question.type == "scale":
        return q.scales[question.scale or ""].options[-1].value
    if question.type == "numeric":
        assert question.numeric is not None
        return question.numeric.max
    return [o.value for o in question.options or []]


def worst_value(q: Questionnaire, question: Question) -> Any:
    if question.type == "scale":
        return q.scales[question.scale or ""].options[0].value
    if question.type == "numeric":
        assert question.numeric is not None
        return question.numeric.min
    return []  # a multi-select with nothing selected: "none of these"


def document(q: Questionnaire, answers: dict[str, Answer], **kw: Any) -> AnswersDocument:
    base: dict[str, Any] = {
        "questionnaire_id": q.id,
        "questionnaire_version": q.version,
        "country": "KEN",
        "cycle": 2025,
    }
    base.update(kw)
    return AnswersDocument(answers=answers, **base)


def all_answers(q: Questionnaire, pick: str) -> AnswersDocument:
    """Every question answered with its best (or worst) value."""
    chooser = best_value if pick == "best" else worst_value
    answers = {}
    for question in q.questions:
        v = chooser(q, question)
        answers[question.id] = Answer(value=v)
    return document(q, answers)


def value_strategy(q: Questionnaire, question: Question) -> st.SearchStrategy[Any]:
    if question.type == "scale":
        return st.sampled_from([o.value for o in q.scales[question.scale or ""].options])
    if question.type == "numeric":
        spec = question.numeric
        assert spec is not None
        if spec.integer:
            return st.integers(min_value=int(spec.min), max_value=int(spec.max)).map(float)
        return st.floats(min_value=spec.min, max_value=spec.max, allow_nan=False)
    values = [o.value for o in question.options or []]
    return st.lists(st.sampled_from(values), unique=True, min_size=0, max_size=len(values))


def answer_strategy(q: Questionnaire, question: Question) -> st.SearchStrategy[Answer | None]:
    choices: list[st.SearchStrategy[Answer | None]] = [
        st.none(),
        st.builds(
            Answer,
            value=value_strategy(q, question),
            evidence=st.sampled_from([None, "", "Law 12/2024, art. 3"]),
        ),
    ]
    if question.allow_dont_know:
        choices.append(st.just(Answer(dont_know=True)))
    if question.allow_na:
        choices.append(st.just(Answer(not_applicable=True, justification="Handled at federal level")))
    return st.one_of(*choices)


@st.composite
def documents(draw: st.DrawFn, q: Questionnaire) -> AnswersDocument:
    answers: dict[str, Answer] = {}
    for question in q.all_questions:  # context indicators too: their answers must weigh nothing
        a = draw(answer_strategy(q, question))
        if a is not None:
            answers[question.id] = a
    return document(q, answers)
