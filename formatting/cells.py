"""Text bound for a spreadsheet cell, made inert: one defusing for every CSV and workbook the tool writes.

Spreadsheet programs run a cell that starts with a formula trigger (CSV/formula injection). The answers
exports (:mod:`exchange.tables`) and the audit trail's CSV (:mod:`assessment.audit`, whose cells hold
e-mail addresses typed by strangers at sign-in) share this one function, so no export defuses less.
"""

from __future__ import annotations

import re

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


def defuse(value: object) -> object:
    """Quote-prefix every formula trigger of user text that a spreadsheet could read as a cell's start."""
    if not isinstance(value, str):
        return value
    value = visible(value)  # a bidi override would reorder the cell, a zero-width space hide a trigger
    value = _TRIGGER_AFTER_SPLIT.sub(r"\1\2'", value)
    return "'" + value if value.startswith(_FORMULA_START) else value
