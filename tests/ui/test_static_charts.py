"""ui.static_charts: the server-drawn charts' words and tables (issue 26)."""

from __future__ import annotations

import pandas as pd
import pytest

from formatting.numbers import percent_suffix
from questionnaires import load_questionnaire
from questionnaires.languages import REGISTRY, cldr
from tests.localization import table_cells, wrong_decimals
from ui.charts import PERCENT_COLUMNS
from ui.static_charts import html_table

Q = load_questionnaire("tests/fixtures/mini")


def _cells(html: str) -> list[list[str]]:
    (table,) = table_cells(html)
    return table


def test_an_html_table_escapes_text_and_writes_numbers_in_the_language() -> None:
    table = pd.DataFrame({"Answer": ["<script>alert(1)</script>", "=HYPERLINK(1)"], "Score": [47.66, None],
                          "Share": [12.0, 100.0]})
    table.attrs[PERCENT_COLUMNS] = ["Share"]
    html = html_table(table, "fr")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert _cells(html) == [["Answer", "Score", "Share"], ["<script>alert(1)</script>", "47,7", "12\u202f%"],
                            ["=HYPERLINK(1)", "–", "100\u202f%"]]
    assert html.count('<th scope="col">') == 3


@pytest.mark.parametrize("lang", sorted(REGISTRY))
def test_an_html_table_writes_numbers_in_every_language(lang: str) -> None:
    """Issue 24: the decimal mark and the percent sign each language's CLDR data gives (Spanish "47,7", "12 %")."""
    table = pd.DataFrame({"Score": [47.66, None], "Share": [12.0, 100.0]})
    table.attrs[PERCENT_COLUMNS] = ["Share"]
    cells = _cells(html_table(table, lang))[1:]
    decimal = cldr(lang)["decimal"]
    assert cells == [[f"47{decimal}7", f"12{percent_suffix(lang)}"], ["–", f"100{percent_suffix(lang)}"]]
    assert wrong_decimals("\n".join(c for row in cells for c in row), Q, lang) == []
