"""What Compare may show beyond a user's own rows: workflow states, and group medians of published assessments.

Issue 13's rule, enforced here rather than in the page: a country's users (focal point, contributor,
viewer) see their own assessments and, of other countries, only **aggregates of published assessments**
(group medians), never another country's scores. Published is the state in which a validated profile is
released, so the medians read every country's published rows whoever asks; a group with fewer than
:data:`MIN_COUNTRIES` published countries besides the reader's own is left out, and medians are rounded to
whole points, since a median of few countries is one of their scores (issue 19.9). Advisers and
administrators see individual rows through :func:`assessment.service.score_frame`;
this module also gives them each row's workflow state, so the page can tell validated data (validated or
published by an adviser) from self-reported data.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session

from assessment.access import ActorLike, check, visible_filter
from assessment.models import ASSESSMENT_TABLE
from assessment.scores import SCORE, SCORE_COLUMNS, fresh_or_recomputed
from compare.frame import with_reference
from compare.stats import MIN_GROUP, disclosable_medians
from questionnaires.loader import Questionnaire

# A published median needs this many countries besides the reader's own, and is rounded (compare.stats.MIN_GROUP).
MIN_COUNTRIES = MIN_GROUP
PUBLISHED = "published"


def workflow_states(session: Session, *, questionnaire: Questionnaire, actor: ActorLike) -> dict[str, str]:
    """Assessment id -> workflow state, for the live assessments of ``questionnaire`` that ``actor`` may list."""
    check(actor, "list")
    a = ASSESSMENT_TABLE.c
    stmt = core_select(a.id, a.status).where(
        a.deleted_at.is_(None), a.questionnaire_id == questionnaire.id, visible_filter(actor, "list"))
    return {str(i): str(s) for i, s in session.execute(stmt)}


def _published(questionnaire: Questionnaire, illustrative: bool) -> list[Any]:
    a = ASSESSMENT_TABLE.c
    return [a.deleted_at.is_(None), a.status == PUBLISHED, a.questionnaire_id == questionnaire.id,
            a.questionnaire_version == questionnaire.version, a.illustrative == illustrative]


def published_stamp(session: Session, *, questionnaire: Questionnaire, illustrative: bool = False,
                    actor: ActorLike) -> str:
    """A fingerprint of the published assessments (changes with any of them): the medians' cache key."""
    check(actor, "list")
    a = ASSESSMENT_TABLE.c
    row = session.execute(
        core_select(func.count(), func.coalesce(func.sum(a.version), 0), func.max(a.updated_at))
        .where(*_published(questionnaire, illustrative))
    ).one()
    return f"{row[0]}:{row[1]}:{row[2]}"


def published_cycles(session: Session, *, questionnaire: Questionnaire, illustrative: bool = False,
                     actor: ActorLike) -> list[int]:
    """The cycles that have published assessments, newest first: what a user with no data of their own can pick.

    Any signed-in role may ask (the ``list`` row): only cycle numbers leave, never a country or a score.
    """
    check(actor, "list")
    a = ASSESSMENT_TABLE.c
    stmt = core_select(a.cycle).where(*_published(questionnaire, illustrative)).distinct().order_by(a.cycle.desc())
    return [int(c) for c in session.scalars(stmt)]


def published_medians(
    session: Session, *, questionnaire: Questionnaire, cycle: int, illustrative: bool = False, actor: ActorLike,
) -> pd.DataFrame:
    """Median overall and pillar scores of each region and group over the **published** assessments of ``cycle``.

    Any signed-in role may ask (the ``list`` row of the matrix): only medians leave this function, with
    ``n`` the published countries counted, rounded to whole points; a group with fewer than
    :data:`MIN_COUNTRIES` published countries besides the reader's own is dropped
    (:func:`compare.stats.disclosable_medians`).
    """
    who = check(actor, "list")
    a = ASSESSMENT_TABLE.c
    stmt = (
        core_select(a.id, a.country, a.cycle, a.questionnaire_hash, a.updated_at, *SCORE_COLUMNS)
        .select_from(ASSESSMENT_TABLE.outerjoin(SCORE, SCORE.c.assessment_id == a.id))
        .where(*_published(questionnaire, illustrative), a.cycle == cycle)
        .order_by(a.country, a.id)
    )
    rows = list(session.execute(stmt).mappings())
    scored = fresh_or_recomputed(session, questionnaire, rows)
    records = []
    for r in rows:
        s = scored[r["id"]]
        if s.problem is not None:
            continue
        rec: dict[str, Any] = {"country": r["country"], "overall": s.overall}
        rec.update({f"score_{p.id}": s.pillar_scores.get(p.id) for p in questionnaire.pillars})
        records.append(rec)
    columns = ["country", "overall", *(f"score_{p.id}" for p in questionnaire.pillars)]
    frame = pd.DataFrame.from_records(records, columns=columns).drop_duplicates("country")
    for c in columns[1:]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    # The reader's own countries do not count towards the minimum: knowing their own score, a reader of a
    # group of "own + 2 others" would read one of the others' scores (issue 19.9).
    return disclosable_medians(with_reference(frame), questionnaire, reader_countries=who.countries())
