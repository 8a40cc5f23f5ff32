"""exchange.patch numbers questions as the app does (one rule, questionnaires.references), and says "?" for an id
that a file invented instead of failing while it reports the problem."""

from __future__ import annotations

from exchange.patch import question_number
from questionnaires import default_questionnaire, references


def test_every_question_gets_the_apps_number() -> None:
    q = default_questionnaire()
    ids = [x.id for p in q.pillars for x in q.form_questions_in(p.id)]
    assert [question_number(q, i) for i in ids] == [references.question_number(q, i) for i in ids]
    assert question_number(q, ids[0]) == "1.1"


def test_an_id_the_questionnaire_does_not_hold_is_a_question_mark() -> None:
    assert question_number(default_questionnaire(), "no_such_question") == "?"
