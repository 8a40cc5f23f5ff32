"""Issue 20.15: French wording a native reader signs off, in the catalogs and in the strings code builds."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from assessment import service
from questionnaires import default_questionnaire
from questionnaires.messages import catalog, t
from reports.text import clause_quote

NNBSP = "\u202f"


@pytest.mark.parametrize("clumsy", ["plus bas que complète", "points globaux", "La valider maintenant",
                                    "invitation de ", "IdO"])
def test_the_clumsy_french_phrases_are_gone(clumsy: str) -> None:
    assert [k for k, v in catalog("fr").items() if clumsy in v] == []


def test_french_catalog_values_hold_no_straight_double_quote() -> None:
    assert [k for k, v in catalog("fr").items() if '"' in v] == []


def test_no_french_quote_ends_with_a_comma_or_semicolon() -> None:
    assert [k for k, v in catalog("fr").items() if re.search(r"[,;]\s*»", v)] == []


@pytest.mark.parametrize(("lang", "no_dk", "with_dk"), [
    ("fr", "2 questions n'ont pas encore de réponse. Elles valent 0",
     f"2 questions n'ont pas encore de réponse, dont 1 avec la réponse «{NNBSP}je ne sais pas{NNBSP}»"),
    ("en", "2 questions have no answer yet. They score 0", "2 questions have no answer yet, 1 of them"),
])
def test_the_incomplete_warning_names_dont_know_only_when_there_is_one(lang: str, no_dk: str, with_dk: str) -> None:
    from ui.views.assess import incomplete_text

    none = incomplete_text(2, 0, lang)
    assert none.startswith(no_dk) and "0 « je" not in none and "0 of them" not in none
    assert incomplete_text(2, 1, lang).startswith(with_dk)


@pytest.mark.parametrize(("lang", "quoted"), [("fr", f"«{NNBSP}nope{NNBSP}»"), ("en", "“nope”")])
def test_an_unknown_id_is_quoted_in_the_readers_typography(session: Session, lang: str, quoted: str) -> None:
    with pytest.raises(service.NotFound) as info:
        service.get_assessment(session, "nope")
    said = info.value.text(lang)
    assert quoted in said and "'nope'" not in said


@pytest.mark.parametrize(("lang", "opening", "closing"), [("fr", f"«{NNBSP}", f"{NNBSP}»"), ("en", "“", "”"),
                                                     ("ru", "«", "»"), ("es", "“", "”")])
def test_a_clause_quoted_in_the_profile_never_ends_with_the_resolutions_comma(
    lang: str, opening: str, closing: str
) -> None:
    q = default_questionnaire()
    quotes = [clause_quote(c.text(lang), lang, 260) for c in q.clauses]
    assert all(x.startswith(opening) and x.endswith(closing) for x in quotes)
    assert [x for x in quotes if re.search(r"[,;:]\s*[»”]$", x)] == []


def test_the_invitation_line_says_who_was_invited_in_french() -> None:
    said = t("cli.invited", "fr", email="a@b.org", roles="Point focal")
    assert said.startswith("invitation enregistrée pour a@b.org")
