"""How an import plan reads: each row's question, part, saved value and file value, the counts and the problems,
word for word in English and French, and where the code joins words or picks a plural itself in Spanish,
Russian, Chinese and Arabic too (the mini questionnaire; every expected text written out here, not built
from the catalogs the code reads)."""

from __future__ import annotations

from typing import Any, cast

import pytest

from answers.document import Answer, reason
from exchange.patch import ImportPatch
from exchange.plan import Change, ImportPlan, PlanProblem, changes_text, plan_rows, problem_text, question_label
from questionnaires import Questionnaire

NNBSP = "\u202f"  # French puts a narrow no-break space before ? : ; and inside « »


def _row(mini: Questionnaire, change: Change, lang: str) -> dict[str, str]:
    plan = ImportPlan(patch=cast(ImportPatch, None), assessment_id="a1", assessment_version=1, answer_versions={},
                      changes=[change], untouched=[], answers={}, targets=None, status=None)
    [row] = plan_rows(mini, plan, lang)
    return row


def _sides(mini: Questionnaire, change: Change, lang: str) -> tuple[str, str]:
    row = _row(mini, change, lang)
    return row["saved"], row["file"]


def _answer(qid: str, old: Answer, new: Answer) -> Change:
    return Change(qid, "answer", old, new)


def test_a_rows_question_reads_as_its_number_and_text_in_the_readers_language(mini: Questionnaire) -> None:
    change = Change("v6_users", "comment", "a", "b")
    assert _row(mini, change, "en")["question"] == "2.1 IPv6 users?"
    assert _row(mini, change, "fr")["question"] == f"2.1 Utilisateurs IPv6{NNBSP}?"


def test_a_question_the_questionnaire_does_not_have_reads_as_such_never_as_its_key(mini: Questionnaire) -> None:
    assert question_label(mini, "gone", "en") == "(a question this questionnaire does not have)"
    assert question_label(mini, "gone", "fr") == "(une question que ce questionnaire n'a pas)"


def test_a_row_about_the_assessment_itself_says_so_in_the_question_column(mini: Questionnaire) -> None:
    change = Change(None, "status", "draft", "submitted")
    assert _row(mini, change, "en")["question"] == "(the assessment)"
    assert _row(mini, change, "fr")["question"] == "(l'évaluation)"


@pytest.mark.parametrize(("part", "en", "fr"), [
    ("answer", "Answer", "Réponse"),
    ("justification", "Justification", "Justification"),
    ("evidence", "Evidence", "Justificatifs"),
    ("comment", "Comment", "Commentaire"),
    ("review", "To review", "À revoir"),
])
def test_each_part_of_an_answer_is_named_in_the_readers_language(
    mini: Questionnaire, part: str, en: str, fr: str
) -> None:
    old: Any = Answer(value=1.0) if part == "answer" else "x"
    change = Change("v6_users", part, old, old)
    assert (_row(mini, change, "en")["part"], _row(mini, change, "fr")["part"]) == (en, fr)


def test_a_scale_answer_reads_as_its_options_label(mini: Questionnaire) -> None:
    change = _answer("pol_framework", Answer(value="adopted"), Answer(value="developing"))
    assert _sides(mini, change, "en") == ("3 – Adopted", "2 – Developing")
    assert _sides(mini, change, "fr") == ("3 – Adopté", "2 – En cours d'élaboration")
    city = _answer("pol_city", Answer(value="partial"), Answer(value="partial"))
    assert _sides(mini, city, "en") == ("Partially", "Partially")  # another scale: its own labels
    assert _sides(mini, city, "fr") == ("Partiellement", "Partiellement")


def test_a_value_no_option_has_reads_as_the_value_itself(mini: Questionnaire) -> None:
    assert _sides(mini, _answer("pol_city", Answer(value="sometimes"), Answer(value="partial")), "en") == (
        "sometimes", "Partially")
    assert _sides(mini, _answer("pol_elements", Answer(value=["numbering", "roaming"]), Answer(value=["x"])),
                  "fr") == ("Numérotation; roaming", "x")


def test_a_multi_select_reads_as_its_option_labels_in_order_and_an_empty_one_as_none_of_these(
    mini: Questionnaire
) -> None:
    change = _answer("pol_elements", Answer(value=["security", "licensing"]), Answer(value=[]))
    assert _sides(mini, change, "en") == ("Security; Licensing", "None of these")
    assert _sides(mini, change, "fr") == ("Sécurité; Licences", "Aucune de celles-ci")


def test_not_applicable_and_dont_know_read_as_their_status_and_no_answer_as_empty(mini: Questionnaire) -> None:
    na = _answer("pol_framework", Answer(not_applicable=True, justification="Provincial"), Answer())
    assert _sides(mini, na, "en") == ("Not applicable", "(empty)")
    assert _sides(mini, na, "fr") == ("Sans objet", "(vide)")
    dk = _answer("pol_framework", Answer(dont_know=True), Answer(value="none"))
    assert _sides(mini, dk, "en") == ("Don't know", "0 – None")
    assert _sides(mini, dk, "fr") == ("Ne sait pas", "0 – Inexistant")


def test_a_whole_number_reads_without_decimals_and_another_to_six_significant_digits_in_the_readers_format(
    mini: Questionnaire
) -> None:
    change = _answer("v6_users", Answer(value=40.0), Answer(value=12.5))
    assert _sides(mini, change, "en") == ("40", "12.5")
    assert _sides(mini, change, "fr") == ("40", "12,5")
    long = _answer("v6_users", Answer(value=1234567.0), Answer(value=0.1234567))
    assert _sides(mini, long, "en") == ("1234567", "0.123457")
    assert _sides(mini, long, "fr") == ("1234567", "0,123457")
    tiny = _answer("v6_users", Answer(value=0.00001234), Answer(value=1234567.5))  # beyond six digits: an exponent
    assert _sides(mini, tiny, "en") == ("1.234e-05", "1.23457e+06")
    assert _sides(mini, tiny, "fr") == ("1,234e-05", "1,23457e+06")


def test_the_review_flag_reads_yes_or_no_in_the_readers_language(mini: Questionnaire) -> None:
    change = Change("v6_users", "review", False, True)
    assert _sides(mini, change, "en") == ("no", "yes")
    assert _sides(mini, change, "fr") == ("non", "oui")


def test_a_text_part_reads_as_written_and_a_missing_one_as_empty(mini: Questionnaire) -> None:
    change = Change("v6_users", "evidence", None, "Law 12/2020")
    assert _sides(mini, change, "en") == ("(empty)", "Law 12/2020")
    assert _sides(mini, change, "fr") == ("(vide)", "Law 12/2020")


def test_the_status_reads_as_the_workflow_states_name(mini: Questionnaire) -> None:
    change = Change(None, "status", "returned", "resubmitted")
    assert _row(mini, change, "en")["part"] == "Status"
    assert _sides(mini, change, "en") == ("Returned with queries", "Resubmitted")
    assert _row(mini, change, "fr")["part"] == "Statut"
    assert _sides(mini, Change(None, "status", "draft", "submitted"), "fr") == ("Brouillon", "Soumise")


def test_a_pillar_target_names_its_pillar_and_reads_as_written(mini: Questionnaire) -> None:
    change = Change(None, "target:ipv6", 60.0, 75.4)
    assert _row(mini, change, "en") == {"question": "(the assessment)", "part": "Target: IPv6 adoption",
                                        "saved": "60", "file": "75.4"}  # not rounded: 75.4 is what is written
    assert _sides(mini, change, "fr") == ("60", "75,4")
    # French: a narrow no-break space before the colon (a plain space lets a line start with it)
    assert _row(mini, change, "fr")["part"] == f"Objectif{NNBSP}: Adoption de l'IPv6"


def test_a_target_given_as_a_tier_reads_as_the_tiers_name_and_the_overall_one_is_named_overall(
    mini: Questionnaire
) -> None:
    change = Change(None, "target:overall", "advancing", "role_modelling")
    assert _row(mini, change, "en") == {"question": "(the assessment)", "part": "Target: Overall",
                                        "saved": "Advancing", "file": "Role-modelling"}
    assert _row(mini, change, "fr") == {"question": "(l'évaluation)", "part": f"Objectif{NNBSP}: Global",
                                        "saved": "En progression", "file": "Modèle"}


def test_a_target_no_tier_is_named_reads_as_itself_and_a_removed_one_as_empty(mini: Questionnaire) -> None:
    change = Change(None, "target:policy_regulation", "leading", None)
    assert _sides(mini, change, "en") == ("leading", "(empty)")
    assert _row(mini, change, "en")["part"] == "Target: Enabling policy and regulatory framework"


@pytest.mark.parametrize(("lang", "pillar", "overall"), [
    ("es", "Objetivo: Adopción del IPv6", "Objetivo: Global"),
    ("ru", "Цель: Внедрение IPv6", "Цель: Итог"),
    ("zh", "目标：IPv6的采用", "目标：总体"),  # full-width colon, no space after it
    ("ar", "الهدف: اعتماد الإصدار IPv6", "الهدف: الإجمالي"),
])
def test_a_target_row_names_the_target_and_its_pillar_in_spanish_russian_chinese_and_arabic(
    mini: Questionnaire, lang: str, pillar: str, overall: str
) -> None:
    assert _row(mini, Change(None, "target:ipv6", 60.0, 75.0), lang)["part"] == pillar
    assert _row(mini, Change(None, "target:overall", 60.0, 75.0), lang)["part"] == overall


@pytest.mark.parametrize(("changes", "questions", "en", "fr"), [
    (1, 0, "1 change", "1 changement"),  # a target or the status alone: no question to count
    (3, 0, "3 changes", "3 changements"),
    (2, 1, "2 changes in 1 question", "2 changements dans 1 question"),
    (1000, 1000, "1,000 changes in 1,000 questions", f"1{NNBSP}000 changements dans 1{NNBSP}000 questions"),
])
def test_the_change_count_names_the_questions_only_when_some_changed(
    changes: int, questions: int, en: str, fr: str
) -> None:
    assert (changes_text(changes, questions, "en"), changes_text(changes, questions, "fr")) == (en, fr)


@pytest.mark.parametrize(("lang", "changes", "questions", "expected"), [
    ("es", 2, 1, "2 cambios en 1 pregunta"),
    ("es", 1000, 1000, "1.000 cambios en 1.000 preguntas"),  # Spanish groups thousands with a point
    ("ru", 2, 1, "2 изменения в 1 вопросе"),
    ("ru", 5, 5, "5 изменений в 5 вопросах"),
    ("ru", 21, 21, "21 изменение в 21 вопросе"),
    ("ru", 1000, 1000, "1\u00a0000 изменений в 1\u00a0000 вопросах"),
    ("zh", 2, 1, "1个问题中的2项更改"),
    ("ar", 2, 1, "2 تغييران في 1 سؤال"),
    ("ar", 5, 5, "5 تغييرات في 5 أسئلة"),
    ("ar", 21, 21, "21 تغييراً في 21 سؤالاً"),
])
def test_the_change_count_takes_each_languages_own_words_and_plurals_for_changes_and_questions(
    lang: str, changes: int, questions: int, expected: str
) -> None:
    assert changes_text(changes, questions, lang) == expected


def test_a_problem_is_located_by_sheet_row_and_question_number_before_its_reason(mini: Questionnaire) -> None:
    p = PlanProblem("v6_users", reason("wb_unknown_question"), "IPv6", 7, "answer")
    assert problem_text(mini, p, "en") == (
        "sheet “IPv6”, row 7, 2.1 IPv6 users?: no such question in this questionnaire version")
    assert problem_text(mini, p, "fr") == (
        f"feuille «{NNBSP}IPv6{NNBSP}», ligne 7, 2.1 Utilisateurs IPv6{NNBSP}?{NNBSP}: "
        "cette question n'existe pas dans cette version du questionnaire")


def test_a_problem_without_a_sheet_says_its_row_and_one_without_a_place_is_its_reason_alone(
    mini: Questionnaire
) -> None:
    row_only = PlanProblem("gone", reason("wb_unknown_question"), None, 3)
    assert problem_text(mini, row_only, "en") == (
        "row 3, (a question this questionnaire does not have): no such question in this questionnaire version")
    whole = PlanProblem(None, reason("svc_import_answers_only"))
    assert problem_text(mini, whole, "en") == (
        "this file would change targets or the status, which only the focal point sets: nothing was imported; "
        "leave those cells empty and import again")
    assert problem_text(mini, whole, "fr").startswith("ce fichier modifierait des objectifs")
