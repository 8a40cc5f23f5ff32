"""DataFrames to file bytes (CSV, XLSX), for downloads and the CLI."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from answers.invisible import visible

# Cells starting with these are run as formulas by spreadsheet programs (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A cell can start wherever a reader may split: at the start of the text, after a line break or after ";".
# Our file is comma-separated with every field quoted, so a reader splitting on "," honours the quotes and
# never starts a cell inside a text: a "," is no split ("a, -b" stays as written). Excel in French and other
# European locales splits on ";" instead; there our quotes stop being quotes after the first field, so a
# ";" or a line break inside a text does start a cell. Spaces, tabs and quote marks before the trigger are
# skipped, as spreadsheets skip them.
_TRIGGER_AFTER_SPLIT = re.compile(r'(^|[\r\n;])([ \t"]*)(?=[=+\-@])')
_BOLD = Font(bold=True)


def _defuse(value: object) -> object:
    """Quote-prefix every formula trigger of user text that a spreadsheet could read as a cell's start."""
    if not isinstance(value, str):
        return value
    value = visible(value)  # a bidi override would reorder the cell, a zero-width space hide a trigger
    value = _TRIGGER_AFTER_SPLIT.sub(r"\1\2'", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly; formulas defused.

    Every field is quoted, so a line break, a "," or a ";" inside a text never starts a new row or cell
    for a reader that honours quotes; :func:`_defuse` covers those that do not.
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_defuse)
    return out.to_csv(index=False, quoting=csv.QUOTE_ALL).encode("utf-8-sig")


def _cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """A plain value for openpyxl: NaN/NA as empty, text stored as text (never run as a formula)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", visible(value)))
        cell.data_type = "s"
        return cell
    if isinstance(value, list | tuple | dict):
        return str(value)
    return value


def frames_to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One worksheet per frame (names cut to Excel's 31 characters), bold frozen header, columns sized.

    Streams with openpyxl's write-only mode (about three times faster than pandas' writer).
    """
    wb = Workbook(write_only=True)
    for name, frame in sheets.items():
        ws = wb.create_sheet(name[:31])
        for i, col in enumerate(frame.columns, start=1):
            sample = [len(str(col)), *(len(str(v)) for v in frame[col].head(200))]
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, max(sample) + 2))
        ws.freeze_panes = "A2"
        header = []
        for col in frame.columns:
            cell = WriteOnlyCell(ws, value=str(col))
            cell.font = _BOLD
            header.append(cell)
        ws.append(header)
        for row in frame.itertuples(index=False, name=None):
            ws.append([_cell(ws, v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
