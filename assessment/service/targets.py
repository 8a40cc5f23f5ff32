"""The country's targets: checked against the questionnaire, changed at any status against the version read."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session

from assessment.access import LOCAL_ADMIN, ActorLike
from assessment.models import (
    utcnow,
)
from assessment.scores import restamp as restamp_scores
from assessment.service._common import _check_expected, _check_questionnaire, _reload, _stamp_and_commit, authorize
from assessment.service.assessments import get_assessment
from assessment.service.errors import ServiceError
from assessment.service.views import AssessmentView
from questionnaires.loader import Questionnaire


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
