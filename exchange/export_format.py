"""The JSON export's format, as a reader needs it: its name and its answers documents.

Apart from :mod:`exchange.export` (which writes exports with pandas), so that reading a file (``iotready
import``, an upload) loads neither pandas nor the comparison package: half a second of a command's start.
"""

from __future__ import annotations

from typing import Any

from answers.document import AnswersDocument, parse_answers
from answers.jsonread import load_json

EXPORT_FORMAT = "iotready-export"


def read_export_json(data: bytes | str) -> list[AnswersDocument]:
    """The answers documents of a JSON export (scores are recomputed on import, never trusted).

    Read through :func:`answers.jsonread.load_json` (size, entries, depth, duplicate keys):
    :class:`~answers.jsonread.JsonRefused`, a ``ValueError``, says which limit.
    """
    return export_documents_of(load_json(data))


def export_documents_of(payload: Any) -> list[AnswersDocument]:
    """The answers documents of an already parsed JSON export; ``ValueError`` if it is not one."""
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise ValueError(f"not an {EXPORT_FORMAT} file")
    items = payload.get("assessments")
    if not isinstance(items, list) or not all(isinstance(i, dict) and "answers" in i for i in items):
        raise ValueError("`assessments` must be a list of {answers, scores} objects")
    return [parse_answers(item["answers"]) for item in items]
