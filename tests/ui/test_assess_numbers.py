"""Issue 20.8: the Assess number box and its messages write numbers in the reader's language (37,5 in French)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from questionnaires import default_questionnaire
from questionnaires.loader import DEFAULT_QUESTIONNAIRE_DIR
from tests.ui.conftest import Env, open_page


def _assess(env: Env, assessment_id: str, lang: str) -> AppTest:
    at = env.app(assessment_id)
    at.query_params["lang"] = lang
    at = open_page(at, "assess")
    return at.pills(key="assess.jump").set_value("ipv6").run()


@pytest.mark.parametrize(("lang", "shown"), [("fr", "37,5"), ("en", "37.5")])
def test_a_saved_decimal_is_shown_in_the_readers_language(env: Env, lang: str, shown: str) -> None:
    aid = env.create()
    env.answer(aid, "v6_users", Answer(value=37.5))
    at = _assess(env, aid, lang)
    assert not at.exception
    assert at.text_input(key="q.v6_users.value").value == shown


@pytest.mark.parametrize(("lang", "said", "not_said"), [("fr", "37,5", "37.5"), ("en", "37.5", "37,5")])
def test_a_conflict_names_the_other_value_in_the_readers_language(
    env: Env, lang: str, said: str, not_said: str
) -> None:
    aid = env.create()
    at = _assess(env, aid, lang)
    env.answer(aid, "v6_users", Answer(value=37.5))  # another tab, after this one loaded
    at.text_input(key="q.v6_users.value").input("12").run()
    assert not at.exception
    [warning] = [w.value for w in at.warning if said in w.value]
    assert not_said not in warning
    assert at.text_input(key="q.v6_users.value").value == said


def test_the_box_reads_back_what_it_shows_in_french(env: Env) -> None:
    aid = env.create()
    env.answer(aid, "v6_users", Answer(value=37.5))
    at = _assess(env, aid, "fr")
    at.text_input(key="q.v6_users.value").input("37,5").run()  # typed back as shown: nothing changes
    assert not at.exception and not at.error
    assert env.saved(aid, "v6_users") == Answer(value=37.5)


@pytest.mark.parametrize(("lang", "value", "said"), [
    ("en", 1, "1 contribution"), ("en", 2, "2 contributions"),
    ("ru", 1, "1 вклад"), ("ru", 2, "2 вклада"), ("ru", 5, "5 вкладов"), ("ru", 21, "21 вклад"),
])
def test_a_count_is_said_with_its_units_plural_form(env: Env, monkeypatch: pytest.MonkeyPatch, lang: str, value: int,
                                                   said: str) -> None:
    """Issue 24.4: the unit takes the form of the count's CLDR category ("1 contribution", "2 вклада")."""
    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(DEFAULT_QUESTIONNAIRE_DIR))  # the shipped counts
    env = replace(env, questionnaire=default_questionnaire())
    aid = env.create()
    at = env.app(aid)
    at.query_params["lang"] = lang
    at = open_page(at, "assess").pills(key="assess.jump").set_value("cooperation_investment").run()
    env.answer(aid, "coo_itu_contributions", Answer(value=value))  # another tab, after this one loaded
    at.text_input(key="q.coo_itu_contributions.value").input("7").run()
    assert not at.exception
    assert len([w for w in at.warning if re.search(rf"(?<!\d){said}(?!\w)", w.value)]) == 1
