"""The answers document: parsing and checking against a questionnaire, every problem listed by question."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from answers.document import (
    MAX_COMMENT,
    Answer,
    AnswersError,
    Problem,
    blank_document,
    check_answers,
    check_value,
    import_problems,
    numeric_value,
    parse_answers,
    reason,
    shown_value,
    validation_reason,
)
from questionnaires import default_questionnaire, load_questionnaire
from tests.strategies import document

Q = load_questionnaire("tests/fixtures/mini")


def _doc(**answers: dict) -> dict:
    return {"questionnaire_id": "mini", "questionnaire_version": "0.1.0", "country": "ken", "cycle": 2025,
            "answers": answers}


def test_a_valid_document_parses_and_normalises_the_country_code() -> None:
    doc = parse_answers(json.dumps(_doc(v6_users={"value": 12.5})))
    assert doc.country == "KEN"
    assert doc.answer("v6_users").status == "answered"


def test_malformed_json_is_one_clear_problem() -> None:
    with pytest.raises(AnswersError) as info:
        parse_answers("{not json")
    assert [p.field for p in info.value.problems] == ["document"]
    assert "not valid JSON" in info.value.problems[0].message


def test_every_structural_problem_is_listed_by_question_id() -> None:
    raw = _doc(a={"value": True}, b={"value": "yes", "dont_know": True}, c={"not_applicable": True})
    with pytest.raises(AnswersError) as info:
        parse_answers(raw)
    by_question = {p.question_id for p in info.value.problems}
    assert by_question == {"a", "b", "c"}


def test_not_applicable_needs_a_justification() -> None:
    with pytest.raises(AnswersError, match="justification"):
        parse_answers(_doc(pol_city={"not_applicable": True, "justification": "  "}))


def test_over_long_comment_is_refused() -> None:
    with pytest.raises(AnswersError) as info:
        parse_answers(_doc(pol_city={"value": "yes", "comment": "x" * 10_001}))
    assert info.value.problems[0].question_id == "pol_city"


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("pol_framework", "excellent", "must be one of: none, planned, developing, adopted, advanced"),
        ("v6_users", 101, "must be between 0 and 100"),
        ("v6_users", "lots", "must be a number"),
        ("pol_elements", ["licensing", "telepathy"], "unknown options ['telepathy']"),
        ("pol_elements", "licensing", "must be a list of option values"),
    ],
)
def test_bad_values_are_reported_with_what_is_allowed(question: str, value: object, message: str) -> None:
    problems = check_answers(Q, document(Q, {question: Answer(value=value)}))  # type: ignore[arg-type]
    assert [(p.question_id, p.field) for p in problems] == [(question, "value")]
    assert message in problems[0].message


def test_unknown_question_and_forbidden_states_are_reported() -> None:
    doc = document(Q, {"ghost": Answer(value="yes"), "pol_framework": Answer(not_applicable=True, justification="x"),
                       "pol_city": Answer(dont_know=True)})
    problems = {(p.question_id, p.field) for p in check_answers(Q, doc)}
    assert problems == {("ghost", "id"), ("pol_framework", "not_applicable"), ("pol_city", "dont_know")}


def test_a_numeric_answer_may_use_a_decimal_comma() -> None:
    assert check_answers(Q, document(Q, {"v6_users": Answer(value="12,5")})) == []


def test_a_document_for_another_version_is_refused_with_what_to_do() -> None:
    problems = check_answers(Q, document(Q, {}, questionnaire_version="0.0.1"))
    assert problems[0].field == "questionnaire_version"
    assert "iotready template" in problems[0].message


def test_a_changed_content_hash_without_a_version_bump_is_refused() -> None:
    problems = check_answers(Q, document(Q, {}, questionnaire_hash="0" * 64))
    assert [p.field for p in problems] == ["questionnaire_hash"]


def test_unknown_target_pillar_and_tier_are_reported() -> None:
    problems = check_answers(Q, document(Q, {}, targets={"ipv7": 50.0, "ipv6": "legendary"}))
    assert {p.field for p in problems} == {"targets.ipv7", "targets.ipv6"}


def test_hostile_text_in_a_comment_is_kept_as_data() -> None:
    text = "<script>alert(1)</script> {0} %s &amp; ' OR 1=1 --"
    doc = parse_answers(_doc(pol_city={"value": "yes", "comment": text}))
    assert doc.answer("pol_city").comment == text
    assert check_answers(Q, doc) == []


def test_blank_document_lists_every_question_unanswered() -> None:
    doc = blank_document(Q, "KEN", 2026)
    assert set(doc.answers) == {q.id for q in Q.questions}
    assert {a.status for a in doc.answers.values()} == {"unanswered"}
    assert doc.questionnaire_hash == Q.content_hash


def test_a_reason_reads_in_english_by_default_and_in_french_on_request() -> None:
    q = load_questionnaire("tests/fixtures/mini")
    why = check_value(q.question("v6_users"), q, 500.0)
    assert why is not None
    assert str(why) == "must be between 0 and 100"
    assert why.text("fr") == "doit être compris entre 0 et 100"


def test_values_given_per_language_follow_the_reader() -> None:
    why = reason("as_is", text={"en": "Adopted", "fr": "Adopté"})
    assert (why.text("en"), why.text("fr")) == ("Adopted", "Adopté")


def test_a_text_over_its_limit_is_a_reason_with_the_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        Answer(comment="x" * (MAX_COMMENT + 1))
    why = validation_reason(caught.value.errors()[0])
    assert MAX_COMMENT == 10_000  # grouped as each language writes it (Babel's CLDR), as other counts are
    assert [why.text(lang) for lang in ("en", "fr", "es")] == [
        "at most 10,000 characters", "au plus 10\u202f000 caractères", "como máximo 10.000 caracteres"]


@pytest.mark.parametrize("value", [10**400, -(10**400), 2**1024])
def test_a_whole_number_too_large_for_a_float_is_refused_as_such(value: int) -> None:
    """float(10**400) raises OverflowError: the answer raised it, where an infinite number is refused."""
    with pytest.raises(ValidationError) as caught:
        Answer(value=value)
    why = validation_reason(caught.value.errors()[0])
    assert (why, why.text("en"), why.text("fr")) == (reason("number_too_large"), "the number is too large to be stored",
                                                     "le nombre est trop grand pour être enregistré")


def test_our_validators_messages_are_translated_too() -> None:
    with pytest.raises(ValidationError) as caught:
        Answer(not_applicable=True)
    assert validation_reason(caught.value.errors()[0]) == reason("na_justification")


def test_none_of_these_beside_an_option_is_refused_as_a_contradiction() -> None:
    """A multi-choice answer is "none of these" ([]) or options, never both."""
    doc = parse_answers(json.dumps(_doc(pol_framework={"value": "adopted"},
                                        pol_elements={"value": ["__none__", "licensing"]})))
    [problem] = check_answers(Q, doc)
    assert problem.question_id == "pol_elements"
    assert problem.text("en") == '"None of these" cannot be chosen together with other options'
    assert problem.text("fr").startswith("«\u202fAucun de ceux-ci\u202f»")
    assert check_answers(Q, parse_answers(json.dumps(_doc(pol_elements={"value": []})))) == []


_NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("changes", "where", "en", "fr"),
    [
        ({"questionnaire_id": "other"}, ("questionnaire_id", None),
         "answers are for `other`, this questionnaire is `mini`",
         "les réponses concernent `other`, ce questionnaire est `mini`"),
        ({"questionnaire_version": "0.0.1"}, ("questionnaire_version", None),
         "answers were given against version 0.0.1; this questionnaire is version 0.1.0. Export a new template"
         " (`iotready template`) and copy the answers across, or score with the matching questionnaire version.",
         f"les réponses ont été données pour la version 0.0.1{_NNBSP}; ce questionnaire est en version 0.1.0."
         " Exportez un nouveau modèle (`iotready template`) et recopiez-y les réponses, ou calculez le score avec la"
         " version correspondante du questionnaire."),
        ({"questionnaire_hash": "0" * 64}, ("questionnaire_hash", None),
         "the questionnaire content changed without a version bump (hash differs): re-export the template",
         "le contenu du questionnaire a changé sans changement de version (empreinte différente)"
         f"{_NNBSP}: exportez de nouveau le modèle"),
        ({"targets": {"ipv7": 50.0}}, ("targets.ipv7", None),
         "unknown pillar; known: ipv6, policy_regulation",
         f"pilier inconnu{_NNBSP}; piliers connus{_NNBSP}: ipv6, policy_regulation"),
        ({"answers": {"ghost": Answer(value="yes")}}, ("id", "ghost"),
         "no such question in this questionnaire", "cette question n'existe pas dans ce questionnaire"),
        ({"answers": {"pol_framework": Answer(not_applicable=True, justification="x")}},
         ("not_applicable", "pol_framework"),
         "this question cannot be marked not applicable",
         f"cette question ne peut pas être marquée «{_NNBSP}sans objet{_NNBSP}»"),
        ({"answers": {"pol_city": Answer(dont_know=True)}}, ("dont_know", "pol_city"),
         "this question does not accept \"don't know\"",
         f"cette question n'accepte pas «{_NNBSP}ne sait pas{_NNBSP}»"),
    ],
)
def test_each_problem_of_a_document_says_where_it_is_and_what_is_wrong_in_english_and_french(
    changes: dict, where: tuple[str, str | None], en: str, fr: str
) -> None:
    doc = document(Q, {}).model_copy(update=changes)
    [problem] = check_answers(Q, doc)
    assert ((problem.field, problem.question_id), problem.text("en"), problem.text("fr")) == (where, en, fr)
    assert problem.message == en


def test_an_unknown_tier_is_named_with_every_tier_the_questionnaire_knows() -> None:
    # In the questionnaire's order, lowest to highest (they came from a set, in another order on each run).
    [problem] = check_answers(Q, document(Q, {}, targets={"ipv6": "legendary"}))
    assert problem.field == "targets.ipv6"
    head, known = problem.text("en").split("; known: ")
    assert head == "unknown tier `legendary`"
    assert known.split(", ") == ["building", "evolving", "establishing", "advancing", "role_modelling"]
    head, known = problem.text("fr").split(f"{_NNBSP}; niveaux connus{_NNBSP}: ")
    assert head == "niveau inconnu `legendary`"
    assert known.split(", ") == ["building", "evolving", "establishing", "advancing", "role_modelling"]


def test_a_target_for_the_overall_score_or_a_pillar_target_given_as_a_number_is_no_problem() -> None:
    doc = document(Q, {}, targets={"overall": "evolving", "policy_regulation": 60.0, "ipv6": "advancing"})
    assert check_answers(Q, doc) == []


@pytest.mark.parametrize(
    ("change", "where", "en", "fr"),
    [
        ({"cycle": None}, ("cycle", None), "this field is required", "ce champ est obligatoire"),
        ({"country": None}, ("country", None), "this field is required", "ce champ est obligatoire"),
        ({"colour": "red"}, ("colour", None), "this field is not part of an answers document: remove it",
         f"ce champ ne fait pas partie d'un document de réponses{_NNBSP}: supprimez-le"),
        ({"cycle": "abc"}, ("cycle", None), "must be a whole number", "doit être un nombre entier"),
        ({"format": "x"}, ("format", None), "must be `iotready-answers`", "doit valoir `iotready-answers`"),
        ({"status": "done"}, ("status", None), "must be one of: `draft`, `submitted`",
         f"doit être l'une des valeurs{_NNBSP}: `draft`, `submitted`"),
        ({"answers": []}, ("answers", None), "must be a JSON object", "doit être un objet JSON"),
        ({"answers": {"q": "x"}}, ("answer", "q"), "must be a JSON object", "doit être un objet JSON"),
        ({"answers": {"q": {"value": "x", "comment": "a" * 10_001}}}, ("comment", "q"),
         "at most 10,000 characters", "au plus 10\u202f000 caractères"),
        ({"answers": {"q": {"value": True}}}, ("value", "q"),
         'a yes/no answer is written as the option value, e.g. "yes", not true/false',
         f"une réponse oui/non s'écrit avec la valeur de l'option, par exemple «{_NNBSP}yes{_NNBSP}»,"
         " et non vrai/faux"),
        ({"answers": {"q": {"value": 1, "dont_know": True}}}, ("answer", "q"),
         "give a value, or mark not applicable, or don't know: only one of them",
         f"donnez une valeur, ou cochez «{_NNBSP}sans objet{_NNBSP}», ou «{_NNBSP}ne sait pas{_NNBSP}»{_NNBSP}: une"
         " seule de ces options"),
        ({"answers": {f"q{i}": {} for i in range(1_001)}}, ("answers", None),
         "holds 1,001 answers; at most 1,000 are accepted (a questionnaire has a few dozen questions)",
         f"contient 1{_NNBSP}001 réponses{_NNBSP}; au plus 1{_NNBSP}000 sont acceptées (un questionnaire compte"
         " quelques dizaines de questions)"),
    ],
)
def test_each_structural_problem_of_a_document_reads_in_english_and_french(
    change: dict, where: tuple[str, str | None], en: str, fr: str
) -> None:
    raw = {k: v for k, v in (_doc() | change).items() if v is not None}
    with pytest.raises(AnswersError) as info:
        parse_answers(raw)
    [problem] = info.value.problems
    assert ((problem.field, problem.question_id), problem.text("en"), problem.text("fr")) == (where, en, fr)
    assert str(info.value) == f"invalid answers document:\n- {problem}"


@pytest.mark.parametrize(
    ("question", "value", "en"),
    [
        ("v6_users", float("inf"), "must be a number"),
        ("v6_users", True, "must be a number"),  # JSON true is no number, though Python counts it as 1
        ("v6_users", 0, None),
        ("v6_users", 100, None),
        ("v6_users", 100.5, "must be between 0 and 100"),
        ("pol_elements", ["licensing", "licensing"], "options must not repeat"),
        ("pol_elements", ["zz"], "unknown options ['zz']; allowed: licensing, numbering, security"),
        ("pol_elements", ["numbering", "licensing"], None),
    ],
)
def test_a_numeric_or_multi_select_value_is_refused_only_outside_what_the_question_accepts(
    question: str, value: object, en: str | None
) -> None:
    why = check_value(Q.question(question), Q, value)  # type: ignore[arg-type]
    assert (why.text("en") if why else None) == en


@pytest.mark.parametrize(("value", "fr"), [(2.5, "doit être un nombre entier"), (3, None), ("3,0", None)])
def test_a_count_must_be_a_whole_number(value: object, fr: str | None) -> None:
    shipped = default_questionnaire()
    why = check_value(shipped.question("ssc_kpi_cities"), shipped, value)  # type: ignore[arg-type]
    assert (why.text("fr") if why else None) == fr


def test_a_json_file_that_is_not_an_object_is_one_problem_of_the_whole_document() -> None:
    with pytest.raises(AnswersError) as info:
        parse_answers("[1, 2]")
    assert [(p.field, p.question_id, p.text("en"), p.text("fr")) for p in info.value.problems] == [
        ("document", None, "must be a JSON object", "doit être un objet JSON")
    ]


def test_the_error_lists_each_problem_on_its_own_line_under_its_question_and_a_control_character_in_an_option() -> None:
    raw = _doc(q={"value": ["licensing", "numbering\x1b"]}, r={"value": 1, "dont_know": True})
    with pytest.raises(AnswersError) as info:
        parse_answers(raw)
    assert str(info.value) == (
        "invalid answers document:\n"
        "- question `q`: value: contains a control character (such as NUL or ESC) or a broken character, which"
        " cannot be stored: remove it\n"
        "- question `r`: answer: give a value, or mark not applicable, or don't know: only one of them"
    )
    assert info.value.problems[0].text("fr") == (
        "contient un caractère de contrôle (NUL, ESC…) ou un caractère invalide, qui ne peut pas être enregistré"
        f"{_NNBSP}: supprimez-le"
    )


def test_a_value_given_without_the_readers_language_is_shown_in_english() -> None:
    assert reason("as_is", text={"en": "Adopted"}).text("fr") == "Adopted"


@pytest.mark.parametrize(("field", "value", "fr"), [
    ("country", "kenya", "`KENYA` n'est pas le code ISO3 d'un État Membre de l'UIT"),
    ("cycle", 1999, "doit être compris entre 2000 et 2100"),
    ("country", "k" * 25, "`KKKKKKKKKKKKKKKKKKKK` n'est pas le code ISO3 d'un État Membre de l'UIT"),  # its first 20
    ("cycle", 2101, "doit être compris entre 2000 et 2100"),
    ("cycle", 1e30, "doit être compris entre 2000 et 2100"),  # "Unable to parse input string as an integer, ..."
])
def test_a_bad_country_code_or_cycle_is_said_in_the_readers_language(field: str, value: object, fr: str) -> None:
    """pydantic's English ("String should match pattern '^[A-Z]{3}$'") reached French readers as it was."""
    from answers.document import AnswersError, parse_answers

    raw = {"questionnaire_id": "q", "questionnaire_version": "1", "country": "KEN", "cycle": 2025, field: value}
    with pytest.raises(AnswersError) as info:
        parse_answers(raw)
    (problem,) = info.value.problems
    assert problem.text("fr") == fr
    assert "pattern" not in problem.text("en") and "Input should" not in problem.text("en")


@pytest.mark.parametrize(("target", "en", "fr"), [
    (100.5, "must be between 0 and 100", "doit être compris entre 0 et 100"),
    (-1, "must be between 0 and 100", "doit être compris entre 0 et 100"),
    (True, "a target is a score from 0 to 100 or a tier id",
     "un objectif est un score de 0 à 100 ou l'identifiant d'un niveau"),
    ([50], "a target is a score from 0 to 100 or a tier id",
     "un objectif est un score de 0 à 100 ou l'identifiant d'un niveau"),
])
def test_a_target_neither_a_score_from_0_to_100_nor_text_is_one_problem_under_its_pillar_in_english_and_french(
    target: object, en: str, fr: str
) -> None:
    """pydantic's English ("Input should be less than or equal to 100") under `targets.ipv6.constrained-float`,
    beside "must be text" under `targets.ipv6.str`, reached French readers; JSON true was a target of 1."""
    with pytest.raises(AnswersError) as info:
        parse_answers(_doc() | {"targets": {"ipv6": target}})
    [problem] = info.value.problems
    assert ((problem.field, problem.question_id), problem.text("en"), problem.text("fr")) == (
        ("targets.ipv6", None), en, fr)


@pytest.mark.parametrize("target", [0, 100, "legendary"])
def test_a_target_score_from_0_to_100_or_any_text_is_read_the_tier_checked_later(target: object) -> None:
    assert parse_answers(_doc() | {"targets": {"ipv6": target}}).targets == {"ipv6": target}


@pytest.mark.parametrize(("value", "en", "fr"), [
    ({"a": 1}, "must be text, a number or a list of option values",
     "doit être un texte, un nombre ou une liste de valeurs d'options"),
    (["licensing", 2], "must be a list of option values", "doit être une liste de valeurs d'options"),
])
def test_a_value_of_no_kind_an_answer_takes_is_one_problem_under_value(value: object, en: str, fr: str) -> None:
    """It was one problem per kind of value, under `value.str`, `value.float` and `value.list[str].1`."""
    with pytest.raises(AnswersError) as info:
        parse_answers(_doc(q={"value": value}))
    [problem] = info.value.problems
    assert ((problem.field, problem.question_id), problem.text("en"), problem.text("fr")) == (("value", "q"), en, fr)


def test_a_pydantic_error_no_message_of_ours_covers_is_shown_in_pydantics_own_words() -> None:
    """The last resort for an error a later pydantic or a new field might give: its own words, never nothing."""
    assert validation_reason({"type": "uuid_parsing", "loc": ("id",), "msg": "Input should be a valid UUID"}) == (
        reason("as_is", text="Input should be a valid UUID"))
    why = validation_reason({"type": "value_error", "loc": ("id",), "msg": "Value error, not a known id",
                             "ctx": {"error": ValueError("not a known id")}})
    assert (why.text("en"), why.text("fr")) == ("not a known id", "not a known id")


def test_none_of_these_alone_is_an_unknown_option_not_a_contradiction() -> None:
    """`__none__` is the app's picker entry, never a value: a file says "none of these" with []. Alone it
    contradicts nothing, so it is refused as what it is, an option the question does not have, with the ones
    it has (the contradiction message would say "together with other options" where there are none)."""
    why = check_value(Q.question("pol_elements"), Q, ["__none__"])
    assert why is not None
    assert (why.text("en"), why.text("fr")) == (
        "unknown options ['__none__']; allowed: licensing, numbering, security",
        f"options inconnues ['__none__']{_NNBSP}; valeurs admises{_NNBSP}: licensing, numbering, security")


def test_a_reasons_values_are_kept_as_text_so_it_equals_and_hashes_as_the_same_reason_given_text() -> None:
    why = reason("unknown_options", unknown=["zz"], allowed="a, b")
    assert why == reason("unknown_options", unknown="['zz']", allowed="a, b")
    assert hash(why) == hash(reason("unknown_options", unknown="['zz']", allowed="a, b"))


def test_a_problem_without_a_reason_reads_as_its_message_in_any_language() -> None:
    # As the service's own "no such question" problems are made (assessment/service/answers.py).
    assert Problem("id", "no such question in this questionnaire", "ghost").text("fr") == (
        "no such question in this questionnaire")


def test_an_import_lists_a_country_that_is_no_member_state_first_then_what_does_not_fit() -> None:
    doc = document(Q, {"ghost": Answer(value="yes")}, country="XXX")
    problems = import_problems(Q, doc)
    assert [(p.field, p.question_id, p.text("en"), p.text("fr")) for p in problems] == [
        ("country", None, "`XXX` is not the ISO3 code of an ITU Member State",
         "`XXX` n'est pas le code ISO3 d'un État Membre de l'UIT"),
        ("id", "ghost", "no such question in this questionnaire", "cette question n'existe pas dans ce questionnaire"),
    ]


def test_an_import_of_a_member_states_answers_that_fit_has_no_problem() -> None:
    assert import_problems(Q, document(Q, {"v6_users": Answer(value=12.5)}, country="KEN")) == []


@pytest.mark.parametrize(("value", "number"), [("12,5", 12.5), (" 7.25 ", 7.25), (3, 3.0), (2.5, 2.5)])
def test_a_numeric_answer_reads_as_a_float_from_a_number_or_text_with_a_decimal_comma(
    value: object, number: float
) -> None:
    got = numeric_value(value)  # type: ignore[arg-type]
    assert (got, type(got)) == (number, float)


@pytest.mark.parametrize(("value", "shown"), [
    ("Kenya", "Kenya"), ("a\x1bb", "a\\x1bb"), ("two\nlines", "two\\nlines"), ("l'eau", "l'eau"), (12, "12"),
    ('say "hi"', 'say "hi"'), ("it's \"x\"", "it's \"x\""), ("it's \"x\"\n", "it's \"x\"\\n"),
    ("a\\'b\"", "a\\\\'b\""),  # a backslash the text holds is shown doubled, as repr does, the quote as typed
])
def test_a_value_is_shown_without_quotes_of_its_own_and_its_control_characters_escaped(
    value: object, shown: str
) -> None:
    assert shown_value(value) == shown


def test_a_value_holding_both_kinds_of_quote_is_quoted_by_the_readers_language_without_backslashes() -> None:
    """repr escapes the quote it would close on when a text holds both ("it\\'s"): a message showed the backslash."""
    why = reason("usr_bad_email", email=shown_value('it\'s "x"'))
    assert (why.text("en"), why.text("fr")) == ('“it\'s "x"” is not an e-mail address',
                                                '«\u202fit\'s "x"\u202f» n\'est pas une adresse électronique')


def test_an_answer_with_documents_attached_has_evidence_and_keeps_its_fields_and_what_was_given() -> None:
    answer = Answer(value="yes", comment="see the decree")
    attached = answer.with_documents(2)
    assert (attached.documents, attached.has_evidence, answer.documents) == (2, True, 0)
    assert attached.model_dump() == answer.model_dump()
    assert attached.model_dump(exclude_unset=True) == {"value": "yes", "comment": "see the decree"}
