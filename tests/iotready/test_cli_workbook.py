"""`iotready workbook build|read`: the offline workbook from the command line."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from answers.document import parse_answers
from tests.compare.conftest import MINI, make_doc
from tests.iotready.test_cli import run
from tests.localization import OTHER_LANGUAGES


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


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
@pytest.mark.parametrize("command", [("workbook", "read"), ("import",)])
def test_workbook_problems_name_the_question_by_number_sheet_and_row_in_the_readers_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: tuple[str, ...],
    lang: str,
) -> None:
    """Issue 12.3: a workbook's reader edits cells, not ids; the line says where, in the reader's language."""
    from exchange import build_workbook
    from questionnaires.messages import t
    from questionnaires.references import question_number
    from tests.exchange.helpers import edit, set_cell
    from tests.localization import code_like_tokens, english_leaks, wrong_decimals

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    q = MINI
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edit(build_workbook(q, lang, country="KEN", cycle=2026), set_cell(q, "v6_users", "answer", "x")))
    code, _, err = run(monkeypatch, capsys, *command, str(bad), "-q", "tests/fixtures/mini", "--lang", lang)
    assert code == 2
    flat = re.sub(r"[ \n]+", " ", err)  # rich wraps lines; U+202F stays
    said = flat.replace(str(bad), "")  # the file's own path is the reader's
    assert t("problem.at_question", lang, number=question_number(q, "v6_users")) in said
    assert "v6_users" not in said and code_like_tokens(said, q) == []
    assert wrong_decimals(said, q, lang) == [] and english_leaks(said, lang) == []
    if lang == "fr":
        assert f"question {question_number(q, 'v6_users')}\u202f: Réponse\u202f: doit être un nombre" in flat
        assert re.search(r"feuille [^,]+, ligne \d+, question", flat) and "ne peut pas être importé" in flat
