"""What every service module shares: the access check, row reads, the draft guard, locking, logging and commits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from answers.document import (
    Answer,
    Problem,
    Reason,
    reason,
    shown_value,
)
from assessment import audit, workflow
from assessment.access import Action, ActorLike, check
from assessment.models import (
    AnswerRecord,
    Assessment,
    ChangeLog,
)
from assessment.service.errors import ConflictError, NotFound, ServiceError, StatusChanged
from assessment.service.views import ANSWER_FIELDS
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, t
from refdata import country as lookup_country
from refdata import country_name


def authorize(actor: ActorLike, action: Action, assessment: Assessment | None = None, *,
              country: str | None = None, pillar: str | None = None) -> str:
    """The name to record for ``actor`` if the matrix lets them take ``action``; else :class:`Forbidden`."""
    return check(actor, action, assessment, country=country, pillar=pillar).name


def _country_names(iso3: str) -> dict[str, str]:
    """The country's name in each language, for a reason a person reads ("Kenya", not "KEN")."""
    return {lang: country_name(iso3, lang) for lang in languages()}


country_names = _country_names  # for the exchange layer's reasons


def about(code: str, iso3: str, cycle: int, /, **params: object) -> Reason:
    """A reason ``code`` about the ``iso3`` ``cycle`` assessment: it names the country in the reader's language."""
    return reason(code, country=_country_names(iso3), cycle=cycle, **params)


def _status(status: str) -> dict[str, str]:
    """An assessment status as each language names it (for messages)."""
    return {lang: t(f"ui.status.{status}", lang).lower() for lang in languages()}


def _blank_to_none(text: str | None) -> str | None:
    return text if text and text.strip() else None


def _fields(answer: Answer | None) -> dict[str, Any]:
    a = answer or Answer()
    return {f: getattr(a, f) for f in ANSWER_FIELDS}


def _json_safe(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


def _get(session: Session, assessment_id: str) -> Assessment:
    found = session.get(Assessment, assessment_id) if isinstance(assessment_id, str) else None
    if found is None or found.deleted_at is not None:  # a deleted assessment is restorable, not usable
        raise NotFound(reason("svc_not_found", id=shown_value(assessment_id)))
    return found


def _records(session: Session, assessment_ids: Iterable[str]) -> dict[str, list[AnswerRecord]]:
    ids = list(assessment_ids)
    out: dict[str, list[AnswerRecord]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (
        select(AnswerRecord)
        .where(col(AnswerRecord.assessment_id).in_(ids))
        .order_by(col(AnswerRecord.question_id))
        .execution_options(populate_existing=True)  # another session may have saved since we last looked
    )
    for rec in session.exec(stmt):
        out[rec.assessment_id].append(rec)
    return out


def _record(session: Session, assessment_id: str, question_id: str) -> AnswerRecord | None:
    return session.exec(
        select(AnswerRecord)
        .where(AnswerRecord.assessment_id == assessment_id, AnswerRecord.question_id == question_id)
        .execution_options(populate_existing=True)
    ).first()


def _log(
    session: Session,
    *,
    assessment_id: str,
    question_id: str | None,
    field: str,
    old: Any,
    new: Any,
    actor: str,
    at: datetime,
) -> None:
    session.add(
        ChangeLog(
            assessment_id=assessment_id,
            question_id=question_id,
            field=field,
            old=_json_safe(old),
            new=_json_safe(new),
            at=at,
            by=actor,
        )
    )


def _touch_draft(session: Session, a: Assessment, actor: str, at: datetime) -> None:
    """Stamp the assessment, only if it is still editable (draft, returned) at the checked version; else refuse.

    The write's condition is in the UPDATE's WHERE, so a submit committed after our check (another
    process) makes it hit no row: :class:`StatusChanged`, and the caller's transaction is rolled back.
    On PostgreSQL the UPDATE also locks the row until commit, so a concurrent submit waits for us.
    A plain UPDATE, not an ORM change: it must not bump the assessment's version, or two people saving
    different questions at the same moment would conflict on the assessment row.
    """
    hit = session.execute(
        update(Assessment)
        .where(
            col(Assessment.id) == a.id,
            col(Assessment.status).in_(sorted(workflow.EDITABLE)),  # a draft, or returned with queries
            col(Assessment.questionnaire_version) == a.questionnaire_version,
        )
        .values(updated_at=at, updated_by=actor)
        .execution_options(synchronize_session=False)
    )
    if getattr(hit, "rowcount", 1) != 1:
        session.rollback()
        now = _reload(session, a.id)
        raise StatusChanged(about("svc_status_changed", now.country, now.cycle,
                                   status=_status(now.status)))


def _check_questionnaire(a: Assessment, questionnaire: Questionnaire) -> None:
    if a.questionnaire_id != questionnaire.id or a.questionnaire_version != questionnaire.version:
        raise ServiceError(reason(
            "svc_other_version", form=a.questionnaire_id, version=a.questionnaire_version,
            current_form=questionnaire.id, current_version=questionnaire.version,
        ))


def _check_editable(a: Assessment) -> None:
    if not workflow.is_editable(a.status):
        raise ServiceError(not_editable(a, "edit"))


def not_editable(a: Assessment, what: Literal["edit", "import", "upgrade"]) -> Reason:
    """Why ``what`` (an edit, an import, a questionnaire upgrade) may not change ``a`` now, and what to do instead.

    The advice depends on the state (:func:`workflow.lock`): the country may withdraw a submission the
    adviser has not opened ("reopen"); once the adviser has it, only the adviser can hand it back (return
    with queries); a validated one keeps the figures as checked.
    """
    return reason(f"svc_{what}_{workflow.lock(a.status) or 'final'}", country=_country_names(a.country),
                  cycle=a.cycle, status=_status(a.status))


def not_editable_by_file(a: Assessment) -> Reason:
    """Why a file may not change ``a`` now (:func:`not_editable` for an import)."""
    return not_editable(a, "import")


def _check_country(iso3: str) -> str:
    try:
        return lookup_country(iso3).iso3
    except (KeyError, AttributeError):
        raise ServiceError(reason("svc_bad_country", code=shown_value(iso3))) from None


def _assessment_conflict(a: Assessment) -> ConflictError:
    return ConflictError(
        about("svc_assessment_changed", a.country, a.cycle), current=None, current_version=a.version
    )


def _check_expected(a: Assessment, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != a.version:
        raise _assessment_conflict(a)


def _reload(session: Session, assessment_id: str) -> Assessment:
    """The assessment as the database has it now (one SELECT, overwriting what this Session held)."""
    found = (session.get(Assessment, assessment_id, populate_existing=True)
             if isinstance(assessment_id, str) else None)
    if found is None or found.deleted_at is not None:  # deleted, maybe by another session since this one looked
        raise NotFound(reason("svc_not_found", id=shown_value(assessment_id)))
    return found


def _locked(session: Session, assessment_id: str) -> Assessment:
    """The assessment as the database has it now, its row held by this transaction until commit or rollback.

    What a check-then-act step needs to be one step (validating against the open queries while a query is
    being opened; deleting while the status changes): PostgreSQL takes the row with ``SELECT ... FOR
    UPDATE``; SQLite has no row locks, so a no-op UPDATE of the row begins the write transaction (the
    database's single writer lock, waited for up to ``busy_timeout``), and everything read after it is
    the latest committed state. Another writer of the same row waits for our commit. The caller must
    commit or roll back on every path (a refusal too), or the lock stays held.
    """
    if not isinstance(assessment_id, str):
        raise NotFound(reason("svc_not_found", id=repr(assessment_id)))
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Assessment).where(col(Assessment.id) == assessment_id)
                        .values(status=Assessment.status).execution_options(synchronize_session=False))
    found = session.get(Assessment, assessment_id, populate_existing=True, with_for_update=True)
    if found is None or found.deleted_at is not None:
        session.rollback()
        raise NotFound(reason("svc_not_found", id=repr(assessment_id)))
    return found


def _stamp_and_commit(
    session: Session,
    a: Assessment,
    *,
    by: str,
    at: datetime,
    field: str,
    old: Any,
    new: Any,
    event: str | None = None,
    detail: Mapping[str, Any] | None = None,
    reload: Callable[[Session, str], Assessment] | None = None,
    taken: Reason | None = None,
) -> None:
    """Finish an assessment-level change the caller has made on ``a``: log it, audit it, stamp it, commit.

    The change log gets ``field`` old -> new; ``event`` (if any) goes to the audit trail with ``detail``;
    ``updated_at``/``updated_by`` say who and when. The ORM commit carries the version read, so a change
    committed since makes it fail: :class:`ConflictError` with the assessment as it now is (``reload``
    reads it back; deleted ones need :func:`assessment.history._any`). With ``taken``, a unique-key clash
    (a restore racing a new start) is that refusal instead. Nothing is written on any failure.
    """
    _log(session, assessment_id=a.id, question_id=None, field=field, old=old, new=new, actor=by, at=at)
    if event is not None:
        audit.record(session, actor=by, event=event, country=a.country, assessment_id=a.id, at=at,
                     detail=dict(detail or {}))
    a.updated_at = at
    a.updated_by = by
    assessment_id = a.id
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise _assessment_conflict((reload or _reload)(session, assessment_id)) from None
    except IntegrityError:
        session.rollback()
        if taken is None:
            raise
        raise ServiceError(taken) from None
    except Exception:
        session.rollback()
        raise


def _problems_message(what: str, problems: Sequence[Problem]) -> str:
    return f"{what}:\n" + "\n".join(f"- {p}" for p in problems)


def _commit(session: Session) -> None:
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
