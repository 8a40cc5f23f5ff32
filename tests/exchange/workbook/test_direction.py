"""The workbook's sheets run right to left for a right-to-left language (issue 24, point 2), and read back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from answers.document import Answer
from exchange import build_workbook, read_workbook
from tests.compare.conftest import MINI, make_doc


def _directions(data: bytes) -> dict[str, bool]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: bool(ws.sheet_view.rightToLeft) for ws in wb.worksheets}


def test_every_sheet_of_an_arabic_workbook_runs_right_to_left() -> None:
    directions = _directions(build_workbook(MINI, "ar", country="EGY", cycle=2026))
    assert len(directions) >= 4  # settings, instructions, a sheet per pillar, choices
    assert all(directions.values()), directions


@pytest.mark.parametrize("lang", ["en", "fr", "zh", "ru"])
def test_left_to_right_languages_keep_their_sheets_left_to_right(lang: str) -> None:
    directions = _directions(build_workbook(MINI, lang, country="KEN", cycle=2026))
    assert not any(directions.values()), directions


def test_a_right_to_left_workbook_reads_back_the_same_answers() -> None:
    evidence = "ITU-T Y.4904 سياسة"  # Latin inside Arabic, as a regulator would cite a recommendation
    doc = make_doc(MINI, "EGY", 2026, answers={"pol_framework": Answer(value="developing", evidence=evidence)})
    data = build_workbook(MINI, "ar", doc)
    assert all(_directions(data).values())
    assert read_workbook(MINI, data).answers["pol_framework"].evidence == evidence
