"""Saving one answer, apart from the workflow: its checks, its optimistic concurrency, the writes imports reuse."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from answers.document import (
    Answer,
    AnswersDocument,
    Problem,
    Reason,
    check_answers,
    numeric_value,
)
from assessment.access import LOCAL_ADMIN, ActorLike
from assessment.models import (
    ANSWER_TABLE,
    CHANGE_LOG_TABLE,
    AnswerRecord,
    new_id,
    utcnow,
)
from assessment.scores import store as store_scores
from assessment.service._common import (
    _blank_to_none,
    _check_editable,
    _check_questionnaire,
    _fields,
    _json_safe,
    _log,
    _record,
    _reload,
    _touch_draft,
    authorize,
)
from assessment.service.errors import ConflictError, InvalidAnswer
from assessment.service.views import ANSWER_FIELDS, _answer_of
from questionnaires.loader import Questionnaire


def normalise_answer(question_type: str, answer: Answer) -> Answer:
    """The canonical stored form: numbers as numbers (not "12,5"), blank texts as None."""
    value = answer.value
    if question_type == "numeric" and isinstance(value, str):
        with contextlib.suppress(ValueError):  # check_value reports it
            value = numeric_value(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    j, e, c = answer.justification, answer.evidence, answer.comment
    if value is answer.value and _blank_to_none(j) is j and _blank_to_none(e) is e and _blank_to_none(c) is c:
        return answer  # already canonical (most answers of a file): no copy (a bulk import normalises 114 k)
    return answer.model_copy(
        update={
            "value": value,
            "justification": _blank_to_none(answer.justification),
            "evidence": _blank_to_none(answer.evidence),
            "comment": _blank_to_none(answer.comment),
        }
    )


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
        return [Problem.of("id", Reason("no_question"), question_id)]
    doc = AnswersDocument(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        country="AAA",
        cycle=2000,
        answers={question_id: answer},
    )
    return check_answers(questionnaire, doc)


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
                            [Problem.of("id", Reason("no_question"), question_id)])
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
