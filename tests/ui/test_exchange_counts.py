"""Issue 20.14: the import plan and its result count alike ("2 changes in 1 question" then "2 changes in 1
question were saved", not "1 change saved"), and the plan is a table that wraps, so "In the file" is read whole."""

from __future__ import annotations

import pytest

from exchange import build_workbook
from tests.exchange.helpers import edit, set_cell
from tests.ui.conftest import Env
from tests.ui.test_exchange import _rich, page, upload

LONG_EVIDENCE = "Decree 2026/118 on the national IoT framework, " * 8


def _two_parts_of_one_question(env: Env, lang: str) -> bytes:
    q = env.questionnaire
    data = build_workbook(q, lang, country="KEN", cycle=2026)
    data = edit(data, set_cell(q, "v6_users", "answer", 20))
    return edit(data, set_cell(q, "v6_users", "evidence", LONG_EVIDENCE.strip()))


@pytest.mark.parametrize(("lang", "plan_says", "result_says"), [
    ("en", "2 changes in 1 question", "2 changes in 1 question were saved"),
    ("fr", "2 changements dans 1 question", "2 changements dans 1 question ont été enregistrés"),
])
def test_the_plan_and_the_result_give_the_same_counts(env: Env, lang: str, plan_says: str, result_says: str) -> None:
    _rich(env)
    at = upload(page(env, lang), "ken.xlsx", _two_parts_of_one_question(env, lang), confirm=False)
    assert not at.exception
    assert any(plan_says in m.value for m in at.markdown)
    at.button(key="exchange.confirm").click().run()
    assert not at.exception
    [said] = [s.value for s in at.success]
    assert result_says in said


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_plan_is_a_wrapping_table_holding_the_files_value_whole(env: Env, lang: str) -> None:
    _rich(env)
    at = upload(page(env, lang), "ken.xlsx", _two_parts_of_one_question(env, lang), confirm=False)
    assert not at.dataframe  # a grid cuts a long cell at its edge; a static table wraps it
    [table] = [tb.value for tb in at.table]
    assert LONG_EVIDENCE.strip() in list(table.iloc[:, -1])
