"""Fuzzing the workbook import: whatever the upload, a valid document or ImportProblems, never another error."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.document import AnswersDocument, check_answers
from exchange import ImportProblems, build_workbook, read_workbook
from exchange.workbook import COLUMNS
from tests.compare.conftest import MINI, make_doc
from tests.exchange.helpers import COL, edit

PREFILLED = build_workbook(MINI, "en", make_doc(MINI, "KEN", level=0.5))
SHEETS = ["settings", "instructions", "Enabling policy and regulatory", "IPv6 adoption", "choices"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LEGAL_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=30)
CELLS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    LEGAL_TEXT,
    st.sampled_from(["yes", "no", "Oui", "(none)", "licensing, nope", "3 – Adopted", "12,5", "-1", "1e309", "=1+1"]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
)


def _check(data: bytes) -> None:
    try:
        doc = read_workbook(MINI, data)
    except ImportProblems as exc:
        assert exc.problems
        assert all(str(p) for p in exc.problems)
        return
    assert isinstance(doc, AnswersDocument)
    assert check_answers(MINI, doc) == []


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["Enabling policy and regulatory", "IPv6 adoption"]), st.integers(1, 7),
                          st.sampled_from(list(COLUMNS)), CELLS), min_size=1, max_size=8))
def test_random_cells_in_pillar_sheets(edits: list[tuple[str, int, str, Any]]) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for sheet, row, column, value in edits:
            wb[sheet].cell(row=row, column=COL[column], value=value)

    _check(edit(PREFILLED, change))


@FUZZ
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(1, 3), CELLS), min_size=1, max_size=5))
def test_random_cells_in_settings(edits: list[tuple[int, int, Any]]) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for row, column, value in edits:
            wb["settings"].cell(row=row, column=column, value=value)

    _check(edit(PREFILLED, change))


@FUZZ
@given(st.sets(st.sampled_from(SHEETS), min_size=1, max_size=len(SHEETS) - 1))
def test_deleted_sheets(deleted: set[str]) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for name in deleted:
            wb.remove(wb[name])
        if wb.worksheets and all(ws.sheet_state != "visible" for ws in wb.worksheets):
            wb.worksheets[0].sheet_state = "visible"  # a spreadsheet program keeps one sheet visible

    _check(edit(PREFILLED, change))


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _check(data)


@FUZZ
@given(st.integers(0, len(PREFILLED) - 1), st.integers(1, 255))
def test_a_damaged_workbook(position: int, flip: int) -> None:
    damaged = bytearray(PREFILLED)
    damaged[position] ^= flip
    _check(bytes(damaged))


@FUZZ
@given(st.integers(0, len(PREFILLED) - 1))
def test_a_truncated_workbook(length: int) -> None:
    _check(PREFILLED[:length])


def test_a_50_mb_upload_is_refused_for_its_size() -> None:
    # The 50 MB come before a readable workbook: a zip reader finds its directory from the end, so without the
    # size check this file imports (50 MB of zeros after the workbook were refused as "not an xlsx" instead).
    big = b"\0" * (50 * 1024 * 1024) + PREFILLED
    with pytest.raises(ImportProblems) as refused:
        read_workbook(MINI, big)
    assert [p.reason.code for p in refused.value.problems if p.reason] == ["wb_too_big"]
    assert "50.0 MB" in str(refused.value.problems[0]) and "20 MB" in str(refused.value.problems[0])
