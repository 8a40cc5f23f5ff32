"""The profile's "evidence documents" annex (issue 25): each answer's documents with title, reference, hash, date."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from answers.document import Answer, AnswersDocument
from questionnaires import Questionnaire
from reports import render_profile
from reports.profile import EvidenceLine

SHA = "3f2a9c41d07be5e8" + "0" * 48


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _doc(q: Questionnaire) -> AnswersDocument:
    return AnswersDocument(questionnaire_id=q.id, questionnaire_version=q.version, country="KEN", cycle=2026,
                           answers={"v6_users": Answer(value=20.0)})


@pytest.mark.parametrize(("lang", "heading", "attached"), [
    ("en", "Annex: evidence documents", "attached on"),
    ("fr", "Annexe\u202f: documents justificatifs", "joint le"),
])
def test_each_answers_documents_are_listed_with_title_reference_hash_and_date(
    mini: Questionnaire, lang: str, heading: str, attached: str
) -> None:
    documents = [("2.1 IPv6 users", [EvidenceLine("Household survey <2025>", "table 4", SHA, date(2026, 12, 7))])]
    text = _text(render_profile(mini, _doc(mini), lang=lang, generated_on=date(2026, 12, 7), documents=documents))
    assert " ".join(heading.split()) in text
    assert "Household survey <2025> — table 4" in text
    assert "SHA-256 3f2a9c41d07b" in text and SHA[:13] not in text  # a 12-character prefix
    assert attached in text


def test_no_documents_no_annex(mini: Questionnaire) -> None:
    assert "evidence documents" not in _text(render_profile(mini, _doc(mini), lang="en",
                                                            generated_on=date(2026, 12, 7)))


def test_the_app_gives_the_annex_each_answers_live_documents(tmp_path: object, mini: Questionnaire,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """ui.evidence.pdf_documents: questionnaire order, removed documents left out."""
    from pathlib import Path

    from assessment import evidence, service
    from ui import evidence as evidence_ui

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{Path(str(tmp_path)) / 'app.db'}")
    from ui import data

    with data.session() as s:
        aid = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=mini).id
        pdf = b"%PDF-1.7\n%%EOF\n"
        kept = evidence.add_evidence(s, assessment_id=aid, questionnaire=mini, question_id="v6_users",
                                     data=io.BytesIO(pdf), filename="a.pdf", title="Survey", reference="p. 4")
        gone = evidence.add_evidence(s, assessment_id=aid, questionnaire=mini, question_id="pol_framework",
                                     data=io.BytesIO(pdf + b" "), filename="b.pdf", title="Old policy")
        evidence.remove_evidence(s, assessment_id=aid, questionnaire=mini, evidence_id=gone.id)
    [(question, [line])] = evidence_ui.pdf_documents(aid, mini, "en", actor="local")
    assert question.endswith(mini.question("v6_users").text.get("en"))
    assert (line.title, line.reference, line.sha256) == ("Survey", "p. 4", kept.sha256)
