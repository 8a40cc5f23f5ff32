"""Deleting and restoring assessments, and one question's history with "restore this value".

Deletion is soft: the assessment gets ``deleted_at``/``deleted_by`` and disappears from every list,
export and comparison (the service's queries skip it), but its answers and change log are kept and
:func:`restore_assessment` brings it back. Every step is in the change log. A restore is refused if a
live assessment with the same country, cycle and questionnaire was started since.

Restoring one value writes it through :func:`assessment.service.save_answer`, so the same checks and
the same optimistic concurrency apply: if someone saved since the caller read, nothing is overwritten.

Who may: deleting and restoring is the matrix's ``delete`` action (whoever manages the country's
assessments: its focal point, an administrator), narrowed by the workflow: the country deletes (and
restores) only what is still its own to change, a draft or an assessment returned with queries. One
handed in (submitted, under review, resubmitted, validated, published: what the adviser has or ITU has
published) only an administrator deletes, giving a reason that the audit trail keeps with who, the
country and the assessment; only an administrator restores it. While such a deleted assessment holds a
country's cycle nobody starts a new one for that cycle (``service._new_assessment``): it is restored
instead. Reading a question's history is ``read``; restoring a value is an edit (``save_answer`` checks
the pillar too). Each function checks first, like the service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from answers.document import Answer, reason, shown_value
from answers.invisible import visible
from answers.jsonread import CONTROL_CHARS, count_text
from assessment import service, workflow
from assessment.access import LOCAL_ADMIN, Actor, ActorLike, allowed, as_actor, check, visible_filter
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


MAX_REASON = 1_000


def _is_admin(who: Actor) -> bool:
    return "admin" in who.roles()


def _reason_text(text: str | None) -> str:
    """The reason as stored and audited: visible characters, trimmed; control characters refused."""
    clean = visible(text or "").strip()
    if CONTROL_CHARS.search(clean):  # echoed in the audit trail, its CSV and the terminal
        raise service.ServiceError(reason("control_char"))
    if len(clean) > MAX_REASON:
        raise service.ServiceError(reason("too_long", n=count_text(MAX_REASON)))
    return clean


def _check_handed_in(a: Assessment, who: Actor, code: str) -> None:
    """A handed-in assessment is not the country's to delete or restore: only an administrator's."""
    if a.status in workflow.HANDED_IN and not _is_admin(who):
        raise service.Forbidden(service.about(code, a.country, a.cycle, status=service._status(a.status)))


def may_delete(actor: ActorLike, assessment: Any) -> bool:
    """Whether ``actor`` may delete ``assessment`` (anything with ``country`` and ``status``) in its state: what a
    page offers. :func:`delete_assessment` checks again (and asks a handed-in one's reason)."""
    if not allowed(actor, "delete", assessment):
        return False
    return assessment.status not in workflow.HANDED_IN or _is_admin(as_actor(actor))


def delete_assessment(
    session: Session, *, assessment_id: str, reason: str | None = None, expected_version: int | None = None,
    actor: ActorLike = LOCAL_ADMIN,
) -> None:
    """Hide the assessment everywhere (kept, with its change log; :func:`restore_assessment` undoes it).

    A draft or returned assessment: its focal point or an administrator. A handed-in one
    (:data:`workflow.HANDED_IN`): an administrator only, and ``reason`` is then required; the audit
    event ``delete`` keeps who, the country, the assessment, its status and the reason.
    ``expected_version`` is the assessment version the caller saw: if someone changed its status or
    targets since, :class:`service.ConflictError` and nothing is deleted. Deleting twice is harmless.
    The row is held while checked (``service._locked``), so a submit or validation at the same moment
    cannot slip between the status check and the deletion.
    """
    why = _reason_text(reason)
    a = _any(session, assessment_id)
    if a.deleted_at is not None:
        service.authorize(actor, "delete", a)
        return
    a = service._locked(session, assessment_id)
    try:
        who = check(actor, "delete", a)
        _check_handed_in(a, who, "svc_delete_handed_in")
        service._check_expected(a, expected_version)
        if a.status in workflow.HANDED_IN and not why:
            raise service.ServiceError(service.about("svc_delete_needs_reason", a.country, a.cycle,
                                                     status=service._status(a.status)))
    except BaseException:
        session.rollback()
        raise
    now = utcnow()
    a.deleted_at = now
    a.deleted_by = who.name
    detail: dict[str, Any] = {"cycle": a.cycle, "status": a.status}
    if why:
        detail["reason"] = why
    service._stamp_and_commit(session, a, by=who.name, at=now, field="deleted", old=None,
                              new={"country": a.country, "cycle": a.cycle, **({"reason": why} if why else {})},
                              event="delete", detail=detail, reload=_any)


def restore_assessment(session: Session, *, assessment_id: str, actor: ActorLike = LOCAL_ADMIN) -> None:
    """Bring a deleted assessment back, as it was; refused while another live one has its key.

    Who may delete it may restore it: a handed-in one, only an administrator.
    """
    a = _any(session, assessment_id)
    who = check(actor, "delete", a)
    by = who.name
    if a.deleted_at is None:
        return
    _check_handed_in(a, who, "svc_restore_handed_in")
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
