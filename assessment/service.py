"""Assessment services: the only code that reads and writes assessments in the database.

Plain typed functions with keyword-only arguments, each given a ``Session``; each write commits its
own transaction (or rolls it back and raises, leaving nothing half-written). Who may do what is
decided here: every public function takes the acting user (``actor=``, an :class:`access.Actor`, or a
name for the local administrator of single-user mode) and checks it against the permission matrix
(:mod:`assessment.access`) before anything else; lists and exports return only what the actor may see.
Status changes follow the validation workflow (:mod:`assessment.workflow`) and are logged with who,
when and why (:mod:`assessment.audit`).

Concurrency is optimistic: the caller says which version of an answer it last saw; if someone else
saved since, :class:`ConflictError` reports their value and nothing is overwritten. Every write is
conditional on the state it checked, in the database itself (not only in Python): an answer is written
only together with an ``UPDATE assessment ... WHERE status = 'draft'`` that must hit its row (a submit
between the check and the write makes it miss: :class:`StatusChanged`, nothing written), and status,
target and import changes carry the assessment's version in their ``WHERE`` (SQLAlchemy's version
counter: :class:`ConflictError` when it moved). On PostgreSQL the guarding UPDATE also locks the row
until the commit, so a submit waits for a save in flight instead of overtaking it.

Targets may change on a submitted assessment (they are the country's plan, not its answers: the
Results page sets them at any time), but only against the version the caller read; a file never
changes a submitted assessment, not even its targets (reopen it first).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import func, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from answers.document import (
    Answer,
    AnswersDocument,
    Problem,
    Reason,
    check_answers,
    import_problems,
    numeric_value,
    reason,
    shown_value,
)
from answers.invisible import visible
from answers.jsonread import CONTROL_CHARS
from assessment import audit, workflow
from assessment.access import LOCAL_ADMIN, Action, ActorLike, allowed, check, visible_filter
from assessment.account_models import ReviewComment
from assessment.documents import HEADER_COLUMNS, headers, load_documents
from assessment.filters import EVERYTHING, AssessmentFilter
from assessment.models import (
    ANSWER_TABLE,
    ASSESSMENT_TABLE,
    CHANGE_LOG_TABLE,
    AnswerRecord,
    Assessment,
    ChangeLog,
    new_id,
    utcnow,
)
from assessment.scores import SCORE, SCORE_COLUMNS, fresh_or_recomputed
from assessment.scores import restamp as restamp_scores
from assessment.scores import store as store_scores
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, t
from refdata import country as lookup_country
from refdata import country_name

ANSWER_FIELDS: tuple[str, ...] = (
    "value", "not_applicable", "dont_know", "justification", "evidence", "comment", "review",
)


# --- errors ---------------------------------------------------------------------------------------


class ServiceError(Exception):
    """A request the service refuses; the message says why and what to do (safe to show a user).

    Raised with a :class:`Reason`, the message is English and :meth:`text` gives it in any UI language.
    """

    def __init__(self, message: str | Reason) -> None:
        self.reason = message if isinstance(message, Reason) else None
        super().__init__(str(message))

    def text(self, lang: str = "en") -> str:
        return self.reason.text(lang) if self.reason else str(self)


class NotFound(ServiceError):
    """No assessment with this id."""


class Forbidden(ServiceError):
    """The acting user may not do this (the permission matrix in :mod:`assessment.access`)."""


class InvalidAnswer(ServiceError):
    """An answer or document that does not fit the questionnaire; ``problems`` lists each issue."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class ConflictError(ServiceError):
    """Someone else saved since the caller last read: ``current`` is what is stored now (nothing overwritten).

    ``current_version`` is the stored row version (0 when there is no row); for an assessment-level
    conflict ``question_id`` is None, ``current`` is None and the version is the assessment's.
    """

    def __init__(
        self, message: str | Reason, *, current: Answer | None, current_version: int, question_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.current = current
        self.current_version = current_version
        self.question_id = question_id


class OpenQueries(ServiceError):
    """Validation refused: ``count`` review queries are still open (the adviser may confirm and force it)."""

    def __init__(self, count: int, why: Reason) -> None:
        super().__init__(why)
        self.count = count


class StatusChanged(ServiceError):
    """The assessment stopped being a draft between the service's check and its write: nothing was written.

    Not a :class:`ConflictError` (no one else's answer to show): the caller should reload the assessment.
    """


# --- views ----------------------------------------------------------------------------------------


class AssessmentView(BaseModel):
    """An assessment as read: its fields, every stored answer, and each answer row's version."""

    model_config = ConfigDict(frozen=True)

    id: str
    country: str
    cycle: int
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_hash: str | None
    status: str
    illustrative: bool
    targets: dict[str, float | str]
    created_at: datetime
    updated_at: datetime
    created_by: str | None
    updated_by: str | None
    version: int
    answers: dict[str, Answer]
    versions: dict[str, int]

    def document(self) -> AnswersDocument:
        return _document(self)


class AssessmentSummary(BaseModel):
    """One line of the assessment list, with its score when it can be scored.

    ``outdated`` is True when the assessment was made against another version of the questionnaire
    (then ``completeness``, ``overall`` and ``overall_tier`` are None and ``problem`` says why).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    country: str
    cycle: int
    status: str
    illustrative: bool
    questionnaire_id: str
    questionnaire_version: str
    updated_at: datetime
    version: int
    completeness: float | None = None
    overall: float | None = None
    overall_tier: str | None = None
    outdated: bool = False
    problem: str | None = None


class ChangeEntry(BaseModel):
    """One change-log row: ``field`` of ``question_id`` (None: the assessment itself) went ``old`` -> ``new``."""

    model_config = ConfigDict(frozen=True)

    id: int
    assessment_id: str
    question_id: str | None
    field: str
    old: Any
    new: Any
    at: datetime
    by: str | None


class ImportResult(BaseModel):
    """What an import did: ``changed`` counts the changes written (a file's import: one per part of a question,
    target or status, as its plan listed them), ``questions`` the questions among them."""

    model_config = ConfigDict(frozen=True)

    assessment_id: str
    created: bool
    changed: int
    questions: int = 0


# --- access -----------------------------------------------------------------------------------------


def authorize(actor: ActorLike, action: Action, assessment: Assessment | None = None, *,
              country: str | None = None, pillar: str | None = None) -> str:
    """The name to record for ``actor`` if the matrix lets them take ``action``; else :class:`Forbidden`."""
    return check(actor, action, assessment, country=country, pillar=pillar).name


# --- helpers ----------------------------------------------------------------------------------------


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


def normalise_answer(question_type: str, answer: Answer) -> Answer:
    """The canonical stored form: numbers as numbers (not "12,5"), blank texts as None."""
    value = answer.value
    if question_type == "numeric" and isinstance(value, str):
        with contextlib.suppress(ValueError):  # check_value reports it
            value = numeric_value(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return answer.model_copy(
        update={
            "value": value,
            "justification": _blank_to_none(answer.justification),
            "evidence": _blank_to_none(answer.evidence),
            "comment": _blank_to_none(answer.comment),
        }
    )


def _answer_of(rec: AnswerRecord) -> Answer:
    value = rec.value
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    data = {f: getattr(rec, f) for f in ANSWER_FIELDS} | {"value": value}
    try:
        return Answer.model_validate(data)
    except ValidationError:
        # Rows are checked on the way in; a row edited by hand is still shown rather than crashing.
        return Answer.model_construct(**data)


def _fields(answer: Answer | None) -> dict[str, Any]:
    a = answer or Answer()
    return {f: getattr(a, f) for f in ANSWER_FIELDS}


def _json_safe(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple) else value


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


def _view(a: Assessment, records: list[AnswerRecord]) -> AssessmentView:
    return AssessmentView(
        id=a.id,
        country=a.country,
        cycle=a.cycle,
        questionnaire_id=a.questionnaire_id,
        questionnaire_version=a.questionnaire_version,
        questionnaire_hash=a.questionnaire_hash,
        status=a.status,
        illustrative=a.illustrative,
        targets=dict(a.targets or {}),
        created_at=a.created_at,
        updated_at=a.updated_at,
        created_by=a.created_by,
        updated_by=a.updated_by,
        version=a.version,
        answers={r.question_id: _answer_of(r) for r in records},
        versions={r.question_id: r.version for r in records},
    )


def _doc_status(status: str) -> Literal["draft", "submitted"]:
    """The answers document's two states: handed in (submitted, in review, validated, published) or not.

    A returned assessment is being answered again: its results may still change, like a draft's.
    """
    return workflow.doc_status(status)


def _document(view: AssessmentView) -> AnswersDocument:
    status = _doc_status(view.status)
    return AnswersDocument(
        questionnaire_id=view.questionnaire_id,
        questionnaire_version=view.questionnaire_version,
        questionnaire_hash=view.questionnaire_hash,
        country=view.country,
        cycle=view.cycle,
        illustrative=view.illustrative,
        status=status,
        targets=dict(view.targets),
        # A cleared answer keeps its row (and version) but is left out of the document.
        answers={qid: a for qid, a in view.answers.items() if a != Answer()},
    )


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


def _apply_answer(
    session: Session,
    *,
    assessment_id: str,
    question_id: str,
    rec: AnswerRecord | None,
    answer: Answer,
    actor: str,
    at: datetime,
) -> AnswerRecord | None:
    """Write ``answer`` over ``rec`` (or a new row) and log each changed field; None when nothing changed."""
    old = _fields(_answer_of(rec) if rec else None)
    new = _fields(answer)
    changed = [f for f in ANSWER_FIELDS if old[f] != new[f]]
    if not changed:
        return None
    if rec is None:
        rec = AnswerRecord(assessment_id=assessment_id, question_id=question_id)
    for f in ANSWER_FIELDS:
        setattr(rec, f, _json_safe(new[f]) if f == "value" else new[f])
    rec.updated_at = at
    rec.updated_by = actor
    session.add(rec)
    for f in changed:
        _log(session, assessment_id=assessment_id, question_id=question_id, field=f,
             old=old[f], new=new[f], actor=actor, at=at)
    return rec


def _insert_answers(
    session: Session, *, assessment_id: str, answers: Sequence[tuple[str, Answer]], actor: str, at: datetime
) -> int:
    """Write answers that have no row yet, and their change log, as two multi-row INSERTs.

    The same rows and log entries as :func:`_apply_answer` (a new row starts at version 1), without one ORM
    object per row and field: an import of 59 answers was 4-5x the cost of the same rows written with Core.
    A concurrent writer adding the same question makes the unique constraint fail (IntegrityError).
    """
    blank = _fields(None)
    rows: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    for qid, answer in answers:
        new = _fields(answer)
        changed = [f for f in ANSWER_FIELDS if new[f] != blank[f]]
        if not changed:
            continue
        rows.append({"id": new_id(), "assessment_id": assessment_id, "question_id": qid,
                     **{f: _json_safe(new[f]) if f == "value" else new[f] for f in ANSWER_FIELDS},
                     "updated_at": at, "updated_by": actor, "version": 1})
        logs.extend({"assessment_id": assessment_id, "question_id": qid, "field": f, "old": _json_safe(blank[f]),
                     "new": _json_safe(new[f]), "at": at, "by": actor} for f in changed)
    if rows:
        session.flush()  # the assessment row (and earlier log entries) first
        session.execute(insert(ANSWER_TABLE), rows)
        session.execute(insert(CHANGE_LOG_TABLE), logs)
    return len(rows)


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


def _conflict(question_id: str, current: Answer | None, current_version: int) -> ConflictError:
    shown = "no answer" if current is None or current.status == "unanswered" else _describe(current)
    return ConflictError(
        f"someone else changed the answer to `{question_id}` since you opened it; it is now: {shown}. "
        "Your change was not saved: check their answer, then change it again if needed.",
        current=current,
        current_version=current_version,
        question_id=question_id,
    )


def _describe(answer: Answer) -> str:
    if answer.not_applicable:
        return f"not applicable ({answer.justification})"
    if answer.dont_know:
        return "don't know"
    if isinstance(answer.value, list):
        return ", ".join(answer.value) if answer.value else "none of these"
    return "" if answer.value is None else f"{answer.value:g}" if isinstance(answer.value, float) else answer.value


def _answer_problems(questionnaire: Questionnaire, question_id: str, answer: Answer) -> list[Problem]:
    if not questionnaire.has_question(question_id):
        return [Problem("id", "no such question in this questionnaire", question_id)]
    doc = AnswersDocument(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        country="AAA",
        cycle=2000,
        answers={question_id: answer},
    )
    return check_answers(questionnaire, doc)


def _problems_message(what: str, problems: Sequence[Problem]) -> str:
    return f"{what}:\n" + "\n".join(f"- {p}" for p in problems)


def _check_targets(targets: Mapping[str, float | str], questionnaire: Questionnaire | None) -> dict[str, float | str]:
    clean: dict[str, float | str] = {}
    problems: list[str] = []
    pillar_ids = {p.id for p in questionnaire.pillars} if questionnaire else None
    tier_ids = {t.id for t in questionnaire.tiers} if questionnaire else None
    for key, value in targets.items():
        if pillar_ids is not None and key != "overall" and key not in pillar_ids:
            problems.append(f"targets.{key}: unknown pillar")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            problems.append(f"targets.{key}: give a score from 0 to 100 or a tier id")
        elif isinstance(value, str):
            if tier_ids is not None and value not in tier_ids:
                problems.append(f"targets.{key}: unknown tier `{value}`")
            else:
                clean[key] = value
        elif not 0 <= float(value) <= 100:
            problems.append(f"targets.{key}: a target score must be between 0 and 100")
        else:
            clean[key] = float(value)
    if problems:
        raise ServiceError("invalid targets:\n" + "\n".join(f"- {p}" for p in problems))
    return clean


def _commit(session: Session) -> None:
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise


# --- assessments ------------------------------------------------------------------------------------


def _find(
    session: Session, *, country: str, cycle: int, questionnaire_id: str, illustrative: bool
) -> Assessment | None:
    return session.exec(
        select(Assessment).where(
            Assessment.country == country,
            Assessment.cycle == cycle,
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.illustrative == illustrative,
            col(Assessment.deleted_at).is_(None),
        )
    ).first()


def _new_assessment(
    session: Session, *, country: str, cycle: int, questionnaire: Questionnaire, illustrative: bool, by: str,
    now: datetime, source: str | None = None,
) -> Assessment:
    """Add a draft assessment and its "created" change-log row, flushed but not committed (the caller's transaction).

    The caller has checked that ``by`` may create it; starting one by hand and importing one both come here.
    Refused while a deleted assessment of the same country, cycle and questionnaire that was handed in
    (:data:`workflow.HANDED_IN`) still holds the cycle: an administrator restores that one instead.
    """
    held = session.exec(select(Assessment).where(
        Assessment.country == country, Assessment.cycle == cycle, Assessment.questionnaire_id == questionnaire.id,
        Assessment.illustrative == illustrative, col(Assessment.deleted_at).is_not(None),
        col(Assessment.status).in_(sorted(workflow.HANDED_IN)),
    )).first()
    if held is not None:
        raise ServiceError(about("svc_start_held", country, cycle, status=_status(held.status)))
    a = Assessment(
        country=country, cycle=cycle, questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version,
        questionnaire_hash=questionnaire.content_hash, illustrative=illustrative, status="draft", targets={},
        created_at=now, updated_at=now, created_by=by, updated_by=by,
    )
    session.add(a)
    session.flush()
    logged: dict[str, object] = {"country": country, "cycle": cycle, "questionnaire_version": questionnaire.version}
    if source is not None:
        logged["source"] = source
    _log(session, assessment_id=a.id, question_id=None, field="created", old=None, new=logged, actor=by, at=now)
    return a


def get_or_create_assessment(
    session: Session,
    *,
    country: str,
    cycle: int,
    questionnaire: Questionnaire,
    illustrative: bool = False,
    actor: ActorLike = LOCAL_ADMIN,
) -> AssessmentView:
    """The assessment of ``country`` for ``cycle`` (resumed if it exists, else started as a draft)."""
    iso3 = _check_country(country)
    if not 2000 <= int(cycle) <= 2100:
        raise ServiceError(reason("svc_bad_cycle", cycle=cycle))
    existing = _find(session, country=iso3, cycle=cycle, questionnaire_id=questionnaire.id, illustrative=illustrative)
    if existing is not None:
        authorize(actor, "read", existing)
        return get_assessment(session, existing.id, actor=actor)
    who = actor
    actor = authorize(actor, "create", country=iso3)
    now = utcnow()
    try:
        a = _new_assessment(session, country=iso3, cycle=int(cycle), questionnaire=questionnaire,
                           illustrative=illustrative, by=actor, now=now)
        store_scores(session, questionnaire, a.id, stamp=now)
        session.commit()
    except IntegrityError:
        # Someone else started the same assessment at the same moment: resume theirs.
        session.rollback()
        existing = _find(session, country=iso3, cycle=cycle, questionnaire_id=questionnaire.id,
                         illustrative=illustrative)
        if existing is None:
            raise
        return get_assessment(session, existing.id, actor=who)
    return get_assessment(session, a.id, actor=who)


def get_assessment(session: Session, assessment_id: str, *, actor: ActorLike = LOCAL_ADMIN) -> AssessmentView:
    """The assessment with its answers and answer versions; :class:`NotFound` if there is none."""
    a = _reload(session, assessment_id)  # another session may have saved since this Session last looked
    authorize(actor, "read", a)
    return _view(a, _records(session, [a.id])[a.id])


def get_document(session: Session, assessment_id: str, *, actor: ActorLike = LOCAL_ADMIN) -> AnswersDocument:
    """The assessment as an answers document (what scoring, reports and exports read)."""
    return get_assessment(session, assessment_id, actor=actor).document()


_LIST_COLUMNS = (
    *HEADER_COLUMNS, ASSESSMENT_TABLE.c.version,
)


def list_assessments(
    session: Session,
    filters: AssessmentFilter = EVERYTHING,
    *,
    limit: int | None = None,
    offset: int = 0,
    actor: ActorLike = LOCAL_ADMIN,
) -> list[AssessmentSummary]:
    """Assessments ``actor`` may see matching ``filters``, real ones first, scored against ``filters.questionnaire``.

    Filtered and paged in SQL (``limit``/``offset`` a page). Scores are the
    stored ones (:mod:`assessment.scores`), recomputed in batch first for any that are missing or stale.
    """
    authorize(actor, "list")
    joined = ASSESSMENT_TABLE.outerjoin(SCORE, SCORE.c.assessment_id == ASSESSMENT_TABLE.c.id)
    questionnaire = filters.questionnaire
    stmt = filters.select((*_LIST_COLUMNS, *SCORE_COLUMNS) if questionnaire else _LIST_COLUMNS,
                          where=visible_filter(actor, "list"))
    if questionnaire:
        stmt = stmt.select_from(joined)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    elif offset:
        stmt = stmt.offset(offset)
    rows = list(session.execute(stmt).mappings())
    current = [r for r in rows if questionnaire and r["questionnaire_version"] == questionnaire.version]
    scored = fresh_or_recomputed(session, questionnaire, current) if questionnaire else {}
    out: list[AssessmentSummary] = []
    for r in rows:
        base: dict[str, Any] = {
            "id": r["id"], "country": r["country"], "cycle": r["cycle"], "status": r["status"],
            "illustrative": r["illustrative"], "questionnaire_id": r["questionnaire_id"],
            "questionnaire_version": r["questionnaire_version"], "updated_at": r["updated_at"],
            "version": r["version"],
        }
        if questionnaire is None:
            out.append(AssessmentSummary(**base))
            continue
        if r["questionnaire_version"] != questionnaire.version:
            out.append(
                AssessmentSummary(
                    **base,
                    outdated=True,
                    problem=f"made with questionnaire version {r['questionnaire_version']}; "
                    f"the current version is {questionnaire.version}",
                )
            )
            continue
        s = scored[r["id"]]
        if s.problem is not None:
            out.append(AssessmentSummary(**base, problem=s.problem))
            continue
        out.append(
            AssessmentSummary(**base, completeness=s.completeness, overall=s.overall, overall_tier=s.overall_tier)
        )
    return out


def count_assessments(
    session: Session,
    filters: AssessmentFilter = EVERYTHING,
    *,
    actor: ActorLike = LOCAL_ADMIN,
) -> int:
    """How many assessments :func:`list_assessments` would list for ``actor`` with these filters (for paging)."""
    authorize(actor, "list")
    inner = filters.select((ASSESSMENT_TABLE.c.id,), where=visible_filter(actor, "list")).order_by(None)
    return int(session.execute(core_select(func.count()).select_from(inner.subquery())).scalar_one())


def export_documents(
    session: Session,
    filters: AssessmentFilter = EVERYTHING,
    *,
    actor: ActorLike = LOCAL_ADMIN,
) -> list[AnswersDocument]:
    """Answers documents of the matching assessments ``actor`` may export (filters and order of the list).

    Read as plain rows in bulk and validated once per document (:mod:`assessment.documents`).
    """
    authorize(actor, "export")
    stmt = filters.select(HEADER_COLUMNS, where=visible_filter(actor, "export"))
    return load_documents(session, list(session.execute(stmt).mappings()))


def documents_by_id(
    session: Session, assessment_ids: Sequence[str], *, actor: ActorLike = LOCAL_ADMIN
) -> list[AnswersDocument]:
    """The answers documents of these assessments, in the order given (unknown ids, and those ``actor``
    may not read, are left out: an id is no way around the matrix)."""
    who = check(actor, "read")
    heads = {
        h["id"]: h for h in headers(session, list(assessment_ids))
        if allowed(who, "read", SimpleNamespace(country=h["country"], status=h["status"]))
    }
    return load_documents(session, [heads[i] for i in assessment_ids if i in heads])


def score_frame(
    session: Session,
    *,
    questionnaire: Questionnaire,
    filters: AssessmentFilter = EVERYTHING,
    actor: ActorLike = LOCAL_ADMIN,
) -> tuple[pd.DataFrame, int]:
    """The stored scores of the assessments matching ``filters`` (of ``questionnaire``, whatever the filter's)
    that ``actor`` may see and ``questionnaire`` can score, and how many it cannot (what Compare counts: only
    what the user may see).

    One row per assessment, in list order, with the columns of :func:`scoring.batch.score_many` plus
    ``id``, ``evidence_coverage`` and ``questionnaire_version``; assessments of another version or content
    are counted instead (the second value).
    """
    authorize(actor, "list")
    joined = ASSESSMENT_TABLE.outerjoin(SCORE, SCORE.c.assessment_id == ASSESSMENT_TABLE.c.id)
    stmt = replace(filters, questionnaire=questionnaire).select(
        (*_LIST_COLUMNS, *SCORE_COLUMNS), where=visible_filter(actor, "list")).select_from(joined)
    rows = list(session.execute(stmt).mappings())
    current = [r for r in rows if r["questionnaire_version"] == questionnaire.version]
    scored = fresh_or_recomputed(session, questionnaire, current)
    pillars = [p.id for p in questionnaire.pillars]
    records: list[dict[str, Any]] = []
    for r in current:
        s = scored[r["id"]]
        if s.problem is not None:
            continue
        rec: dict[str, Any] = {
            "id": r["id"], "country": r["country"], "cycle": r["cycle"], "illustrative": bool(r["illustrative"]),
            "status": _doc_status(r["status"]),
            "overall": s.overall, "overall_tier": s.overall_tier, "completeness": s.completeness,
            "evidence_coverage": s.evidence_coverage,
        }
        for p in pillars:
            rec[f"score_{p}"] = s.pillar_scores.get(p)
            rec[f"tier_{p}"] = s.pillar_tiers.get(p)
        records.append(rec)
    columns = ["id", "country", "cycle", "illustrative", "status", "overall", "overall_tier", "completeness",
               "evidence_coverage", *(c for p in pillars for c in (f"score_{p}", f"tier_{p}"))]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for c in ("overall", "completeness", *(f"score_{p}" for p in pillars)):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    return frame, len(rows) - len(records)


def data_stamp(session: Session, *, actor: ActorLike = LOCAL_ADMIN) -> str:
    """A short fingerprint of the assessments: it changes whenever anything is written.

    Creating an assessment adds a row; changing its status or targets bumps its version; saving or
    importing an answer stamps its ``updated_at`` (see :func:`_touch_draft`). So one aggregate query over the
    assessments tells a cache (the Compare page's scored frame) when to rebuild, instead of a full load.
    """
    authorize(actor, "list")
    row = session.exec(
        select(func.count(), func.coalesce(func.sum(Assessment.version), 0), func.max(Assessment.updated_at))
        .where(visible_filter(actor, "list"))
    ).one()
    return f"{row[0]}:{row[1]}:{row[2]}"


# --- answers ----------------------------------------------------------------------------------------


def save_answer(
    session: Session,
    *,
    assessment_id: str,
    questionnaire: Questionnaire,
    question_id: str,
    answer: Answer,
    expected_version: int | None,
    actor: ActorLike = LOCAL_ADMIN,
) -> int:
    """Save one answer; return the answer row's new version (unchanged for an identical answer).

    ``expected_version`` is the row version the caller last saw (None or 0: it saw no row).
    Raises :class:`InvalidAnswer` (nothing written), :class:`ConflictError` (someone else saved
    first; nothing written), or :class:`ServiceError` (not editable, unknown assessment).
    """
    a = _reload(session, assessment_id)
    pillar = questionnaire.question(question_id).pillar if questionnaire.has_question(question_id) else None
    actor = authorize(actor, "edit", a, pillar=pillar)
    _check_questionnaire(a, questionnaire)
    _check_editable(a)
    if not questionnaire.has_question(question_id):
        raise InvalidAnswer(f"`{question_id}` is not a question of this questionnaire",
                            [Problem("id", "no such question in this questionnaire", question_id)])
    question = questionnaire.question(question_id)
    answer = normalise_answer(question.type, answer)
    problems = _answer_problems(questionnaire, question_id, answer)
    if problems:
        raise InvalidAnswer("; ".join(f"{p.field}: {p.message}" for p in problems), problems)

    rec = _record(session, a.id, question_id)
    current_version = rec.version if rec else 0
    if _fields(_answer_of(rec) if rec else None) == _fields(answer):
        return current_version  # identical: nothing to write, nothing to log, no conflict to report
    if (expected_version or 0) != current_version:
        raise _conflict(question_id, _answer_of(rec) if rec else None, current_version)

    now = utcnow()
    _touch_draft(session, a, actor, now)  # first: the checked state must still hold (and, on PostgreSQL, stay)
    try:
        written = _apply_answer(session, assessment_id=a.id, question_id=question_id, rec=rec,
                                answer=answer, actor=actor, at=now)
        assert written is not None
        store_scores(session, questionnaire, a.id, stamp=now)  # same transaction: committed with the answer
        version = written.version  # flushed above; read now, or the commit's expiry costs one more SELECT
        session.commit()
    except (StaleDataError, IntegrityError):
        # Someone saved between our read and our write: report what they saved.
        session.rollback()
        rec = _record(session, assessment_id, question_id)
        raise _conflict(question_id, _answer_of(rec) if rec else None, rec.version if rec else 0) from None
    except Exception:
        session.rollback()
        raise
    return version


# --- assessment-level changes -------------------------------------------------------------------------


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


def set_targets(
    session: Session,
    *,
    assessment_id: str,
    targets: Mapping[str, float | str],
    questionnaire: Questionnaire | None = None,
    expected_version: int | None = None,
    actor: ActorLike = LOCAL_ADMIN,
) -> AssessmentView:
    """Replace the targets ({pillar id or "overall": score 0-100 or tier id}).

    Targets are planning, not answers, so they may change on a submitted assessment too. With
    ``questionnaire`` the pillar and tier ids are checked as well.
    """
    a = _reload(session, assessment_id)
    who = actor
    actor = authorize(actor, "targets", a)
    if questionnaire is not None:
        _check_questionnaire(a, questionnaire)
    clean = _check_targets(targets, questionnaire)
    _check_expected(a, expected_version)
    old = dict(a.targets or {})
    if old != clean:
        now = utcnow()
        restamp_scores(session, a.id, old=a.updated_at, new=now)  # targets do not move scores
        a.targets = clean
        _stamp_and_commit(session, a, by=actor, at=now, field="targets", old=old, new=clean)
    return get_assessment(session, assessment_id, actor=who)


def change_log(
    session: Session, *, assessment_id: str, question_id: str | None = None, actor: ActorLike = LOCAL_ADMIN
) -> list[ChangeEntry]:
    """Every recorded change of the assessment (or of one question), oldest first."""
    authorize(actor, "read", _get(session, assessment_id))
    stmt = select(ChangeLog).where(ChangeLog.assessment_id == assessment_id)
    if question_id is not None:
        stmt = stmt.where(ChangeLog.question_id == question_id)
    return [
        ChangeEntry(id=e.id or 0, assessment_id=e.assessment_id, question_id=e.question_id, field=e.field,
                    old=e.old, new=e.new, at=e.at, by=e.by)
        for e in session.exec(stmt.order_by(col(ChangeLog.id)))
    ]


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


# --- import ---------------------------------------------------------------------------------------------


def _import_one(
    session: Session, *, doc: AnswersDocument, questionnaire: Questionnaire, actor: ActorLike
) -> ImportResult:
    """Stage one document's import in the session's transaction (checked first); the caller commits.

    Writes are conditional on what was read: the assessment's row is updated with its version in the
    WHERE whenever anything changes, so a submit or another import after our read makes the flush fail
    (StaleDataError) instead of landing on a changed assessment.
    """
    by = authorize(actor, "import", country=doc.country)
    problems = import_problems(questionnaire, doc)
    normalized = {
        qid: normalise_answer(questionnaire.question(qid).type, a) if questionnaire.has_question(qid) else a
        for qid, a in doc.answers.items()
    }
    if problems:
        raise InvalidAnswer(_problems_message(f"cannot import {doc.country} {doc.cycle}", problems), problems)

    targets = _check_targets(doc.targets, questionnaire)
    existing = _find(session, country=doc.country, cycle=doc.cycle, questionnaire_id=doc.questionnaire_id,
                     illustrative=doc.illustrative)
    if existing is None:
        created = True
        now = utcnow()
        a = _new_assessment(session, country=doc.country, cycle=doc.cycle, questionnaire=questionnaire,
                           illustrative=doc.illustrative, by=by, now=now, source="import")
        stored: dict[str, AnswerRecord] = {}
    else:
        a = existing
        session.refresh(a)
        authorize(actor, "import", a)
        created = False
        _check_questionnaire(a, questionnaire)
        stored = {r.question_id: r for r in _records(session, [a.id])[a.id]}

    now = utcnow()
    answer_changes = [
        (qid, answer) for qid, answer in normalized.items()
        if _fields(_answer_of(stored[qid]) if qid in stored else None) != _fields(answer)
    ]
    target_change = dict(a.targets or {}) != targets
    status_change = _doc_status(a.status) != doc.status
    # A handed-in assessment changes only once it is back with the country: never by a file, not even its status.
    if not created and not workflow.is_editable(a.status) and (answer_changes or target_change or status_change):
        raise ServiceError(not_editable_by_file(a))
    changed = 0
    fresh: list[tuple[str, Answer]] = []
    for qid, answer in answer_changes:
        if qid not in stored:
            fresh.append((qid, answer))  # a new row: written in bulk below
        elif _apply_answer(session, assessment_id=a.id, question_id=qid, rec=stored.get(qid),
                           answer=answer, actor=by, at=now) is not None:
            changed += 1
    changed += _insert_answers(session, assessment_id=a.id, answers=fresh, actor=by, at=now)
    if target_change:
        _log(session, assessment_id=a.id, question_id=None, field="targets", old=dict(a.targets or {}),
             new=targets, actor=by, at=now)
        a.targets = targets
        changed += 1
    if status_change:  # only ever "submitted": a handed-in assessment was refused above
        _submit_by_file(session, a, actor=actor, by=by, at=now)
        changed += 1
    if changed and not created:
        # An ORM change of the row: its UPDATE carries "WHERE version = <read>" (the condition of the whole import).
        a.updated_at = now
        a.updated_by = by
    session.flush()  # takes the assessment row first, so the stored scores see every earlier write
    if changed or created:
        audit.record(session, actor=by, event="import", country=a.country, assessment_id=a.id, at=now,
                     detail={"cycle": a.cycle, "created": created, "changed": changed})
        # A new assessment holds exactly the answers written above (nobody else sees it before our commit):
        # scored from them instead of read back (tests/assessment/test_scores.py: stored = recomputed).
        written = doc.model_copy(update={
            "questionnaire_id": questionnaire.id, "questionnaire_version": questionnaire.version,
            "questionnaire_hash": questionnaire.content_hash, "answers": dict(fresh),
        }) if created else None
        store_scores(session, questionnaire, a.id, stamp=a.updated_at, created=created,
                     written=written)  # committed with the import
    return ImportResult(assessment_id=a.id, created=created, changed=changed)


def _commit_import(session: Session, doc: AnswersDocument) -> None:
    """Commit an import; a race becomes a :class:`ServiceError` naming the assessment (nothing written)."""
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise ServiceError(about("svc_import_stale", doc.country, doc.cycle)) from None
    except IntegrityError:
        session.rollback()
        raise ServiceError(about("svc_import_race", doc.country, doc.cycle)) from None
    except Exception:
        session.rollback()
        raise


def import_document(
    session: Session, *, doc: AnswersDocument, questionnaire: Questionnaire, actor: ActorLike = LOCAL_ADMIN
) -> ImportResult:
    """Create or update the assessment a document describes, all or nothing.

    The whole document is checked first (every problem listed, nothing written). Answers in the
    document replace the stored ones; questions it leaves out keep their stored answers. Importing
    the same document again changes nothing (``changed == 0``, no log entries).
    """
    return import_documents(session, docs=[doc], questionnaire=questionnaire, actor=actor)[0]


class ImportRefused(ServiceError):
    """One document of a multi-assessment import was refused: nothing of the file was written.

    ``index`` is the refused document's position in the file; ``cause`` the refusal itself (an
    :class:`InvalidAnswer` keeps its ``problems``).
    """

    def __init__(self, cause: ServiceError, index: int) -> None:
        super().__init__(cause.reason or str(cause))
        self.cause = cause
        self.index = index
        self.problems = list(getattr(cause, "problems", []))


def import_documents(
    session: Session, *, docs: Sequence[AnswersDocument], questionnaire: Questionnaire,
    actor: ActorLike = LOCAL_ADMIN,
) -> list[ImportResult]:
    """Import several documents (a JSON export) in one transaction: all of them, or none.

    A refusal of any one (a submitted assessment the file would change, a race with another writer)
    rolls back the others too, so a file is never half imported: :class:`ImportRefused` names it.
    One document alone raises its refusal as is (the same errors as before). Each document's country is
    checked against the actor's grants (:func:`_import_one`); this first check refuses anyone who may
    import nowhere.
    """
    authorize(actor, "import")
    results: list[ImportResult] = []
    for i, doc in enumerate(docs):
        try:
            try:
                results.append(_import_one(session, doc=doc, questionnaire=questionnaire, actor=actor))
            except StaleDataError:
                raise ServiceError(about("svc_import_stale", doc.country, doc.cycle)) from None
            except IntegrityError:
                raise ServiceError(about("svc_import_race", doc.country, doc.cycle)) from None
        except ServiceError as exc:
            session.rollback()
            if len(docs) == 1:
                raise
            raise ImportRefused(exc, i) from None
        except Exception:
            session.rollback()
            raise
    if not docs:
        return results
    try:
        _commit_import(session, docs[-1])
    except ServiceError as exc:
        if len(docs) == 1:
            raise
        raise ImportRefused(exc, len(docs) - 1) from None
    return results
