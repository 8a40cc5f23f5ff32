"""Issue 20, point 6, on the command line: ``iotready report --assessment`` of a published assessment printed
"Statut : soumis"; it prints the workflow state, who validated it and when, and the publication date."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from assessment import db, service
from assessment.access import Actor, Grant
from questionnaires import load_questionnaire
from reports.profile import format_date
from tests.iotready.test_cli import run
from tests.reports.helpers import flat, pages_text

MINI = "tests/fixtures/mini"


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("IOTREADY_DATA_DIR", str(tmp_path / "data"))


def test_report_of_a_published_assessment_says_published_and_validated_by_whom(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    adviser = Actor(name="adv@itu.example", grants=(Grant("adviser"),))
    with Session(db.connect()) as s:
        ken = service.get_or_create_assessment(s, country="KEN", cycle=2026,
                                               questionnaire=load_questionnaire(MINI)).id
        service.submit_assessment(s, assessment_id=ken)
        for action in ("review", "validate", "publish"):
            service.transition(s, assessment_id=ken, action=action, actor=adviser)
        published = service.workflow_stamp(s, assessment_id=ken).published_at
    assert published is not None
    pdf = tmp_path / "ken.pdf"
    code, _, _ = run(monkeypatch, capsys, "report", "--assessment", ken, "-o", str(pdf), "-q", MINI, "--lang", "fr")
    assert code == 0
    cover = flat(pages_text(pdf.read_bytes())[0]).replace("\u202f", " ")
    day = format_date(published.date(), "fr")
    assert f"Statut : publié le {day} ; validé par adv@itu.example le {day}" in cover, cover


def test_report_all_says_published_and_validated_by_whom_in_every_profile(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``iotready report --all`` printed only draft or submitted (the document's two states) in each profile."""
    adviser = Actor(name="adv@itu.example", grants=(Grant("adviser"),))
    with Session(db.connect()) as s:
        q = load_questionnaire(MINI)
        ken = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=q).id
        rwa = service.get_or_create_assessment(s, country="RWA", cycle=2026, questionnaire=q).id
        for aid in (ken, rwa):
            service.submit_assessment(s, assessment_id=aid)
        for action in ("review", "validate", "publish"):
            service.transition(s, assessment_id=ken, action=action, actor=adviser)
        service.transition(s, assessment_id=rwa, action="review", actor=adviser)
        published = service.workflow_stamp(s, assessment_id=ken).published_at
    assert published is not None
    out = tmp_path / "profiles"
    code, _, _ = run(monkeypatch, capsys, "report", "--all", "--cycle", "2026", "-o", str(out), "-q", MINI,
                     "--lang", "fr", "--workers", "1")
    assert code == 0
    covers = {p.name: flat(pages_text(p.read_bytes())[0]).replace("\u202f", " ") for p in out.glob("*.pdf")}
    day = format_date(published.date(), "fr")
    (kenya,) = [c for name, c in covers.items() if "KEN" in name.upper() or "Kenya" in c]
    assert f"Statut : publié le {day} ; validé par adv@itu.example le {day}" in kenya, kenya
    (rwanda,) = [c for c in covers.values() if "Rwanda" in c]
    assert "Statut : en cours d'examen par le conseiller" in rwanda.replace("’", "'"), rwanda
