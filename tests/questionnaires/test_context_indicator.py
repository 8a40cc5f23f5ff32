"""Context indicators (issue 21, point 17): asked and shown beside the scores, never scored.

The IoT uptake baseline (``spc_iot_connections``, M2M/IoT connections per 100 inhabitants) is the first one.
It must weigh nothing in any score (single and batch paths), count nothing toward completeness, give no
recommendation and no pillar weight, and the loader must refuse a context indicator that could be scored.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.document import Answer
from questionnaires import QuestionnaireError, default_questionnaire, load_questionnaire
from questionnaires.references import question_number
from questionnaires.versions import load_version
from questionnaires.weights import derived_pillar_weight
from recommendations.engine import recommend
from scoring import score
from scoring.batch import score_many
from tests.strategies import document, documents

Q = default_questionnaire()
CONTEXT = "spc_iot_connections"
MINI = Path("tests/fixtures/mini")


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and (b is None or math.isnan(b))) or a == b


def test_the_iot_uptake_baseline_is_a_context_indicator_of_1_2_1() -> None:
    q = Q.question(CONTEXT)
    assert Q.version == "1.2.1" and not q.scored and Q.is_context(CONTEXT)
    assert [c.id for c in Q.context] == [CONTEXT] and CONTEXT not in {x.id for x in Q.questions}
    assert q.type == "numeric" and q.numeric is not None and q.numeric.thresholds == []
    assert q.basis == "practice" and q.aim is not None  # no clause asks for a count of connections
    assert set(q.clauses) == {"bearing-in-mind-e", "invites-ms-3"}
    assert question_number(Q, CONTEXT) == "5.10"  # after its pillar's nine scored questions, as the form asks it


def test_the_1_2_0_questionnaire_stays_loadable_with_its_shipped_hash() -> None:
    old = load_version(Q.id, "1.2.0", Q)
    assert old is not None and old.context == ()
    assert old.content_hash == "6019533a40c5b8a602f9aff3b10a76e24e9ae14e557508191f9dcddd0d7a475e"
    assert Q.content_hash != old.content_hash  # the indicator is content: it is in the hash


def test_the_pillar_weights_are_those_of_1_2_0() -> None:
    old = load_version(Q.id, "1.2.0", Q)
    assert old is not None
    assert [p.weight for p in Q.pillars] == [p.weight for p in old.pillars]
    assert [derived_pillar_weight(Q, p.id) for p in Q.pillars] == [p.weight for p in Q.pillars]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_context_answer_changes_no_score_and_no_completeness(data: st.DataObject) -> None:
    docs = data.draw(st.lists(documents(Q), min_size=1, max_size=6))
    bare = [d.model_copy(update={"answers": {k: v for k, v in d.answers.items() if k != CONTEXT}}) for d in docs]
    frame, bare_frame = score_many(Q, docs), score_many(Q, bare)
    for i, (doc, without) in enumerate(zip(docs, bare, strict=True)):
        with_it, plain = score(Q, doc), score(Q, without)
        assert with_it.model_dump(exclude={"questions"}) == plain.model_dump(exclude={"questions"})
        assert [r.question_id for r in with_it.questions] == [x.id for x in Q.questions]  # no row for it
        for col in ("overall", "completeness", "evidence_coverage"):
            assert _same(getattr(with_it, col), frame.iloc[i][col])
            assert _same(frame.iloc[i][col], bare_frame.iloc[i][col])
        assert recommend(Q, with_it) == recommend(Q, plain)


def test_an_unanswered_context_indicator_leaves_completeness_whole() -> None:
    answers = {x.id: Answer(dont_know=True) for x in Q.questions}
    answers = {x.id: Answer(value=x.numeric.max) if x.numeric else Answer(value=[o.value for o in x.options or []])
               if x.options else Answer(value=Q.scales[x.scale or ""].options[-1].value) for x in Q.questions}
    result = score(Q, document(Q, answers))
    assert result.completeness == 1.0 and result.overall == 100.0
    assert score(Q, document(Q, {**answers, CONTEXT: Answer(value=0.0)})).overall == 100.0


def test_the_context_answer_is_checked_like_any_numeric_answer() -> None:
    with pytest.raises(ValueError, match="1000"):
        score(Q, document(Q, {CONTEXT: Answer(value=5000.0)}))


# --- the loader refuses a context indicator that could be scored -----------------------------------

@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def _add_context(folder: Path, **extra: object) -> None:
    path = folder / "questions/ipv6.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = {
        "id": "v6_context", "clauses": ["recognizing-e"], "scored": False, "type": "numeric",
        "numeric": {"unit": {"en": "per 100", "fr": "pour 100"}, "min": 0, "max": 100},
        "text": {"en": "How many?", "fr": "Combien ?"}, "help": {"en": "Help.", "fr": "Aide."},
        "evidence_prompt": {"en": "The source.", "fr": "La source."},
    }
    entry.update(extra)
    data["questions"].append(entry)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(folder: Path) -> str:
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(folder)
    return "\n".join(info.value.problems)


def test_a_plain_context_indicator_loads_outside_the_scored_questions(mini: Path) -> None:
    _add_context(mini)
    q = load_questionnaire(mini)
    assert [x.id for x in q.context] == ["v6_context"] and q.has_question("v6_context")
    assert "v6_context" not in {x.id for x in q.questions}


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ({"weight": 2}, "takes no `weight`"),
        ({"numeric": {"unit": {"en": "%", "fr": "%"}, "min": 0, "max": 100,
                      "thresholds": [{"at": 0, "score": 0}, {"at": 50, "score": 1}]}}, "takes no `numeric.thresholds`"),
        ({"type": "scale", "scale": "maturity5", "numeric": None}, "must be a `numeric` question"),
        ({"depends_on": {"question": "v6_awareness", "in": ["planned"]}}, "takes no `depends_on`"),
    ],
)
def test_a_context_indicator_that_could_be_scored_is_refused_with_file_and_entry(
        mini: Path, extra: dict[str, object], said: str) -> None:
    _add_context(mini, **extra)
    problems = _problems(mini)
    assert "ipv6.yaml: questions > entry `v6_context`" in problems and said in problems


def test_a_scored_numeric_question_still_needs_thresholds(mini: Path) -> None:
    _add_context(mini, scored=True)
    assert "entry `v6_context`: Value error, a scored `numeric` question needs `numeric.thresholds`" in _problems(mini)


def test_a_recommendation_on_a_context_indicator_is_refused(mini: Path) -> None:
    _add_context(mini)
    path = mini / "recommendations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"][0]["trigger"] = {"question": "v6_context", "below": 0.5}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "trigger.question: `v6_context` is a context indicator" in _problems(mini)
