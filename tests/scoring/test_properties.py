"""Properties of the scoring engine, checked with hypothesis on the fixture and the shipped questionnaire."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.document import Answer, AnswersDocument
from questionnaires import Questionnaire, default_questionnaire, load_questionnaire
from questionnaires.models import Question
from scoring import score, visibility
from tests.strategies import all_answers, documents, value_strategy

MINI = load_questionnaire("tests/fixtures/mini")


def _load(name: str) -> Questionnaire:
    return MINI if name == "mini" else default_questionnaire()
QUESTIONNAIRES = pytest.mark.parametrize("name", ["mini", "shipped"])
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _scores(q: Questionnaire, doc: AnswersDocument) -> list[float | None]:
    r = score(q, doc, check=False)
    return [r.overall, *(p.score for p in r.pillars)]


@QUESTIONNAIRES
def test_all_best_answers_give_100(name: str) -> None:
    q = _load(name)
    r = score(q, all_answers(q, "best"))
    assert r.overall == 100
    assert all(p.score == 100 for p in r.pillars)
    assert r.overall_tier == q.tiers[-1].id


@QUESTIONNAIRES
def test_all_worst_answers_give_0(name: str) -> None:
    q = _load(name)
    r = score(q, all_answers(q, "worst"))
    assert r.overall == 0
    assert all(p.score == 0 for p in r.pillars)
    assert r.overall_tier == q.tiers[0].id


def _better_answers(q: Questionnaire, question: Question, current: Answer) -> st.SearchStrategy[Answer]:
    """Answers at least as good as ``current`` (a higher scale level, a larger value, a superset)."""
    if current.status != "answered":
        return value_strategy(q, question).map(lambda v: Answer(value=v))
    if question.type == "scale":
        scale = q.scales[question.scale or ""]
        cur = scale.score_of(str(current.value)) or 0.0
        return st.sampled_from([o.value for o in scale.options if (o.score or 0) >= cur]).map(lambda v: Answer(value=v))
    if question.type == "numeric":
        assert question.numeric is not None
        low = float(current.value)  # type: ignore[arg-type]
        return st.floats(min_value=low, max_value=question.numeric.max, allow_nan=False).map(lambda v: Answer(value=v))
    chosen = list(current.value or [])  # type: ignore[arg-type]
    rest = [o.value for o in question.options or [] if o.value not in chosen]
    return st.lists(st.sampled_from(rest), unique=True, max_size=len(rest)).map(
        lambda extra: Answer(value=chosen + extra)
    ) if rest else st.just(Answer(value=chosen))


@QUESTIONNAIRES
@SETTINGS
@given(data=st.data())
def test_improving_one_answer_never_lowers_any_score(name: str, data: st.DataObject) -> None:
    q = _load(name)
    doc = data.draw(documents(q))
    question = data.draw(st.sampled_from(list(q.questions)))
    current = doc.answer(question.id)
    if current.status == "not_applicable":
        current = Answer()
    better = data.draw(_better_answers(q, question, current))
    improved = doc.model_copy(update={"answers": {**doc.answers, question.id: better}})
    before = doc.model_copy(update={"answers": {**doc.answers, question.id: current}})
    for old, new in zip(_scores(q, before), _scores(q, improved), strict=True):
        assert (old is None) == (new is None)
        if old is not None and new is not None:
            assert new >= old - 1e-9


@QUESTIONNAIRES
@SETTINGS
@given(data=st.data())
def test_order_of_answers_does_not_matter(name: str, data: st.DataObject) -> None:
    q = _load(name)
    doc = data.draw(documents(q))
    items = list(doc.answers.items())
    random.Random(data.draw(st.integers(0, 10_000))).shuffle(items)
    shuffled = doc.model_copy(update={"answers": dict(items)})
    assert score(q, doc, check=False) == score(q, shuffled, check=False)


def _without(q: Questionnaire, question_id: str) -> Questionnaire:
    """The questionnaire with one question (and the follow-ups that depend on it) removed."""
    removed = {question_id}
    for x in q.questions:
        if x.depends_on and x.depends_on.question in removed:
            removed.add(x.id)
    return dataclasses.replace(q, questions=tuple(x for x in q.questions if x.id not in removed), _by_id={})


@QUESTIONNAIRES
@SETTINGS
@given(data=st.data())
def test_not_applicable_equals_removing_the_question(name: str, data: st.DataObject) -> None:
    q = _load(name)
    doc = data.draw(documents(q))
    shown = visibility(q, doc.answers)
    candidates = [x for x in q.questions if x.allow_na and shown[x.id]]
    if not candidates:
        return
    question = data.draw(st.sampled_from(candidates))
    na = doc.model_copy(
        update={"answers": {**doc.answers, question.id: Answer(not_applicable=True, justification="n/a")}}
    )
    reduced = _without(q, question.id)
    kept = {k: v for k, v in doc.answers.items() if reduced.has_question(k)}
    assert _scores(q, na) == _scores(reduced, doc.model_copy(update={"answers": kept}))


@QUESTIONNAIRES
@SETTINGS
@given(data=st.data())
def test_scores_stay_within_bounds(name: str, data: st.DataObject) -> None:
    q = _load(name)
    r = score(q, data.draw(documents(q)), check=False)
    for v in [r.overall, *(p.score for p in r.pillars)]:
        assert v is None or 0 <= v <= 100
    assert 0 <= r.completeness <= 1
    assert r.overall is None or abs(sum(x.overall_points for x in r.questions) - r.overall) < 1e-6
