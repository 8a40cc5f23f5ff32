"""Whether an answer is still a valid answer to the new version of its question (it carries over) or not."""

from __future__ import annotations

import pytest

from answers.document import Answer
from answers.upgrade import carries_over
from questionnaires import load_questionnaire

MINI = load_questionnaire("tests/fixtures/mini")


@pytest.mark.parametrize(
    ("question_id", "answer", "carries"),
    [
        ("pol_city", Answer(not_applicable=True, justification="No city rules."), True),  # allow_na
        ("pol_framework", Answer(not_applicable=True, justification="No framework."), False),
        ("v6_awareness", Answer(dont_know=True), True),
        ("pol_city", Answer(dont_know=True), False),  # allow_dont_know: false
        ("v6_users", Answer(), True),  # nothing to check: the question is still to answer
        ("v6_users", Answer(value=50), True),
        ("v6_users", Answer(value=101), False),  # over the new maximum
        ("pol_elements", Answer(value=["licensing", "telepathy"]), False),
    ],
    ids=["na allowed", "na no longer allowed", "dont know allowed", "dont know no longer allowed", "unanswered",
         "a valid value", "a value over the maximum", "an option no longer listed"],
)
def test_an_answer_carries_over_only_when_the_new_version_of_its_question_still_accepts_it(
    question_id: str, answer: Answer, carries: bool
) -> None:
    assert carries_over(MINI, question_id, answer) is carries
