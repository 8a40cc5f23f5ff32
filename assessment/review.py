"""An adviser's review: comment threads per question (queries), replies, resolve and unresolve.

An adviser opens a thread on a question of a submitted assessment; the country's focal point and
contributors reply; the adviser resolves it (or unresolves it). Open threads are the "queries" a
returned assessment shows the country on Assess and in the draft profile's annex.

The rule for the end states: a query is opened (or a resolved one reopened) only until the adviser
validates (:data:`workflow.QUERYABLE`); on a validated or published assessment both are refused, with
a message saying the review is closed. Opening takes the assessment's row (``service._locked``) as
validation does, so the validation's count of open queries and its state change are one step: a query
opened at the same moment either lands first (and validation, which must acknowledge exactly the open
queries, is refused) or waits and is refused. Replies and resolving stay possible after validation.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from answers.document import reason
from answers.invisible import visible
from answers.jsonread import CONTROL_CHARS, count_text
from assessment import workflow
from assessment.access import LOCAL_ADMIN, ActorLike, check
from assessment.account_models import ReviewComment
from assessment.models import Assessment, utcnow
from assessment.service import NotFound, ServiceError, _locked, _reload, _status, about

MAX_BODY = 5_000


class Comment(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    by: str
    at: datetime
    body: str


class Thread(BaseModel):
    """One query on one question: the adviser's opening comment and the replies, oldest first."""

    model_config = ConfigDict(frozen=True)

    id: str
    question_id: str
    resolved: bool
    resolved_by: str | None
    comments: list[Comment]


def _body(text: str) -> str:
    clean = visible(text or "").strip()
    if CONTROL_CHARS.search(clean):  # NUL: PostgreSQL refuses it, SQLite keeps it; ESC drives terminals
        raise ServiceError(reason("control_char"))
    if not clean:
        raise ServiceError(reason("rev_empty"))
    if len(clean) > MAX_BODY:
        raise ServiceError(reason("too_long", n=count_text(MAX_BODY)))
    return clean


def add_comment(
    session: Session, *, assessment_id: str, question_id: str, body: str, actor: ActorLike = LOCAL_ADMIN
) -> Thread:
    """Open a query thread on ``question_id`` (advisers, on a submitted assessment not yet validated)."""
    text = _body(body)
    a = _locked(session, assessment_id)  # held to the commit: a validation in flight waits, or we wait for it
    try:
        who = check(actor, "query", a)
        _check_queryable(a)
    except BaseException:
        session.rollback()
        raise
    c = ReviewComment(assessment_id=a.id, question_id=question_id, body=text, by=who.name)
    session.add(c)
    _commit(session)
    return _thread(session, a, c.id)


def reply(
    session: Session, *, assessment_id: str, thread_id: str, body: str, actor: ActorLike = LOCAL_ADMIN
) -> Thread:
    """Answer in a thread (the adviser, the country's focal point or contributors)."""
    a = _reload(session, assessment_id)
    who = check(actor, "comment", a)
    root = _root(session, a, thread_id)
    session.add(ReviewComment(assessment_id=a.id, question_id=root.question_id, thread_id=root.id,
                              body=_body(body), by=who.name))
    _commit(session)
    return _thread(session, a, root.id)


def set_resolved(
    session: Session, *, assessment_id: str, thread_id: str, resolved: bool, actor: ActorLike = LOCAL_ADMIN
) -> Thread:
    """Resolve (or reopen) a query thread (advisers); reopening, like opening, ends with the validation."""
    a = _locked(session, assessment_id) if not resolved else _reload(session, assessment_id)
    try:
        who = check(actor, "resolve", a)
        if not resolved:
            _check_queryable(a)
        root = _root(session, a, thread_id)
    except BaseException:
        session.rollback()
        raise
    root.resolved = resolved
    root.resolved_at = utcnow() if resolved else None
    root.resolved_by = who.name if resolved else None
    session.add(root)
    _commit(session)
    return _thread(session, a, root.id)


def threads(
    session: Session, *, assessment_id: str, open_only: bool = False, actor: ActorLike = LOCAL_ADMIN
) -> list[Thread]:
    """The assessment's query threads, by question then age (``open_only``: unresolved ones)."""
    a = _reload(session, assessment_id)
    check(actor, "read", a)
    rows = list(session.exec(select(ReviewComment).where(ReviewComment.assessment_id == a.id)
                             .order_by(col(ReviewComment.at), col(ReviewComment.id))))
    roots = [r for r in rows if r.thread_id is None and not (open_only and r.resolved)]
    replies: dict[str, list[ReviewComment]] = {}
    for r in rows:
        if r.thread_id is not None:
            replies.setdefault(r.thread_id, []).append(r)
    out = [_as_thread(r, replies.get(r.id, [])) for r in roots]
    return sorted(out, key=lambda t: t.question_id)


def _check_queryable(a: Assessment) -> None:
    """Refuse a new or reopened query once the assessment is validated or published (its review is closed)."""
    if a.status not in workflow.QUERYABLE:
        raise ServiceError(about("rev_closed", a.country, a.cycle, status=_status(a.status)))


def _root(session: Session, a: Assessment, thread_id: str) -> ReviewComment:
    root = session.get(ReviewComment, thread_id) if isinstance(thread_id, str) else None
    if root is None or root.assessment_id != a.id or root.thread_id is not None:
        raise NotFound(reason("rev_no_thread"))
    return root


def _thread(session: Session, a: Assessment, thread_id: str) -> Thread:
    root = _root(session, a, thread_id)
    replies = list(session.exec(select(ReviewComment).where(ReviewComment.thread_id == root.id)
                                .order_by(col(ReviewComment.at), col(ReviewComment.id))))
    return _as_thread(root, replies)


def _as_thread(root: ReviewComment, replies: list[ReviewComment]) -> Thread:
    return Thread(
        id=root.id, question_id=root.question_id, resolved=root.resolved, resolved_by=root.resolved_by,
        comments=[Comment(id=c.id, by=c.by, at=c.at, body=c.body) for c in [root, *replies]],
    )


def _commit(session: Session) -> None:
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
