"""Carry a stored assessment to the current questionnaire version (``iotready questionnaire upgrade``, Home).

The rules are :mod:`answers.upgrade`: unchanged questions keep their answers; changed ones keep a
still-valid answer and are flagged "to review" (the review flag the Assess page and the results
already show); new ones are listed to answer; an answer to a removed question, or one that no longer
fits, is written to the append-only change log before it leaves the answer table. So nothing is
lost, and the history says what the upgrade did. One transaction: all or nothing.

Carrying an assessment over rewrites it across every pillar, like an import: the matrix's ``import`` row
decides who may (its country's focal point, an administrator); the check comes first. And, like its answers,
an assessment changes version only while the country can edit it (draft, returned with queries): a handed-in
one stays on the version it was submitted, reviewed or validated on, and :func:`locked` says why and what to
do (withdraw it, ask the adviser to return it, or answer the next cycle on the new version).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from answers.document import Reason, reason
from answers.upgrade import UpgradePlan, carries_over, plan_upgrade, without_removed_options
from assessment import workflow
from assessment.access import LOCAL_ADMIN, ActorLike
from assessment.models import AnswerRecord, Assessment, ChangeLog, utcnow
from assessment.service import (
    ANSWER_FIELDS,
    ServiceError,
    _answer_of,
    _commit,
    _country_names,
    _get,
    _json_safe,
    _status,
    authorize,
    list_assessments,
)
from questionnaires.loader import Questionnaire
from questionnaires.versions import load_version


class UpgradeReport(BaseModel):
    """What one upgrade did (question ids; the app and the CLI show them by their text)."""

    model_config = ConfigDict(frozen=True)

    assessment_id: str
    country: str
    cycle: int
    from_version: str
    to_version: str
    kept: list[str]  # answers carried over unchanged
    to_review: list[str]  # changed questions whose answer carried over, flagged for review
    to_answer: list[str]  # new questions, and changed ones whose answer no longer fits (moved to history)
    moved_to_history: list[str]  # answers kept only in the change log (removed questions, answers that no longer fit)


def _log(session: Session, a: Assessment, question_id: str | None, field: str, old: object, new: object,
         actor: str) -> None:
    session.add(ChangeLog(assessment_id=a.id, question_id=question_id, field=field, old=_json_safe(old),
                          new=_json_safe(new), at=utcnow(), by=actor))


def locked(status: str, country: str, cycle: int) -> Reason | None:
    """Why an assessment in ``status`` may not change questionnaire version now, or None when it may.

    The advice by state is :func:`assessment.workflow.lock`'s, shared with edits and imports.
    """
    kind = workflow.lock(status)
    if kind is None:
        return None
    return reason(f"svc_upgrade_{kind}", country=_country_names(country), cycle=cycle, status=_status(status))


def outdated_assessments(
    session: Session, questionnaire: Questionnaire, *, actor: ActorLike = LOCAL_ADMIN
) -> list[str]:
    """Ids of the assessments ``actor`` may see, of this questionnaire, on an older known version.

    Handed-in ones are listed too (:func:`upgrade_assessment` refuses them with :func:`locked`'s reason), so
    the command line and Home can say why they stay as they are.
    """
    authorize(actor, "list")
    return [
        s.id for s in list_assessments(session, actor=actor)
        if s.questionnaire_id == questionnaire.id and s.questionnaire_version != questionnaire.version
        and load_version(s.questionnaire_id, s.questionnaire_version, questionnaire) is not None
    ]


def upgrade_assessment(
    session: Session, *, assessment_id: str, questionnaire: Questionnaire, actor: ActorLike = LOCAL_ADMIN
) -> UpgradeReport:
    """Carry the assessment to ``questionnaire``'s version; refuse one of another questionnaire or unknown version."""
    a = _get(session, assessment_id)
    actor = authorize(actor, "import", a)  # from here on, the name recorded
    if a.questionnaire_id != questionnaire.id:
        raise ServiceError(reason("svc_other_version", form=a.questionnaire_id, version=a.questionnaire_version,
                                  current_form=questionnaire.id, current_version=questionnaire.version))
    old = load_version(a.questionnaire_id, a.questionnaire_version, questionnaire)
    if old is None:
        raise ServiceError(reason("svc_unknown_version", version=a.questionnaire_version))
    plan: UpgradePlan = plan_upgrade(old, questionnaire)
    why = locked(a.status, a.country, a.cycle)
    if why is not None and a.questionnaire_version != questionnaire.version:
        raise ServiceError(why)  # checked before anything is written: the assessment is left as it is
    if a.questionnaire_version == questionnaire.version:
        return UpgradeReport(assessment_id=a.id, country=a.country, cycle=a.cycle, from_version=a.questionnaire_version,
                             to_version=questionnaire.version, kept=[], to_review=[], to_answer=[],
                             moved_to_history=[])
    records = {r.question_id: r for r in session.exec(
        select(AnswerRecord).where(col(AnswerRecord.assessment_id) == a.id)).all()}
    kinds = {c.question_id: c.kind for c in plan.changes}
    kept, to_review, to_answer, moved = [], [], [], []
    for qid, rec in records.items():
        kind = kinds.get(qid, "removed")
        answer = _answer_of(rec)
        fields = {f: getattr(rec, f) for f in ANSWER_FIELDS}
        if kind == "changed":
            trimmed = without_removed_options(questionnaire, qid, answer)
            if trimmed.value != answer.value:
                # The options the new version no longer lists: the full answer goes to the history first.
                _log(session, a, qid, "value", answer.value, trimmed.value, actor)
                rec.value = trimmed.value
                answer = trimmed
        if kind == "removed" or not carries_over(questionnaire, qid, answer):
            _log(session, a, qid, "upgrade_moved_to_history", fields, None, actor)
            session.delete(rec)
            moved.append(qid)
            if kind != "removed":
                to_answer.append(qid)
        elif kind == "changed":
            if not rec.review:
                _log(session, a, qid, "review", False, True, actor)
                rec.review = True
                session.add(rec)
            to_review.append(qid)
        else:
            kept.append(qid)
    to_answer += [qid for qid in plan.of("new")]
    to_review += [qid for qid in plan.of("changed") if qid not in records]
    _log(session, a, None, "questionnaire_version", a.questionnaire_version, questionnaire.version, actor)
    report = UpgradeReport(assessment_id=a.id, country=a.country, cycle=a.cycle, from_version=a.questionnaire_version,
                           to_version=questionnaire.version, kept=sorted(kept), to_review=sorted(to_review),
                           to_answer=sorted(to_answer), moved_to_history=sorted(moved))
    a.questionnaire_version = questionnaire.version
    a.questionnaire_hash = questionnaire.content_hash
    a.updated_at = utcnow()
    a.updated_by = actor
    session.add(a)
    _commit(session)
    return report
