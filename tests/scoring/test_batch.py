"""The batch path gives exactly the single path's results."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires import Questionnaire, default_questionnaire, load_questionnaire
from scoring import ScoringError, score
from scoring.batch import score_many
from tests.strategies import all_answers, documents

MINI = load_questionnaire("tests/fixtures/mini")


def _load(name: str) -> Questionnaire:
    return MINI if name == "mini" else default_questionnaire()


def _same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or a == b


@pytest.mark.parametrize("name", ["mini", "shipped"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_batch_equals_single_path(name: str, data: st.DataObject) -> None:
    q = _load(name)
    docs = data.draw(st.lists(documents(q), min_size=1, max_size=12))
    frame = score_many(q, docs)
    for i, doc in enumerate(docs):
        single = score(q, doc)
        row = frame.iloc[i]
        assert _same(single.overall, row["overall"])
        assert single.overall_tier == row["overall_tier"]
        assert single.completeness == row["completeness"]
        assert single.evidence_coverage == row["evidence_coverage"]
        for p in single.pillars:
            assert _same(p.score, row[f"score_{p.pillar_id}"])
            assert p.tier == row[f"tier_{p.pillar_id}"]


def test_batch_refuses_a_document_for_another_version() -> None:
    doc = all_answers(MINI, "best").model_copy(update={"questionnaire_version": "9.9.9"})
    with pytest.raises(ScoringError, match=r"version 9\.9\.9"):
        score_many(MINI, [doc])


def test_a_batch_refusal_names_the_assessment_by_country_in_french() -> None:
    doc = all_answers(MINI, "best").model_copy(update={"questionnaire_version": "9.9.9", "country": "SEN"})
    with pytest.raises(ScoringError) as info:
        score_many(MINI, [doc])
    (line,) = info.value.lines(MINI, "fr")
    assert line.startswith(f"Sénégal {doc.cycle}\u202f: ") and "9.9.9" in line and "SEN " not in line


def test_batch_of_no_documents_is_an_empty_frame() -> None:
    frame = score_many(MINI, [])
    assert len(frame) == 0
    assert "score_ipv6" in frame.columns
