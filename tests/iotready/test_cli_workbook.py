"""`iotready workbook build|read`: the offline workbook from the command line."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from answers.document import parse_answers
from tests.compare.conftest import MINI, make_doc
from tests.iotready.test_cli import run


def test_build_then_read_gives_back_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = make_doc(MINI, "KEN", 2025, level=0.5)
    source = tmp_path / "ken.json"
    source.write_text(doc.model_dump_json(), encoding="utf-8")
    book, back = tmp_path / "ken.xlsx", tmp_path / "back.json"
    code, _, _ = run(monkeypatch, capsys, "workbook", "build", "-q", "tests/fixtures/mini", "--from", str(source),
                     "-o", str(book), "--lang", "fr")
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, "workbook", "read", str(book), "-q", "tests/fixtures/mini", "-o", str(back))
    assert code == 0, out
    assert parse_answers(back.read_text(encoding="utf-8")) == doc


def test_build_blank_for_a_country(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "blank.xlsx"
    code, _, _ = run(monkeypatch, capsys, "workbook", "build", "-q", "tests/fixtures/mini", "--country", "sen",
                     "--cycle", "2026", "-o", str(book))
    assert code == 0
    ws = openpyxl.load_workbook(book)["settings"]
    assert [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)][5:7] == ["SEN", 2026]


def test_read_lists_problems_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, _, err = run(monkeypatch, capsys, "workbook", "read", str(bad), "-q", "tests/fixtures/mini")
    assert code == 2
    assert "not an Excel workbook" in err
