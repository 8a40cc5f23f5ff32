"""ui.static_charts: the server-drawn charts' words and tables (issue 26)."""

from __future__ import annotations

import pandas as pd

from tests.localization import table_cells
from ui.charts import PERCENT_COLUMNS
from ui.static_charts import html_table


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
