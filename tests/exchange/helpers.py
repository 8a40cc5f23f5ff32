"""Edit a built workbook the way a regulator would, for the import tests."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from exchange.workbook import COLUMNS
from questionnaires import Questionnaire

COL = {key: i + 1 for i, key in enumerate(COLUMNS)}  # column number of each key in a pillar sheet


def edit(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row_of(ws: Worksheet, question_id: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == question_id:
            return r
    raise KeyError(question_id)


Change = Callable[[openpyxl.Workbook], None]


def set_cell(q: Questionnaire, question_id: str, column: str, value: Any) -> Change:
    question = q.question(question_id)

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[question.pillar]
        ws.cell(row=row_of(ws, question.id), column=COL[column], value=value)

    return change


def set_setting(key: str, value: Any) -> Change:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["settings"]
        for r in range(2, ws.max_row + 1):
            if ws.cell(row=r, column=1).value == key:
                ws.cell(row=r, column=2, value=value)
                return
        raise KeyError(key)

    return change
