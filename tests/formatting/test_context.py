"""How a context indicator reads (issue 21, point 17): its short name, its figure in the reader's language, and
the answer's status when there is no figure."""

from __future__ import annotations

from answers.document import Answer
from formatting.context import context_lines, context_value
from questionnaires import default_questionnaire

Q = default_questionnaire()
IND = Q.question("spc_iot_connections")


def test_a_figure_reads_with_its_unit_in_each_language() -> None:
    assert context_lines(Q, {IND.id: Answer(value=12.5)}, "en") == ["IoT uptake: 12.5 connections per 100 inhabitants"]
    assert context_lines(Q, {IND.id: Answer(value=12.5)}, "fr") == [
        "Adoption de l'IoT\u202f: 12,5 connexions pour 100 habitants"]


def test_no_figure_reads_as_the_answers_status() -> None:
    assert context_value(IND, Answer(dont_know=True), "en") == "Don't know"
    assert context_value(IND, None, "fr") == "Sans réponse"


def test_a_figure_takes_its_units_form_for_the_value_decimals_too() -> None:
    """Issue 24.4: 1 connection, 1.5 connections; French 1,5 is singular; Russian 1,5 takes the form for fractions."""
    said = {lang: [context_value(IND, Answer(value=v), lang) for v in (1, 1.5, 2, 5)] for lang in ("en", "fr", "ru")}
    assert said["en"] == ["1 connection per 100 inhabitants", "1.5 connections per 100 inhabitants",
                          "2 connections per 100 inhabitants", "5 connections per 100 inhabitants"]
    assert said["fr"][:3] == ["1 connexion pour 100 habitants", "1,5 connexion pour 100 habitants",
                              "2 connexions pour 100 habitants"]
    assert said["ru"] == ["1 соединение на 100 жителей", "1,5 соединения на 100 жителей",
                          "2 соединения на 100 жителей", "5 соединений на 100 жителей"]


def test_an_answer_and_the_allowed_range_say_a_count_in_its_form() -> None:
    from formatting.markdown import answer_label, answer_options

    cities = Q.question("ssc_kpi_cities")
    assert [answer_label(Q, cities, v, "en") for v in (1, 2)] == ["1 city", "2 cities"]
    assert [answer_label(Q, cities, v, "ar") for v in (2, 3)] == ["2 مدينتان", "3 مدن"]
    assert answer_options(Q, cities, "ru")[0].split(" (")[0].endswith("0–1000 городов")
