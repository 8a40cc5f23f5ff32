"""Edit a built workbook the way a regulator would, for the import tests."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from exchange.workbook import COLUMNS, SETTING_KEYS, SETTINGS, SHEETS, sheet_names
from questionnaires import Questionnaire
from questionnaires.messages import languages

COL = {key: i + 1 for i, key in enumerate(COLUMNS)}  # column number of each key in a pillar sheet


def edit(data: bytes, *changes: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for change in changes:
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


def pillar_sheet(wb: openpyxl.Workbook, q: Questionnaire, pillar_id: str) -> Worksheet:
    """A pillar's sheet, named in the workbook's language (or by the pillar id in older workbooks)."""
    for name in (*(sheet_names(q, lang)[pillar_id] for lang in ("en", *languages())), pillar_id):
        if name in wb.sheetnames:
            ws = wb[name]
            assert isinstance(ws, Worksheet)
            return ws
    raise KeyError(pillar_id)


def settings_sheet(wb: openpyxl.Workbook) -> Worksheet:
    ws = wb[next(n for n in SHEETS[SETTINGS].values() if n in wb.sheetnames)]
    assert isinstance(ws, Worksheet)
    return ws


def set_cell(q: Questionnaire, question_id: str, column: str, value: Any) -> Change:
    question = q.question(question_id)

    def change(wb: openpyxl.Workbook) -> None:
        ws = pillar_sheet(wb, q, question.pillar)
        ws.cell(row=row_of(ws, question.id), column=COL[column], value=value)

    return change


def set_setting(key: str, value: Any) -> Change:
    """Set a settings row, named by its key (``country``) or by its name in the workbook's language."""
    names = {key, *SETTING_KEYS.get(key, {}).values()}

    def change(wb: openpyxl.Workbook) -> None:
        ws = settings_sheet(wb)
        for r in range(2, ws.max_row + 1):
            if ws.cell(row=r, column=1).value in names:
                ws.cell(row=r, column=2, value=value)
                return
        raise KeyError(key)

    return change
