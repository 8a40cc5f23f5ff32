"""ui.static_charts: the server-drawn charts' words and tables (issue 26)."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

import pandas as pd
import pytest

from formatting.numbers import percent_suffix
from questionnaires import load_questionnaire
from questionnaires.languages import REGISTRY, cldr
from tests.localization import table_cells, wrong_decimals
from ui.charts import PERCENT_COLUMNS
from ui.static_charts import html_table, picture_html

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


def test_a_picture_is_an_img_with_its_svg_as_a_data_address_and_its_alt_text_escaped() -> None:
    """Issue 26: a picture is a plain ``<img>`` sent through ``st.html`` (the image element's scripts held the
    first screen back); its words are text, never markup, whatever a country's or pillar's name holds."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>x</title></svg>'
    html = picture_html(svg, 'Scores: "Policy" <b>40</b> & more')

    found: list[dict[str, str | None]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append({"tag": tag, **dict(attrs)})

    Tags().feed(html)
    (img,) = found  # one element, nothing else: no <b>, no script
    assert img["tag"] == "img" and img["class"] == "iot-picture"
    assert img["alt"] == 'Scores: "Policy" <b>40</b> & more'
    head, _, body = (img["src"] or "").partition(",")
    assert head == "data:image/svg+xml;base64" and base64.b64decode(body).decode() == svg
