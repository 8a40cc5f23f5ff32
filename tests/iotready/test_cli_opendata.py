"""`iotready opendata` (issue 23, point 6): published results only, a package frictionless accepts, audited."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from answers.document import Answer
from assessment import audit, db, service
from tests.iotready.test_cli import run
from tests.strategies import document

MINI = "tests/fixtures/mini"


def _stored(url: str) -> None:
    """Kenya published, Senegal validated, Rwanda submitted, Ghana a draft, and an illustrative Brazil published."""
    from questionnaires import load_questionnaire

    q = load_questionnaire(MINI)
    engine = db.connect(url)
    states = {"KEN": "published", "SEN": "validated", "RWA": "submitted", "GHA": "draft"}
    docs = [document(q, {"v6_users": Answer(value=40.0), "pol_framework": Answer(value="adopted")}, country=c,
                     status="submitted" if s != "draft" else "draft") for c, s in states.items()]
    docs.append(document(q, {"v6_users": Answer(value=90.0)}, country="BRA", status="submitted", illustrative=True))
    with Session(engine) as s:
        service.import_documents(s, docs=docs, questionnaire=q)
    with engine.begin() as conn:  # the workflow's end states, set directly: the review steps are tested elsewhere
        for country, state in states.items():
            conn.execute(text("UPDATE assessment SET status = :s WHERE country = :c"), {"s": state, "c": country})
        conn.execute(text("UPDATE assessment SET status = 'published' WHERE country = 'BRA'"))
    engine.dispose()


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    _stored(url)
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, err = run(monkeypatch, capsys, "opendata", "-o", str(tmp_path / "open"), "-q", MINI)
    assert code == 0, err
    assert "1 published assessment" in out
    return tmp_path / "open"


def test_opendata_writes_a_data_package_that_frictionless_validates(package: Path) -> None:
    from frictionless import validate

    report = validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_opendata_holds_published_real_assessments_only(package: Path) -> None:
    rows = list(csv.DictReader((package / "scores.csv").open(encoding="utf-8")))
    assert [(r["country"], r["cycle"]) for r in rows] == [("KEN", "2025")]  # not validated, submitted, draft, demo
    assert rows[0]["country_name_fr"] == "Kenya" and float(rows[0]["overall_score"]) > 0


def test_opendata_says_which_questionnaire_and_licence(package: Path) -> None:
    from questionnaires import load_questionnaire

    q = load_questionnaire(MINI)
    meta = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert meta["questionnaire"] == {"id": q.id, "version": q.version, "hash": q.content_hash}
    assert meta["licenses"][0]["name"] == "CC-BY-4.0" and meta["sources"]


def test_opendata_codebook_names_pillars_and_tiers_in_every_shipped_language(package: Path) -> None:
    from questionnaires.messages import languages

    for name in ("pillars.csv", "tiers.csv"):
        header = next(csv.reader((package / name).open(encoding="utf-8")))
        assert {f"name_{lang}" for lang in languages()} <= set(header)
    tiers = list(csv.DictReader((package / "tiers.csv").open(encoding="utf-8")))
    assert tiers[0]["name_fr"] and tiers[-1]["max_score"] == "100"


def test_opendata_is_audited_as_an_export(package: Path, tmp_path: Path) -> None:
    engine = db.connect(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with Session(engine) as s:
        logged = audit.events(s, event="export")
    engine.dispose()
    assert [(e.detail["what"], e.detail["countries"], e.detail["count"]) for e in logged] == [
        ("opendata", ["KEN"], 1)]


def test_opendata_holds_only_what_the_acting_user_may_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Senegal's focal point does not get Kenya's published scores: the export service filters by who asks."""
    from assessment import users

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    _stored(url)
    engine = db.connect(url)
    with Session(engine) as s:
        users.invite(s, email="fp@example.sn", role="focal_point", country="SEN")
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, err = run(monkeypatch, capsys, "--as", "fp@example.sn", "opendata", "-o", str(tmp_path / "o"),
                         "-q", MINI)
    assert code == 0, err
    assert "0 published assessments" in out
    assert len((tmp_path / "o" / "scores.csv").read_text(encoding="utf-8").splitlines()) == 1  # the header only
