"""Checks that text a reader sees holds no internal id and no number written with a decimal point.

Shared by the French-output tests of the PDF profile, the Results page and the command line. The allowed
dotted numbers are question numbers and section numbers (1.2), in the places those are written: at the start
of a line, after "question(s)", or in a comma-separated list of them; and version numbers (1.0.0).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pyarrow as pa

from questionnaires import Questionnaire

# Shapes of internal ids: question and rule ids are snake_case, clause ids are '<section>-<item>'.
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CLAUSE_ID = re.compile(
    r"\b(?:recalling|taking-into-account|considering|recognizing|bearing-in-mind|resolves|instructs|invites)"
    r"-[a-z0-9-]+\b"
)
DOTTED = re.compile(r"(?<![\w.,])\d+\.\d+(?![\w.])")
VERSION = re.compile(r"\b\d+\.\d+\.\d+\b")
# Where a question or section number is written: line start, "question 1.2", a list "1.2, 1.3", or a table cell
# that text extraction glues to the end of the cell before it ("...de la présente résolution; 9.3").
NUMBERING = re.compile(r"(?m)(?:^|\b[Qq]uestions? |, |[;:\"»…] )(\d+\.\d+)(?=\s|,|$|\))")


def code_like_tokens(text: str, questionnaire: Questionnaire) -> list[str]:
    """Every internal id, or token shaped like one, found in ``text``."""
    ids = {q.id for q in questionnaire.questions} | {r.id for r in questionnaire.rules}
    ids |= {c.id for c in questionnaire.clauses} | {questionnaire.id}
    found = SNAKE_CASE.findall(text) + CLAUSE_ID.findall(text)
    found += [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    return sorted(set(found))


def allowed_numbers(questionnaire: Questionnaire) -> set[str]:
    """Question numbers (pillar.question) and section numbers a document may print with a dot."""
    numbers = {f"{p}.{q}" for p in range(1, 10) for q in range(1, 10)}
    for p, pillar in enumerate(questionnaire.pillars, start=1):
        numbers |= {f"{p}.{q}" for q in range(1, len(questionnaire.questions_in(pillar.id)) + 1)}
    return numbers


def decimal_points(text: str, questionnaire: Questionnaire) -> list[str]:
    """Numbers written with a decimal point: every dotted number that is not a question, section or version."""
    allowed = allowed_numbers(questionnaire)
    text = VERSION.sub("<version>", text)
    text = NUMBERING.sub(lambda m: m.group(0).replace(m.group(1), "<n>") if m.group(1) in allowed else m.group(0),
                         text)
    # A list "1.2, 1.3, 1.4": the substitution above cannot overlap, so run it until nothing changes.
    while True:
        again = NUMBERING.sub(
            lambda m: m.group(0).replace(m.group(1), "<n>") if m.group(1) in allowed else m.group(0), text
        )
        if again == text:
            break
        text = again
    return DOTTED.findall(text)


def displayed(element: Any) -> pd.DataFrame:
    """What an AppTest ``st.dataframe`` shows: the Styler's display strings when it has them, else the data."""
    styler = element.proto.arrow_data.styler
    if styler.display_values:
        return pa.ipc.open_stream(styler.display_values).read_pandas()
    return element.value


def table_cells(html: str) -> list[list[list[str]]]:
    """The tables of an HTML text: for each, its rows, each row its cells' text (headers included)."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[list[list[str]]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "table":
                self.tables.append([])
            elif tag == "tr" and self.tables:
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.tables[-1][-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Tables()
    parser.feed(html)
    return parser.tables


def html_tables(at: Any) -> list[pd.DataFrame]:
    """The plain HTML tables a page shows through ``st.html`` (``ui.static_charts.html_table``), as their text:
    one frame per table, its columns the headers, its cells the strings the reader sees."""
    found: list[pd.DataFrame] = []
    for element in at.get("html"):
        found += [pd.DataFrame(rows[1:], columns=rows[0]) for rows in table_cells(element.proto.body) if rows]
    return found


def headline(at: Any) -> dict[str, str]:
    """The Results page's headline figures (a ``<dl>`` sent through ``st.html``), as the reader sees them:
    each term's text and its value's text."""
    from html.parser import HTMLParser

    class Terms(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.pairs: list[list[str]] = []
            self.into: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("dt", "dd"):
                self.into = tag
                if tag == "dt":
                    self.pairs.append(["", ""])

        def handle_endtag(self, tag: str) -> None:
            self.into = None

        def handle_data(self, data: str) -> None:
            if self.into and self.pairs:
                self.pairs[-1][self.into == "dd"] += data

    found: dict[str, str] = {}
    for element in at.get("html"):
        if "iot-headline" in element.proto.body:
            parser = Terms()
            parser.feed(element.proto.body)
            found.update({term: value for term, value in parser.pairs})
    return found
