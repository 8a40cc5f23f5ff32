"""A workbook upload through the service: all or nothing, and the same file twice changes nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from assessment import service
from assessment.filters import AssessmentFilter
from exchange import ImportProblems, build_workbook, read_workbook
from questionnaires import Questionnaire
from tests.compare.conftest import make_doc
from tests.exchange.helpers import edit, set_cell


def test_the_same_workbook_twice_changes_nothing_the_second_time(session: Session, mini: Questionnaire) -> None:
    data = build_workbook(mini, "en", make_doc(mini, "KEN", 2025, level=0.5, status="draft"))
    first = service.import_document(session, doc=read_workbook(mini, data), questionnaire=mini)
    second = service.import_document(session, doc=read_workbook(mini, data), questionnaire=mini)
    assert first.changed > 0
    assert (second.assessment_id, second.created, second.changed) == (first.assessment_id, False, 0)


def test_a_workbook_with_a_problem_writes_nothing(session: Session, mini: Questionnaire) -> None:
    good = build_workbook(mini, "en", make_doc(mini, "KEN", 2025, level=0.5, status="draft"))
    bad = edit(good, set_cell(mini, "v6_users", "answer", "lots"))
    with pytest.raises(ImportProblems):
        service.import_document(session, doc=read_workbook(mini, bad), questionnaire=mini)
    assert service.list_assessments(session, AssessmentFilter(questionnaire=mini)) == []
