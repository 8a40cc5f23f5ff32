"""Deleting and restoring assessments, and one question's history with "restore this value".

Deletion is soft: the assessment gets ``deleted_at``/``deleted_by`` and disappears from every list,
export and comparison (the service's queries skip it), but its answers and change log are kept and
:func:`restore_assessment` brings it back. Every step is in the change log. A restore is refused if a
live assessment with the same country, cycle and questionnaire was started since.

Restoring one value writes it through :func:`assessment.service.save_answer`, so the same checks and
the same optimistic concurrency apply: if someone saved since the caller read, nothing is overwritten.

Who may: deleting and restoring is the matrix's ``delete`` action (whoever manages the country's
assessments: its focal point, an administrator); reading a question's history is ``read``; restoring a
value is an edit (``save_answer`` checks the pillar too). Each function checks first, like the service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from answers.document import Answer, reason, shown_value
from assessment import service
from assessment.access import LOCAL_ADMIN, ActorLike, visible_filter
from assessment.models import Assessment, ChangeLog, utcnow
from questionnaires.loader import Questionnaire

STATE_FIELDS = ("value", "not_applicable", "dont_know")


class DeletedSummary(BaseModel):
    """A deleted assessment, as the restore list shows it."""

    model_config = ConfigDict(frozen=True)

    id: str
    country: str
    cycle: int
    illustrative: bool
    questionnaire_version: str
    deleted_at: datetime
    deleted_by: str | None


def _any(session: Session, assessment_id: str) -> Assessment:
    """The assessment, deleted or not (``service._get`` does not see deleted ones)."""
    found = session.get(Assessment, assessment_id) if isinstance(assessment_id, str) else None
    if found is None:
        raise service.NotFound(reason("svc_not_found", id=shown_value(assessment_id)))
    session.refresh(found)
    return found


def delete_assessment(
    session: Session, *, assessment_id: str, expected_version: int | None = None, actor: ActorLike = LOCAL_ADMIN
) -> None:
    """Hide the assessment everywhere (kept, with its change log; :func:`restore_assessment` undoes it).

    ``expected_version`` is the assessment version the caller saw: if someone changed its status or
    targets since, :class:`service.ConflictError` and nothing is deleted. Deleting twice is harmless.
    """
    a = _any(session, assessment_id)
    by = service.authorize(actor, "delete", a)
    if a.deleted_at is not None:
        return
    service._check_expected(a, expected_version)
    now = utcnow()
    a.deleted_at = now
    a.deleted_by = by
    service._stamp_and_commit(session, a, by=by, at=now, field="deleted", old=None,
                              new={"country": a.country, "cycle": a.cycle}, event="delete",
                              detail={"cycle": a.cycle, "status": a.status}, reload=_any)


def restore_assessment(session: Session, *, assessment_id: str, actor: ActorLike = LOCAL_ADMIN) -> None:
    """Bring a deleted assessment back, as it was; refused while another live one has its key."""
    a = _any(session, assessment_id)
    by = service.authorize(actor, "delete", a)
    if a.deleted_at is None:
        return
    if service._find(session, country=a.country, cycle=a.cycle, questionnaire_id=a.questionnaire_id,
                     illustrative=a.illustrative) is not None:
        raise service.ServiceError(service.about("svc_restore_taken", a.country, a.cycle))
    now = utcnow()
    was = {"deleted_at": a.deleted_at.isoformat(), "deleted_by": a.deleted_by}
    a.deleted_at = None
    a.deleted_by = None
    # Started anew at the same moment: the live one keeps the key (``taken``).
    service._stamp_and_commit(session, a, by=by, at=now, field="restored", old=None, new=was, event="restore",
                              detail={"cycle": a.cycle, "deleted_by": was["deleted_by"]}, reload=_any,
                              taken=service.about("svc_restore_taken", a.country, a.cycle))


def list_deleted(session: Session, *, actor: ActorLike = LOCAL_ADMIN) -> list[DeletedSummary]:
    """Every deleted assessment ``actor`` may restore, most recently deleted first."""
    service.authorize(actor, "delete")
    rows = session.exec(
        select(Assessment).where(col(Assessment.deleted_at).is_not(None)).where(visible_filter(actor, "delete"))
        .order_by(col(Assessment.deleted_at).desc())
    )
    return [
        DeletedSummary(id=a.id, country=a.country, cycle=a.cycle, illustrative=a.illustrative,
                       questionnaire_version=a.questionnaire_version, deleted_at=a.deleted_at, deleted_by=a.deleted_by)
        for a in rows if a.deleted_at is not None
    ]


def question_history(
    session: Session, *, assessment_id: str, question_id: str, actor: ActorLike = LOCAL_ADMIN
) -> list[service.ChangeEntry]:
    """Who changed what in one question's answer, and when: newest first (for whoever may read the assessment)."""
    return list(reversed(service.change_log(session, assessment_id=assessment_id, question_id=question_id,
                                            actor=actor)))


def _restored(current: Answer, entry_field: str, value: Any) -> Answer:
    """``current`` with one field set back to ``value``; the answer's state stays one of value / N/A / don't know."""
    data = current.model_dump() | {entry_field: value}
    if entry_field in STATE_FIELDS and value not in (None, False):
        for other in STATE_FIELDS:
            if other != entry_field:
                data[other] = None if other == "value" else False
    return Answer.model_validate(data)


def restore_value(
    session: Session,
    *,
    assessment_id: str,
    questionnaire: Questionnaire,
    entry_id: int,
    expected_version: int | None,
    actor: ActorLike = LOCAL_ADMIN,
) -> int:
    """Set a question's field back to the value a change-log entry recorded; returns the answer's new version.

    Goes through ``save_answer``: an invalid result raises ``InvalidAnswer`` and a change saved since
    the caller read raises ``ConflictError`` (nothing overwritten).
    """
    view = service.get_assessment(session, assessment_id, actor=actor)  # who may not read it learns nothing more
    entry = session.get(ChangeLog, entry_id)
    if entry is None or entry.assessment_id != assessment_id or entry.question_id is None:
        raise service.ServiceError(reason("svc_no_such_change"))
    current = view.answers.get(entry.question_id) or Answer()
    try:
        answer = _restored(current, entry.field, entry.new)
    except ValueError:
        raise service.ServiceError(reason("svc_cannot_restore")) from None
    return service.save_answer(
        session, assessment_id=assessment_id, questionnaire=questionnaire, question_id=entry.question_id,
        answer=answer, expected_version=expected_version, actor=actor,
    )
