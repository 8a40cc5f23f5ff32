"""Issue 20, point 6: a validated or published profile said "Statut : soumis". The cover and the summary page now
print the workflow state, who validated and when, and the publication date (from the service's change log)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from assessment import service
from assessment.access import Actor, Grant
from questionnaires import Questionnaire
from reports import render_profile
from reports.profile import format_date
from tests.reports.helpers import flat, pages_text

ADVISER = Actor(name="adv@itu.example", grants=(Grant("adviser"),))
DAY = date(2026, 12, 6)


def _moved(session: Session, assessment_id: str, *actions: str) -> service.WorkflowStamp:
    service.submit_assessment(session, assessment_id=assessment_id)
    for action in actions:
        service.transition(session, assessment_id=assessment_id, action=action, actor=ADVISER)  # type: ignore[arg-type]
    return service.workflow_stamp(session, assessment_id=assessment_id, actor=ADVISER)


def _cover_and_summary(session: Session, q: Questionnaire, assessment_id: str, stamp: service.WorkflowStamp,
                       lang: str) -> tuple[str, str]:
    doc = service.get_document(session, assessment_id)
    pages = pages_text(render_profile(q, doc, lang=lang, generated_on=DAY, workflow=stamp))
    summary = next(p for p in pages[1:] if "Chiffres clés" in p or "Key figures" in p)
    return flat(pages[0]), flat(summary)


def test_a_published_profile_says_published_and_who_validated_when_in_french(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    stamp = _moved(session, draft, "review", "validate", "publish")
    today = format_date(stamp.published_at.date(), "fr")  # type: ignore[union-attr]
    cover, summary = _cover_and_summary(session, mini, draft, stamp, "fr")
    said = f"publié le {today} ; validé par adv@itu.example le {today}"  # narrow spaces read as spaces here
    assert f"Statut : {said}" in cover.replace("\u202f", " "), cover
    assert said in summary.replace("\u202f", " "), summary
    assert "soumis" not in cover


@pytest.mark.parametrize(("actions", "said"), [
    (("review",), "under review by the ITU adviser"),
    (("review", "return"), "returned by the ITU adviser with queries"),
    (("review", "validate"), "validated by adv@itu.example on"),
])
def test_the_cover_names_each_workflow_state_not_submitted(
    session: Session, mini: Questionnaire, draft: str, actions: tuple[str, ...], said: str
) -> None:
    stamp = _moved(session, draft, *actions)
    cover, summary = _cover_and_summary(session, mini, draft, stamp, "en")
    assert f"Status: {said}" in cover, cover
    assert said in summary, summary


def test_a_validation_undone_by_a_return_is_not_printed(session: Session, mini: Questionnaire, draft: str) -> None:
    """Returned after review: the stamp names no validator (none validated what is printed)."""
    stamp = _moved(session, draft, "review", "return")
    assert stamp.state == "returned" and stamp.validated_by is None
