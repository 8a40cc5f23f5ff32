"""The profile's documents annex read from the database: what a profile made in bulk (``iotready report
--all``, the app's zip of a cycle) lists, as the single profile does (issue 25)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session

from answers.document import AnswersDocument
from assessment.access import LOCAL_ADMIN, ActorLike
from assessment.evidence import EvidenceView, evidence_by_question
from assessment.service import _find
from questionnaires.loader import Questionnaire
from questionnaires.references import question_number
from reports.profile import EvidenceLine

Annex = tuple[tuple[str, tuple[EvidenceLine, ...]], ...]


def annex(by_question: Mapping[str, Sequence[EvidenceView]], questionnaire: Questionnaire, lang: str) -> Annex:
    """Each answer with documents, as "number text" and its documents (title, reference, SHA-256, date), in
    questionnaire order: the single profile's annex (``ui.evidence.pdf_documents``) and the bulk ones alike."""
    return tuple(
        (f"{question_number(questionnaire, q.id)} {q.text.get(lang)}",
         tuple(EvidenceLine(f.title, f.reference, f.sha256, f.added_at.date()) for f in by_question[q.id]))
        for q in questionnaire.questions if by_question.get(q.id))


def profile_documents(
    session: Session, *, docs: Sequence[AnswersDocument], questionnaire: Questionnaire, lang: str,
    actor: ActorLike = LOCAL_ADMIN,
) -> list[Annex]:
    """For each stored document of ``docs`` (in order), its profile's documents annex (:func:`annex`), read as
    ``actor``."""
    out: list[Annex] = []
    for doc in docs:
        found = _find(session, country=doc.country, cycle=doc.cycle, questionnaire_id=doc.questionnaire_id,
                      illustrative=doc.illustrative)
        by_question = {} if found is None else evidence_by_question(
            session, assessment_ids=[found.id], actor=actor).get(found.id, {})
        out.append(annex(by_question, questionnaire, lang))
    return out
