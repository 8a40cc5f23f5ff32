"""The offline questionnaire: an XLSX workbook a regulator fills without the app, and its validated import.

Layout (XLSForm-like, see docs/STYLE): a settings sheet (questionnaire id, version, content hash,
country, cycle, language), an instructions sheet, one sheet per pillar (named by the pillar in the
workbook's language) with a row per question, and a hidden choices sheet with every scale's options. Sheet
names and setting keys are in the workbook's language; the reader accepts either language (and the
older English keys). Scale answers get a drop-down of labels; numbers a min/max validation;
multi-selects are option labels separated by semicolons (labels may hold commas).

A blank cell means "no information in this file", never "delete": :func:`read_workbook_patch`
returns only what the file speaks about (:class:`exchange.patch.ImportPatch`); clearing a saved value
needs the clear marker, ``(clear)`` or ``(effacer)``. A formula without a computed value, or a merged
cell, is a problem located by sheet and row, never read as a blank.

:func:`read_workbook_patch` checks the whole file before returning anything and raises
:class:`ImportProblems` listing every problem by sheet, row and question id. It guards the parser: a
size cap before parsing, and the uncompressed sizes in the zip directory against zip bombs (Python's
zipfile never inflates an entry past its declared size: the CRC check fails first).

The package, by job: :mod:`~exchange.workbook.layout` (sheet names, setting keys, columns, texts, styles:
what the writer writes and the reader looks for), :mod:`~exchange.workbook.writer` (``build_workbook``),
:mod:`~exchange.workbook.reader` (``read_workbook_patch``, ``read_workbook``) with
:mod:`~exchange.workbook.cells` (one cell's value), and :mod:`~exchange.workbook.problems` (``ImportProblem``).
Callers import from ``exchange.workbook``, as before the split; the names below are that interface.
"""

from __future__ import annotations

from exchange.workbook.layout import (
    CHOICES,
    COLUMNS,
    EDITABLE,
    INSTRUCTIONS,
    SETTING_KEYS,
    SETTINGS,
    SHEETS,
    WORKBOOK_FORMAT,
    sheet_names,
)
from exchange.workbook.problems import ImportProblem, ImportProblems
from exchange.workbook.reader import MAX_BYTES, MAX_UNCOMPRESSED, read_workbook, read_workbook_patch
from exchange.workbook.writer import build_workbook

__all__ = [
    "CHOICES",
    "COLUMNS",
    "EDITABLE",
    "INSTRUCTIONS",
    "MAX_BYTES",
    "MAX_UNCOMPRESSED",
    "SETTINGS",
    "SETTING_KEYS",
    "SHEETS",
    "WORKBOOK_FORMAT",
    "ImportProblem",
    "ImportProblems",
    "build_workbook",
    "read_workbook",
    "read_workbook_patch",
    "sheet_names",
]
