"""Importing answers documents, all or nothing: a change here never touches the workflow's own moves."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from answers.document import (
    Answer,
    AnswersDocument,
    import_problems,
)
from assessment import audit, workflow
from assessment.access import LOCAL_ADMIN, ActorLike
from assessment.models import (
    AnswerRecord,
    utcnow,
)
from assessment.scores import store as store_scores
from assessment.service._common import (
    _check_questionnaire,
    _fields,
    _log,
    _problems_message,
    _records,
    about,
    authorize,
    not_editable_by_file,
)
from assessment.service.answers import _apply_answer, _insert_answers, normalise_answer
from assessment.service.assessments import _find, _new_assessment
from assessment.service.errors import InvalidAnswer, ServiceError
from assessment.service.moves import _submit_by_file
from assessment.service.targets import _check_targets
from assessment.service.views import ImportResult, _answer_of, _doc_status
from questionnaires.loader import Questionnaire


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
