"""A practice question's aim as a reader sees it: its clause ids cited as the resolution writes them, as clauses."""

import re

import pytest

from questionnaires import default_questionnaire
from questionnaires.basis import aim_text
from questionnaires.references import clause_reference

Q = default_questionnaire()
PRACTICE = [q for q in Q.questions if q.aim is not None]


def test_a_clause_is_quoted_as_a_clause_in_french() -> None:
    question = next(q for q in PRACTICE if "instructs-bdt-3" in q.aim.fr)  # type: ignore[union-attr]
    ref = clause_reference(Q, "instructs-bdt-3", "fr")
    assert aim_text(Q, question, "fr").startswith(f"Sert la disposition «\u202f{ref}\u202f» (")  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_clause_id_is_left_and_no_citation_reads_as_a_verb(lang: str) -> None:
    for question in PRACTICE:
        text = aim_text(Q, question, lang) or ""
        assert not any(c in text for c in question.clauses), question.id
        assert not re.match(r"(Serves|Sert) (instructs|invites|charge|invite|recalling|rappelant)", text), text


def test_an_id_written_against_chinese_characters_is_cited_too() -> None:
    """Chinese has no spaces: ``\\b`` would see 于 and i as one word and leave the id for the reader."""
    from questionnaires.models import I18nText

    question = PRACTICE[0].model_copy(update={"aim": I18nText(en="服务于instructs-bdt-3和recalling-h。", fr="x")})
    text = aim_text(Q, question, "en") or ""
    assert "instructs-bdt-3" not in text and "recalling-h" not in text, text
    assert clause_reference(Q, "instructs-bdt-3", "en") in text
