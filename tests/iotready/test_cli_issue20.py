"""Issue 20, points 9 and 19 (issue 23.4): the workbook pre-filled from what is stored or exported, French
messages instead of pydantic's English, French marks never wrapped alone, ids printed whole."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from answers.document import parse_answers
from iotready.cli import main
from tests.compare.conftest import MINI, make_doc

MINI_DIR = "tests/fixtures/mini"
NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("IOTREADY_AS", raising=False)
    monkeypatch.setenv("IOTREADY_DATA_DIR", str(tmp_path / "data"))


def run_at(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], columns: int,
           *args: str) -> tuple[int, str, str]:
    """The CLI in a terminal ``columns`` wide."""
    monkeypatch.setattr("sys.argv", ["iotready", *args])
    monkeypatch.setenv("COLUMNS", str(columns))
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _export(tmp_path: Path, *docs: object) -> Path:
    from exchange.export import export_json

    path = tmp_path / "export.json"
    path.write_bytes(export_json(MINI, list(docs)))  # type: ignore[arg-type]
    return path


def _stored_id(monkeypatch, capsys, tmp_path: Path) -> tuple[str, object]:
    doc = make_doc(MINI, "KEN", 2025, level=0.5)
    source = tmp_path / "ken.json"
    source.write_text(doc.model_dump_json(), encoding="utf-8")
    code, out, err = run_at(monkeypatch, capsys, 200, "import", str(source), "-q", MINI_DIR, "--yes")
    assert code == 0, out + err
    code, out, _ = run_at(monkeypatch, capsys, 200, "assessments", "list")
    [aid] = re.findall(r"\b[0-9a-f]{32}\b", out)
    return aid, doc


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_workbook_build_from_an_export_of_one_assessment_prefills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    doc = make_doc(MINI, "KEN", 2025, level=0.5)
    book, back = tmp_path / "ken.xlsx", tmp_path / "back.json"
    code, _, err = run_at(monkeypatch, capsys, 200, "workbook", "build", "-q", MINI_DIR, "--from",
                            str(_export(tmp_path, doc)), "-o", str(book), "--lang", lang)
    assert code == 0, err
    code, _, err = run_at(monkeypatch, capsys, 200, "workbook", "read", str(book), "-q", MINI_DIR, "-o", str(back))
    assert code == 0, err
    assert parse_answers(back.read_text(encoding="utf-8")) == doc


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "it is an export holding 2 assessments; a workbook is pre-filled from one"),
    ("fr", f"c'est un export qui contient 2 évaluations{NNBSP}; un classeur se pré-remplit à partir d'une seule"),
])
def test_workbook_build_from_an_export_of_two_assessments_says_to_pick_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    path = _export(tmp_path, make_doc(MINI, "KEN", 2025, level=0.5), make_doc(MINI, "SEN", 2025, level=0.5))
    code, _, err = run_at(monkeypatch, capsys, 300, "workbook", "build", "-q", MINI_DIR, "--from", str(path),
                          "-o", str(tmp_path / "x.xlsx"), "--lang", lang)
    assert code == 2 and expected in err and "--assessment ID" in err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(("lang", "expected", "english"), [
    ("en", ["questionnaire_id: this field is required", "surprise: this field is not part of an answers document",
            "format: must be `iotready-answers`"], []),
    ("fr", [f"questionnaire_id{NNBSP}: ce champ est obligatoire",
            f"surprise{NNBSP}: ce champ ne fait pas partie d'un document de réponses",
            f"format{NNBSP}: doit valoir `iotready-answers`"],
     ["Field required", "Extra inputs", "Input should be"]),
])
def test_a_file_that_is_no_answers_document_is_explained_in_the_readers_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str,
    expected: list[str], english: list[str]
) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"format": "something", "surprise": 1}), encoding="utf-8")
    code, _, err = run_at(monkeypatch, capsys, 300, "workbook", "build", "-q", MINI_DIR, "--from", str(path),
                          "-o", str(tmp_path / "x.xlsx"), "--lang", lang)
    assert code == 2
    for line in expected:
        assert line in err
    for word in english:
        assert word not in err


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_workbook_build_from_a_stored_assessment_prefills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    aid, doc = _stored_id(monkeypatch, capsys, tmp_path)
    book, back = tmp_path / "stored.xlsx", tmp_path / "back.json"
    code, _, err = run_at(monkeypatch, capsys, 200, "workbook", "build", "-q", MINI_DIR, "--assessment", aid,
                          "-o", str(book), "--lang", lang)
    assert code == 0, err
    code, _, err = run_at(monkeypatch, capsys, 200, "workbook", "read", str(book), "-q", MINI_DIR, "-o", str(back))
    assert code == 0, err
    assert parse_answers(back.read_text(encoding="utf-8")).answers == doc.answers  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "expected"), [("en", "no assessment with id nope"),
                                                ("fr", "aucune évaluation d'identifiant nope")])
def test_workbook_build_from_an_unknown_assessment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    code, _, err = run_at(monkeypatch, capsys, 200, "workbook", "build", "-q", MINI_DIR, "--assessment", "nope",
                          "-o", str(tmp_path / "x.xlsx"), "--lang", lang)
    assert code == 2 and expected in err and "Traceback" not in err


def test_a_french_colon_never_starts_a_wrapped_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rich wraps at whitespace and took U+202F for one: 'valide' ended a line and ':' began the next."""
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"format": "something"}), encoding="utf-8")
    seen = []
    for columns in range(30, 120):
        code, _, err = run_at(monkeypatch, capsys, columns, "workbook", "build", "-q", MINI_DIR, "--from", str(path),
                              "-o", str(tmp_path / "x.xlsx"), "--lang", "fr")
        assert code == 2
        seen += [(columns, line) for line in err.splitlines() if line.strip()[:1] in (":", ";", "?", "!")]
        seen += [(columns, line) for line in err.splitlines() if line.endswith(NNBSP)]
    assert seen == []


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("columns", [60, 80, 200])
def test_assessments_list_prints_every_id_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, columns: int
) -> None:
    aid, _ = _stored_id(monkeypatch, capsys, tmp_path)
    code, out, _ = run_at(monkeypatch, capsys, columns, "assessments", "list", "--lang", lang)
    assert code == 0 and aid in out
    assert ("Kenya" in out) and "2025" in out


def test_secrets_file_is_never_committed() -> None:
    import subprocess

    ignored = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], check=False)
    assert ignored.returncode == 0


@pytest.mark.parametrize(("lang", "expected", "not_said"), [
    ("en", "you may not import for Kenya", "reopen"),
    ("fr", "vous ne pouvez pas importer de données pour ce pays (Kenya)", "rouvr"),
])
def test_another_countrys_focal_point_may_not_import_for_kenya(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, expected: str,
    not_said: str
) -> None:
    """Issue 20.10: the refusal names the country, not the workflow of an assessment they cannot see."""
    _stored_id(monkeypatch, capsys, tmp_path)
    assert run_at(monkeypatch, capsys, 200, "users", "invite", "fp@rwa.example", "--role", "focal_point",
                  "--country", "RWA")[0] == 0
    source = tmp_path / "ken.json"
    code, _, err = run_at(monkeypatch, capsys, 300, "--as", "fp@rwa.example", "import", str(source), "-q", MINI_DIR,
                          "--lang", lang)
    assert code == 2 and expected in err and not_said not in err.lower()
