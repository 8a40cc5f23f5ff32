"""The validation workflow's moves (submit, reopen, return, validate, publish) and where an assessment stands in it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from answers.document import (
    reason,
)
from answers.invisible import visible
from answers.jsonread import CONTROL_CHARS
from assessment import audit, workflow
from assessment.access import LOCAL_ADMIN, ActorLike
from assessment.account_models import ReviewComment
from assessment.models import (
    Assessment,
    ChangeLog,
    utcnow,
)
from assessment.scores import restamp as restamp_scores
from assessment.service._common import (
    _check_expected,
    _get,
    _locked,
    _log,
    _reload,
    _stamp_and_commit,
    _status,
    about,
    authorize,
    not_editable,
)
from assessment.service.assessments import get_assessment
from assessment.service.errors import OpenQueries, ServiceError
from assessment.service.views import AssessmentView
from questionnaires.messages import languages, t


def transition(
    session: Session,
    *,
    assessment_id: str,
    action: workflow.Transition,
    note: str | None = None,
    expected_version: int | None = None,
    acknowledged_open: Collection[str] | None = None,
    actor: ActorLike = LOCAL_ADMIN,
) -> AssessmentView:
    """Move the assessment along the validation workflow (:data:`workflow.TRANSITIONS`); idempotent.

    ``note`` is the why (an adviser's reason to return or validate), logged with who and when in the
    change log and the audit trail. A move the workflow does not have is refused, nothing written.
    Validating with review queries still open is refused (:class:`OpenQueries`) unless the adviser
    acknowledged them: ``acknowledged_open`` is the open queries they saw (:func:`open_queries`), and they
    must still be the open ones now (one opened or resolved since, even one of each, means they confirmed
    something else: refused, look again). The audit trail records how many were open.
    """
    note = visible(note or "").strip()
    if CONTROL_CHARS.search(note):  # the note is echoed in the audit trail, its CSV and the terminal
        raise ServiceError(reason("control_char"))
    # The row is held from here to the commit: the checks below (the open queries above all) and the state
    # change are one step, so a query opened meanwhile either lands before (and is counted) or waits and
    # finds the assessment validated (refused: :func:`assessment.review.add_comment`).
    a = _locked(session, assessment_id)
    try:
        by = authorize(actor, action, a)
        _check_expected(a, expected_version)
        if a.status in workflow.reached_by(action):
            session.rollback()
            return get_assessment(session, assessment_id, actor=actor)
        to = workflow.target(action, a.status)
        if to is None:
            raise ServiceError(about("svc_bad_transition", a.country, a.cycle, status=_status(a.status),
                                      action={lang: t(f"ui.workflow.{action}", lang).lower()
                                              for lang in languages()}))
        if action == "publish" and a.illustrative:  # made-up data is never published as a country's profile
            raise ServiceError(about("svc_publish_illustrative", a.country, a.cycle))
        was_status = a.status
        detail: dict[str, Any] = {"from": was_status, "to": to, "action": action, "note": note or ""}
        if action == "validate" and (queries := _open_queries(session, a.id)):
            if acknowledged_open is None:
                raise OpenQueries(len(queries), about("svc_open_queries", a.country, a.cycle, n=len(queries)))
            if frozenset(acknowledged_open) != queries:
                raise OpenQueries(len(queries), about("svc_open_queries_changed", a.country, a.cycle,
                                                      n=len(queries), seen=len(frozenset(acknowledged_open))))
            detail["open_queries"] = len(queries)  # validated knowingly: the audit trail says so
    except BaseException:
        session.rollback()  # a refusal releases the row at once
        raise
    now = utcnow()
    restamp_scores(session, a.id, old=a.updated_at, new=now)  # the answers, so the scores, are unchanged
    a.status = to
    _stamp_and_commit(session, a, by=by, at=now, field="status", old=was_status, new=to, event="status",
                      detail=detail)
    return get_assessment(session, assessment_id, actor=actor)


def open_queries(session: Session, *, assessment_id: str, actor: ActorLike = LOCAL_ADMIN) -> frozenset[str]:
    """The assessment's unresolved review query threads (the Review page counts them, validation names them)."""
    authorize(actor, "read", _reload(session, assessment_id))
    return _open_queries(session, assessment_id)


def _open_queries(session: Session, assessment_id: str) -> frozenset[str]:
    return frozenset(session.exec(select(ReviewComment.id).where(
        ReviewComment.assessment_id == assessment_id, col(ReviewComment.thread_id).is_(None),
        col(ReviewComment.resolved).is_(False))).all())


def _submit_by_file(session: Session, a: Assessment, *, actor: ActorLike, by: str, at: datetime) -> str:
    """A file saying "submitted": the workflow's ``submit`` move inside the import's transaction (no commit).

    Checked and recorded as the Submit button's: the move must exist and the actor may submit; the change
    log and the audit trail get who, when and why ("import", ``source`` in the audit detail).
    """
    to = workflow.target("submit", a.status)
    if to is None:
        raise ServiceError(not_editable(a, "import"))
    authorize(actor, "submit", a)
    _log(session, assessment_id=a.id, question_id=None, field="status", old=a.status, new=to, actor=by, at=at)
    audit.record(session, actor=by, event="status", country=a.country, assessment_id=a.id, at=at,
                 detail={"from": a.status, "to": to, "action": "submit", "note": "", "source": "import"})
    a.status = to
    return to


def submit_assessment(
    session: Session, *, assessment_id: str, expected_version: int | None = None, actor: ActorLike = LOCAL_ADMIN
) -> AssessmentView:
    """Hand the assessment in (draft -> submitted, returned -> resubmitted); answers then read-only. Idempotent."""
    return transition(session, assessment_id=assessment_id, action="submit", expected_version=expected_version,
                      actor=actor)


def reopen_assessment(
    session: Session, *, assessment_id: str, expected_version: int | None = None, actor: ActorLike = LOCAL_ADMIN
) -> AssessmentView:
    """Withdraw a submission the adviser has not started reviewing, so it can be edited again. Idempotent."""
    return transition(session, assessment_id=assessment_id, action="reopen", expected_version=expected_version,
                      actor=actor)


class WorkflowStamp(BaseModel):
    """Where an assessment stands in the validation workflow, for what a profile prints: its state, who
    validated it and when, and when it was published (the document's two states, draft and submitted, said
    "submitted" of a validated or published profile: issue 20)."""

    model_config = ConfigDict(frozen=True)

    state: str
    validated_by: str | None = None
    validated_at: datetime | None = None
    published_by: str | None = None
    published_at: datetime | None = None


def workflow_stamp(session: Session, *, assessment_id: str, actor: ActorLike = LOCAL_ADMIN) -> WorkflowStamp:
    """The assessment's workflow state, with the last validation and publication moves (from the change log)."""
    a = _get(session, assessment_id)
    authorize(actor, "read", a)
    moves = session.exec(select(ChangeLog).where(col(ChangeLog.assessment_id) == assessment_id,
                                                  col(ChangeLog.field) == "status").order_by(col(ChangeLog.id))).all()
    last = {e.new: e for e in moves if e.new in ("validated", "published")}
    if a.status not in workflow.VALIDATED:  # returned after a validation is no longer validated
        return WorkflowStamp(state=a.status)
    validated, published = last.get("validated"), last.get("published") if a.status == "published" else None
    return WorkflowStamp(
        state=a.status,
        validated_by=validated.by if validated else None, validated_at=validated.at if validated else None,
        published_by=published.by if published else None, published_at=published.at if published else None,
    )
