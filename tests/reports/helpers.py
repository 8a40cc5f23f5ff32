"""Shared builders for the report tests: answers documents and PDF text extraction."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from answers.document import Answer, AnswersDocument
from questionnaires import Questionnaire

GENERATED_ON_ISO = "2026-11-29"


def mini_doc(
    q: Questionnaire,
    *,
    country: str = "KEN",
    status: str = "draft",
    illustrative: bool = False,
    comment: str | None = None,
    evidence: str | None = "National IoT policy, 2024",
) -> AnswersDocument:
    """A mini-questionnaire document where some answers are low, so recommendations fire."""
    # model_construct: new answers refuse control characters, but text stored before may hold them (the PDF
    # must still render it), and the hostile-text tests pass such text on purpose.
    answers = {
        "pol_framework": Answer.model_construct(value="developing", evidence=evidence, comment=comment),
        "pol_elements": Answer(value=["licensing"] if _has_option(q, "pol_elements", "licensing") else []),
        "pol_city": Answer(value="partial"),
        "v6_users": Answer.model_construct(value=22.5, evidence=evidence),
        "v6_awareness": Answer(not_applicable=True, justification="Handled by the regional registry"),
    }
    return AnswersDocument(
        questionnaire_id=q.id,
        questionnaire_version=q.version,
        country=country,
        cycle=2026,
        status=status,  # type: ignore[arg-type]
        illustrative=illustrative,
        targets={"policy_regulation": "advancing", "ipv6": 60},
        answers=answers,
    )


def _has_option(q: Questionnaire, qid: str, value: str) -> bool:
    return any(o.value == value for o in q.question(qid).options or [])


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace folded, so text wrapped over several lines can be found as one string."""
    return re.sub(r"\s+", " ", text).strip()


def all_text(pdf: bytes) -> str:
    return flat(" ".join(pages_text(pdf)))
