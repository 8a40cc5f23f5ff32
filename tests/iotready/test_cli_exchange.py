"""`iotready import` reads what `iotready export -f json` writes (issue 10, point 10), on every database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from answers.document import Answer
from assessment import db, service
from tests.iotready.test_cli import run
from tests.strategies import document

MINI = "tests/fixtures/mini"


def _fill(url: str) -> None:
    """Three assessments through the services: submitted with targets, a draft, and one with every kind of answer."""
    from questionnaires import load_questionnaire

    q = load_questionnaire(MINI)
    engine = db.connect(url)
    docs = [
        document(q, {"pol_framework": Answer(value="adopted", evidence="Décret 7/2024 ; art. 3",
                                             comment="ligne 1\nligne 2"),
                     "v6_users": Answer(value=42.5)}, country="SEN", status="submitted",
                 targets={"overall": "advancing", "ipv6": 70.0}),
        document(q, {"pol_elements": Answer(value=[]), "v6_users": Answer(dont_know=True)}, country="KEN"),
        document(q, {"pol_city": Answer(not_applicable=True, justification="No city programme yet")}, country="FRA",
                 cycle=2024, status="submitted"),
    ]
    with Session(engine) as s:
        service.import_documents(s, docs=docs, questionnaire=q)
    engine.dispose()


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_data(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    _fill(source)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    monkeypatch.setenv("DATABASE_URL", source)
    code, out, err = run(monkeypatch, capsys, "export", "-f", "json", "--include-drafts", "-o", str(first), "-q", MINI)
    assert code == 0, err
    assert len(json.loads(first.read_text(encoding="utf-8"))["assessments"]) == 3

    monkeypatch.setenv("DATABASE_URL", db_url)  # empty: SQLite, and PostgreSQL when configured
    code, out, err = run(monkeypatch, capsys, "import", str(first), "-q", MINI)
    assert code == 0, err
    assert out.count("created") == 3
    code, out, err = run(monkeypatch, capsys, "import", str(first), "-q", MINI)
    assert code == 0 and out.count("would change nothing") == 3  # importing the same export again changes nothing
    code, out, err = run(monkeypatch, capsys, "export", "-f", "json", "--include-drafts", "-o", str(second), "-q", MINI)
    assert code == 0, err
    assert second.read_bytes() == first.read_bytes()
