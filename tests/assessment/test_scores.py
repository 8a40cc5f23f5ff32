"""Stored scores equal a fresh scoring of the stored answers, after any sequence of writes (both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from sqlmodel import Session

from answers.document import Answer
from assessment import scores, service
from assessment.filters import AssessmentFilter
from assessment.models import ASSESSMENT_TABLE, SCORE_TABLE, Assessment
from questionnaires import Questionnaire
from scoring import score
from tests.strategies import answer_strategy, documents

SCORE = SCORE_TABLE


def _stored(session: Session, assessment_id: str) -> dict[str, object]:
    row = session.execute(select(SCORE).where(SCORE.c.assessment_id == assessment_id)).mappings().one()
    return dict(row)


def _assert_stored_equals_recomputed(session: Session, q: Questionnaire, assessment_id: str) -> None:
    """The row the write stored (read before any list could recompute it) is current and right."""
    view = service.get_assessment(session, assessment_id)
    expected = score(q, view.document())
    row = _stored(session, assessment_id)
    assert row["questionnaire_hash"] == q.content_hash
    assert row["source_updated_at"] == view.updated_at  # fresh: no reader would recompute it
    assert row["overall"] == expected.overall
    assert row["overall_tier"] == expected.overall_tier
    assert row["completeness"] == expected.completeness
    assert row["evidence_coverage"] == expected.evidence_coverage
    assert row["pillar_scores"] == {p.pillar_id: p.score for p in expected.pillars}
    assert row["pillar_tiers"] == {p.pillar_id: p.tier for p in expected.pillars}
    [summary] = [r for r in service.list_assessments(session, AssessmentFilter(questionnaire=q))
                 if r.id == assessment_id]
    assert (summary.overall, summary.overall_tier, summary.completeness) == (
        expected.overall, expected.overall_tier, expected.completeness,
    )


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_stored_scores_equal_recomputed_after_random_imports_and_edits(
    session: Session, mini: Questionnaire, data: st.DataObject
) -> None:
    doc = data.draw(documents(mini)).model_copy(update={"country": "NER", "cycle": 2030})
    made = service.import_document(session, doc=doc, questionnaire=mini)
    _assert_stored_equals_recomputed(session, mini, made.assessment_id)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        question = data.draw(st.sampled_from(mini.questions))
        answer = data.draw(answer_strategy(mini, question)) or Answer()
        seen = service.get_assessment(session, made.assessment_id).versions.get(question.id)
        service.save_answer(session, assessment_id=made.assessment_id, questionnaire=mini, question_id=question.id,
                            answer=answer, expected_version=seen)
        _assert_stored_equals_recomputed(session, mini, made.assessment_id)
    # The next example starts from another random document over the same assessment (an import edits it).
    again = data.draw(documents(mini)).model_copy(update={"country": "NER", "cycle": 2030})
    service.import_document(session, doc=again, questionnaire=mini)
    _assert_stored_equals_recomputed(session, mini, made.assessment_id)


def test_a_status_or_target_change_keeps_the_stored_score_fresh(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="pol_city",
                        answer=Answer(value="yes"), expected_version=None)
    service.submit_assessment(session, assessment_id=draft)
    service.set_targets(session, assessment_id=draft, targets={"overall": 50})
    stamp = session.execute(select(ASSESSMENT_TABLE.c.updated_at).where(ASSESSMENT_TABLE.c.id == draft))
    assert _stored(session, draft)["source_updated_at"] == stamp.scalar_one()


def test_a_missing_or_stale_score_is_recomputed_before_it_is_read(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="pol_framework",
                        answer=Answer(value="advanced"), expected_version=None)
    right = service.list_assessments(session, AssessmentFilter(questionnaire=mini))[0].overall
    assert right is not None and right > 0
    # A write path that forgot the scores: the assessment moves on, the stored row does not.
    session.execute(update(SCORE).where(SCORE.c.assessment_id == draft).values(overall=1.0))
    a = session.get(Assessment, draft)
    assert a is not None
    session.execute(update(ASSESSMENT_TABLE).where(ASSESSMENT_TABLE.c.id == draft)
                    .values(updated_at=a.updated_at + timedelta(seconds=1)))
    session.commit()
    assert service.list_assessments(session, AssessmentFilter(questionnaire=mini))[0].overall == right
    assert _stored(session, draft)["overall"] == right  # and stored again
    session.execute(delete(SCORE))
    session.commit()
    assert service.list_assessments(session, AssessmentFilter(questionnaire=mini))[0].overall == right
    assert _stored(session, draft)["overall"] == right


def test_a_changed_questionnaire_recomputes_in_batch(session: Session, mini: Questionnaire, draft: str) -> None:
    service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="pol_framework",
                        answer=Answer(value="advanced"), expected_version=None)
    # Same version, other weights: another content hash. The stored row is not trusted any more.
    pillars = [p.model_copy(update={"weight": p.weight * (3 if i == 0 else 1)}) for i, p in enumerate(mini.pillars)]
    heavier = mini.__class__(
        meta=mini.meta.model_copy(update={"pillars": pillars}), questions=mini.questions, rules=mini.rules,
        clauses=mini.clauses, source_dir=mini.source_dir,
    )
    assert heavier.content_hash != mini.content_hash
    assert scores.recompute_all(session, heavier) == 1
    assert _stored(session, draft)["questionnaire_hash"] == heavier.content_hash
    # The assessment was made on the old content: it is reported, not scored with the wrong weights.
    [row] = service.list_assessments(session, AssessmentFilter(questionnaire=heavier))
    assert row.overall is None and row.problem
    # Back to the original questionnaire: recomputed again on the first read, equal to a fresh score.
    service.list_assessments(session, AssessmentFilter(questionnaire=mini))
    _assert_stored_equals_recomputed(session, mini, draft)


def test_a_refused_write_leaves_the_stored_score_alone(session: Session, mini: Questionnaire, draft: str) -> None:
    service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="pol_city",
                        answer=Answer(value="yes"), expected_version=None)
    before = _stored(session, draft)
    with pytest.raises(service.ConflictError):
        service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="pol_city",
                            answer=Answer(value="no"), expected_version=None)
    assert _stored(session, draft) == before


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_batch_recompute_equals_the_single_path(session: Session, mini: Questionnaire, data: st.DataObject) -> None:
    """More than ``SINGLE_PATH_MAX`` stale rows go through ``score_many``: the same numbers as a write stores."""
    countries = ["KEN", "RWA", "FRA", "FJI", "NPL", "CHL", "BRA", "IND", "EGY", "PER", "MEX", "GHA"]
    assert len(countries) > scores.SINGLE_PATH_MAX
    ids = []
    for iso3 in countries:
        doc = data.draw(documents(mini)).model_copy(update={"country": iso3, "cycle": 2031})
        ids.append(service.import_document(session, doc=doc, questionnaire=mini).assessment_id)
    session.execute(delete(SCORE))
    session.commit()
    listed = {r.id: r for r in service.list_assessments(session, AssessmentFilter(questionnaire=mini))}
    for aid in ids:
        _assert_stored_equals_recomputed(session, mini, aid)
        assert listed[aid].overall == score(mini, service.get_document(session, aid)).overall
