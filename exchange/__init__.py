"""Data exchange: exports (CSV, XLSX, JSON), the offline workbook, checked uploads and the import plan.

The names below are imported on first use (PEP 562), so a page that only shows a download button does
not import openpyxl until someone downloads a workbook.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exchange.export import export_csv, export_json, export_xlsx, read_export_json
    from exchange.tables import frame_to_csv, frames_to_xlsx
    from exchange.workbook import ImportProblem, ImportProblems, build_workbook, read_workbook, read_workbook_patch

_WHERE = {
    "export_csv": "exchange.export",
    "export_json": "exchange.export",
    "export_xlsx": "exchange.export",
    "read_export_json": "exchange.export",
    "frame_to_csv": "exchange.tables",
    "frames_to_xlsx": "exchange.tables",
    "ImportProblem": "exchange.workbook",
    "ImportProblems": "exchange.workbook",
    "build_workbook": "exchange.workbook",
    "read_workbook": "exchange.workbook",
    "read_workbook_patch": "exchange.workbook",
}

__all__ = [
    "ImportProblem",
    "ImportProblems",
    "build_workbook",
    "export_csv",
    "export_json",
    "export_xlsx",
    "frame_to_csv",
    "frames_to_xlsx",
    "read_export_json",
    "read_workbook",
    "read_workbook_patch",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'exchange' has no attribute {name!r}")
