"""CSV formula injection (issue 10, point 2): no cell a spreadsheet could read starts a formula.

The file is read back three ways: as CSV with "," and with ";" (Excel in French and other European
locales splits on ";"), and naively, split at every line break and separator with quotes ignored
(what Excel does with a comma-separated file in a ";" locale). In none of them may a cell start with
= + - @ once spaces and quotes are skipped.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from answers.document import Answer
from exchange import export_csv
from exchange.tables import frame_to_csv
from tests.compare.conftest import MINI, make_doc

PAYLOADS = [
    "=HYPERLINK(\"http://evil\",\"x\")",
    "ok\r=cmd|' /C calc'!A0",  # a carriage return used to end the row unquoted
    "ok\n+1+1",
    "ok\r\n-2+3",
    "ok;=1+1",  # Excel-FR splits here
    "ok, @SUM(A1)",
    "ok;\"=1+1",
    "ok\t=1",
    "\t=1",
    "@import",
]
TRIGGERS = ("=", "+", "-", "@")


def _cells(text: str) -> list[str]:
    cells = []
    for sep in (",", ";"):
        cells += [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) for c in row]
    for line in re.split(r"\r\n|\r|\n", text):
        cells += line.split(";")  # Excel-FR: ";" splits, quotes after the first field are plain text
    return cells


def _formula_cells(text: str) -> list[str]:
    return [c for c in _cells(text) if c.lstrip(' \t"').startswith(TRIGGERS)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_reader_sees_a_formula(payload: str) -> None:
    text = frame_to_csv(pd.DataFrame({"id": ["KEN"], "comment": [payload], "score": [0.5]})).decode("utf-8-sig")
    assert _formula_cells(text) == []
    # The text itself survives: a reader that honours quotes gets it back with the guard quotes only.
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["comment"].replace("'", "") == payload.replace("'", "")


def test_every_field_is_quoted() -> None:
    text = frame_to_csv(pd.DataFrame({"a": ["x;y"], "b": [1.5], "c": [True]})).decode("utf-8-sig")
    assert text.splitlines() == ['"a","b","c"', '"x;y","1.5","True"']


def test_the_old_writer_would_have_failed_this_check() -> None:
    """The check is not vacuous: pandas' default writer leaves a formula after a carriage return."""
    frame = pd.DataFrame({"comment": ["ok\r=cmd"]})
    assert _formula_cells(frame.to_csv(index=False))


def test_a_whole_export_with_hostile_text_reads_back_clean() -> None:
    answers = {
        "pol_framework": Answer(value="none", evidence=PAYLOADS[0], comment=PAYLOADS[1]),
        "v6_users": Answer(dont_know=True, comment=PAYLOADS[4]),
    }
    doc = make_doc(MINI, "KEN", answers=answers)
    text = export_csv(MINI, [doc]).decode("utf-8-sig")
    assert _formula_cells(text) == []
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(MINI.questions)  # the carriage return did not start a row


@pytest.mark.parametrize(
    ("text", "exported"),
    [
        ("a, -b", "a, -b"),  # a "," inside a quoted field starts no cell: nothing to defuse
        ("a,-b", "a,-b"),
        ("1,5 - 2", "1,5 - 2"),
        ("e-mail: x@y.org", "e-mail: x@y.org"),
        ("  -b", "  '-b"),  # a leading trigger after spaces
        ("-b", "'-b"),
        ("\tb", "'\tb"),
        ("\rb", "'\rb"),
        ("a ; -b", "a ; '-b"),  # Excel-FR splits at ";"
        ("a\n@b", "a\n'@b"),
    ],
)
def test_only_what_a_spreadsheet_could_read_as_a_cell_start_is_defused(text: str, exported: str) -> None:
    out = frame_to_csv(pd.DataFrame({"comment": [text]})).decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(out, newline="")))
    assert row["comment"] == exported
