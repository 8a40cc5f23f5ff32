"""Data exchange: exports (CSV, XLSX, JSON) and the offline questionnaire workbook (build and read back)."""

from exchange.export import export_csv, export_json, export_xlsx, read_export_json
from exchange.tables import frame_to_csv, frames_to_xlsx
from exchange.workbook import ImportProblem, ImportProblems, build_workbook, read_workbook, read_workbook_patch

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
