"""DataFrames to file bytes (CSV, XLSX), for downloads and the CLI."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl.utils import get_column_letter

# Cells starting with these are run as formulas by spreadsheet programs (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: object) -> object:
    """Prefix user text that a spreadsheet would run as a formula with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_defuse)
    return out


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    return _safe(frame).to_csv(index=False).encode("utf-8-sig")


def frames_to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One worksheet per frame (names cut to Excel's 31 characters), header row frozen, columns sized."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet = name[:31]
            _safe(frame).to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for i, col in enumerate(frame.columns, start=1):
                sample = [len(str(col)), *(len(str(v)) for v in frame[col].head(200))]
                ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, max(sample) + 2))
    return buf.getvalue()
