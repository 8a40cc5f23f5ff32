"""Lists and exports filter and page in SQL, with the same results as filtering in Python (both databases)."""

from __future__ import annotations

from sqlmodel import Session

from answers.document import Answer, AnswersDocument
from assessment import service
from assessment.filters import AssessmentFilter
from compare import group_members, select_documents
from questionnaires import Questionnaire

COUNTRIES = ("KEN", "RWA", "FRA", "FJI", "NPL")


def _seed(session: Session, q: Questionnaire) -> None:
    for i, iso3 in enumerate(COUNTRIES):
        for cycle in (2024, 2025):
            doc = AnswersDocument(
                questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
                country=iso3, cycle=cycle, illustrative=i == 4,
                status="submitted" if (i + cycle) % 2 else "draft",
                answers={"pol_city": Answer(value="yes" if i % 2 else "no")},
            )
            service.import_document(session, doc=doc, questionnaire=q)


def test_sql_filters_match_the_python_selection(session: Session, mini: Questionnaire) -> None:
    _seed(session, mini)
    everything = service.export_documents(session, AssessmentFilter(questionnaire=mini))
    for group in ("ldc", "sids", "Africa"):
        for illustrative in (False, True):
            wanted = AssessmentFilter(questionnaire=mini, group=group, illustrative=illustrative, cycle=2025,
                                      status="submitted")
            got = service.export_documents(session, wanted)
            want = select_documents(everything, group=group, cycle=2025, illustrative=illustrative)
            assert got == want
    picked = service.export_documents(
        session, AssessmentFilter(questionnaire=mini, countries=["ken", "FRA"], illustrative=False))
    assert {d.country for d in picked} == {"KEN", "FRA"}
    listed = service.list_assessments(session, AssessmentFilter(questionnaire=mini, group="ldc"))
    assert {r.country for r in listed} == {c for c in COUNTRIES if c in group_members("ldc")}


def test_pages_cover_the_list_once_in_order(session: Session, mini: Questionnaire) -> None:
    _seed(session, mini)
    whole = service.list_assessments(session, AssessmentFilter(questionnaire=mini))
    assert service.count_assessments(session, AssessmentFilter(questionnaire=mini)) == len(whole) == 10
    pages = [service.list_assessments(session, AssessmentFilter(questionnaire=mini), limit=3, offset=o)
             for o in range(0, 10, 3)]
    assert [r.id for page in pages for r in page] == [r.id for r in whole]
    assert service.count_assessments(session, AssessmentFilter(questionnaire=mini, cycle=2025, illustrative=False)) == 4


def test_the_score_frame_reads_stored_scores(session: Session, mini: Questionnaire) -> None:
    _seed(session, mini)
    frame, left_out = service.score_frame(session, questionnaire=mini, filters=AssessmentFilter(illustrative=False))
    real = AssessmentFilter(questionnaire=mini, illustrative=False)
    listed = {r.id: r for r in service.list_assessments(session, real)}
    assert left_out == 0
    assert len(frame) == len(listed) == 8
    for rec in frame.to_dict("records"):
        assert rec["overall"] == listed[rec["id"]].overall
        assert rec["completeness"] == listed[rec["id"]].completeness
