"""The reading checks themselves (tests/localization.py): each finds what it looks for and lets the right forms be.

Run for every registered language, not only the offered ones, so a language about to be offered is ready.
"""

from __future__ import annotations

import pytest

from questionnaires import Questionnaire, default_questionnaire
from questionnaires.languages import REGISTRY, SOURCE, cldr
from questionnaires.messages import catalog, languages, t
from tests.localization import OTHER_LANGUAGES, code_like_tokens, english_leaks, wrong_decimals

OTHERS = sorted(code for code in REGISTRY if code != SOURCE)


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return default_questionnaire()


def test_the_other_languages_are_the_offered_ones_but_english() -> None:
    assert [code for code in languages() if code != SOURCE] == OTHER_LANGUAGES and "fr" in OTHER_LANGUAGES


def test_a_planted_id_is_found(q: Questionnaire) -> None:
    some = q.questions[0].id
    assert code_like_tokens(f"Question {some} : oui, voir instructs-bdt-3", q) == sorted([some, "instructs-bdt-3"])
    assert code_like_tokens("Plan national IPv6, ITU-T Y.4904, 47,7 %", q) == []


@pytest.mark.parametrize("lang", sorted(REGISTRY))
def test_the_mark_that_is_not_the_languages_decimal_is_found(q: Questionnaire, lang: str) -> None:
    decimal = cldr(lang)["decimal"]
    wrong = "," if decimal == "." else "."
    assert wrong_decimals(f"Score 47{wrong}7 (sous 0{wrong}75)", q, lang) == [f"47{wrong}7", f"0{wrong}75"]
    assert wrong_decimals(f"Score 47{decimal}7, 0{decimal}75 %", q, lang) == []


@pytest.mark.parametrize("lang", sorted(REGISTRY))
def test_question_numbers_versions_and_groups_are_allowed(q: Questionnaire, lang: str) -> None:
    """Question and section numbers keep their point in every language; a version too; grouped thousands."""
    text = "1.2  Question\nquestions 1.2, 1.3\nversion 1.0.0\n- 1.1 Question\n**3.1** Question\n│ 2.1 Question │\n"
    assert wrong_decimals(text, q, lang) == []
    group = cldr(lang)["group"]
    assert wrong_decimals(f"{1}{group}940 questions, 12{group}345{group}678", q, lang) == []


def test_the_french_spanish_and_english_cases() -> None:
    q = default_questionnaire()
    assert wrong_decimals("Score 47.7 ; 12.345 ; 1.2 Question", q, "fr") == ["47.7", "12.345"]  # no point groups
    assert wrong_decimals("Puntuación 47.7 ; 12.345 ; 1.2 Pregunta", q, "es") == ["47.7"]  # 12.345: its group
    assert wrong_decimals("la respuesta a la pregunta 9.8; las preguntas 1.2, 1.3; peso 1.5", q, "es") == ["1.5"]
    assert wrong_decimals("Score 47,7; 12,345; 1,2345", q, "en") == ["47,7", "1,2345"]
    assert wrong_decimals("rgba(0,0,0,0) rgb(12,34,56)", q, "zh") == []  # a chart's colour, not a number


@pytest.mark.parametrize("lang", OTHERS)
def test_a_planted_english_sentence_is_found(lang: str) -> None:
    english = t("ui.unsaved_text", SOURCE)
    page = f"{t('app.title', lang)}\n{english}\n{t('ui.unsaved_text', lang)}"
    assert ("ui.unsaved_text", english.rstrip(".")) in english_leaks(page, lang)
    assert english_leaks(f"{t('app.title', lang)}\n{t('ui.unsaved_text', lang)}", lang) == []


@pytest.mark.parametrize("lang", OTHERS)
def test_a_piece_between_placeholders_and_markdown_is_found(lang: str) -> None:
    """A template's English prose is found with its placeholders filled in and its Markdown kept."""
    english = t("cli.shown_if", SOURCE, number="1.2", values="Yes")
    assert ("cli.shown_if", "shown only if question") in english_leaks(f"**{english}**", lang)


@pytest.mark.parametrize("lang", OTHERS)
def test_what_the_language_keeps_in_english_is_not_a_leak(lang: str) -> None:
    """Names and references ("ITU-T Y.4904", "IPv6") and short words are not English text to translate."""
    page = f"{t('app.title', lang)} · ITU-T Y.4904 · IPv6 · NB-IoT · Score · OK"
    assert english_leaks(page, lang) == []
    same = [v for k, v in catalog(SOURCE).items() if catalog(lang).get(k) == v and len(v.split()) >= 2]
    assert english_leaks("\n".join(same), lang) == []


def test_english_pages_have_no_english_leak() -> None:
    assert english_leaks(t("ui.unsaved_text", SOURCE), SOURCE) == []


@pytest.mark.parametrize("lang", OTHERS)
def test_a_planted_english_question_is_found_with_the_questionnaire(q: Questionnaire, lang: str) -> None:
    """The shipped questionnaire is in every language: its English text on a page in another one is a leak."""
    question = q.questions[0]
    english, theirs = question.text.en, question.text.get(lang)
    assert (f"content:question.{question.id}.text", english.rstrip("?.")) in english_leaks(english, lang, q)
    assert english_leaks(english, lang) == []  # without the questionnaire only the UI catalog is read
    assert english_leaks(theirs, lang, q) == []
