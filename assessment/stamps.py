"""The workflow stamp of each answers document of a batch (``iotready report --all``, Home's zip of profiles).

An answers document knows only draft or submitted; a profile made in bulk must say what the single profile says
(validated by whom and when, published on …: issue 20). A document carries no assessment id, so each is matched
to its live assessment by the key the database keeps unique (country, cycle, questionnaire, illustrative).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from answers.document import AnswersDocument
from assessment.access import LOCAL_ADMIN, ActorLike
from assessment.models import Assessment
from assessment.service import Forbidden, NotFound, WorkflowStamp, workflow_stamp


def workflow_stamps(
    session: Session, docs: Sequence[AnswersDocument], *, actor: ActorLike = LOCAL_ADMIN
) -> list[WorkflowStamp | None]:
    """One stamp per document, in order; None where the assessment is gone or not readable by ``actor``
    (the profile then says draft or submitted, from the document)."""
    if not docs:
        return []
    rows = session.exec(select(Assessment)
                        .where(col(Assessment.deleted_at).is_(None),
                               col(Assessment.country).in_({d.country for d in docs}),
                               col(Assessment.cycle).in_({d.cycle for d in docs}))).all()
    ids = {(a.country, a.cycle, a.questionnaire_id, bool(a.illustrative)): a.id for a in rows}
    out: list[WorkflowStamp | None] = []
    for d in docs:
        aid = ids.get((d.country, d.cycle, d.questionnaire_id, d.illustrative))
        try:
            out.append(workflow_stamp(session, assessment_id=aid, actor=actor) if aid else None)
        except (NotFound, Forbidden):
            out.append(None)
    return out
