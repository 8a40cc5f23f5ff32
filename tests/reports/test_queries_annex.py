"""The draft profile's "queries" annex: an adviser's open queries, in the reader's language."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from answers.document import Answer, AnswersDocument
from questionnaires import Questionnaire
from reports import render_profile


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _doc(q: Questionnaire) -> AnswersDocument:
    return AnswersDocument(questionnaire_id=q.id, questionnaire_version=q.version, country="KEN", cycle=2026,
                           answers={"v6_users": Answer(value=20.0)})


def test_open_queries_end_the_profile_in_an_annex(mini: Questionnaire) -> None:
    queries = [("IPv6 users?", ["adviser@itu.example, 2026-11-30: Which survey <is> this from?"])]
    for lang, title in (("en", "open queries from the adviser"), ("fr", "questions ouvertes du conseiller")):
        text = _text(render_profile(mini, _doc(mini), lang=lang, generated_on=date(2026, 11, 30), queries=queries))
        assert title in text
        assert "Which survey <is> this from?" in text


def test_no_queries_no_annex(mini: Questionnaire) -> None:
    text = _text(render_profile(mini, _doc(mini), lang="en", generated_on=date(2026, 11, 30)))
    assert "open queries" not in text
