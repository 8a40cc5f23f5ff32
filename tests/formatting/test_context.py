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
