"""`iotready users ...` and `iotready --as EMAIL`: the command line obeys the same matrix as the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answers.document import Answer
from questionnaires import load_questionnaire
from tests.iotready.test_cli import run
from tests.strategies import document

MINI = "tests/fixtures/mini"
Q = load_questionnaire(MINI)


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("IOTREADY_AS", raising=False)
    monkeypatch.setenv("IOTREADY_DATA_DIR", str(tmp_path / "data"))


def _doc(tmp_path: Path, country: str) -> str:
    path = tmp_path / f"{country}.json"
    path.write_text(document(Q, {"v6_users": Answer(value=20.0)}, country=country).model_dump_json(), encoding="utf-8")
    return str(path)


def test_invite_list_grant_revoke_and_audit(monkeypatch, capsys, tmp_path: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, "users", "invite", "fp@ken.example", "--role", "focal_point",
                       "--country", "KEN")
    assert code == 0 and "invited fp@ken.example: Focal point · Kenya" in out and "Subject:" in out
    code, out, _ = run(monkeypatch, capsys, "users", "grant", "fp@ken.example", "--role", "viewer",
                       "--country", "SEN")
    assert code == 0 and "2 active roles" in out
    code, out, _ = run(monkeypatch, capsys, "users", "list")
    assert code == 0 and "fp@ken.example" in out and "not yet" in out
    code, out, _ = run(monkeypatch, capsys, "users", "revoke", "fp@ken.example", "--role", "viewer")
    assert code == 0 and "revoked 1 role of" in out
    trail = tmp_path / "audit.csv"
    code, _, _ = run(monkeypatch, capsys, "users", "audit", "-o", str(trail))
    assert code == 0
    events = [line.split(",")[3] for line in trail.read_text(encoding="utf-8").splitlines()[1:]]
    assert events == ["invite", "grant", "grant", "revoke"]


def test_acting_as_a_focal_point_imports_its_country_only(monkeypatch, capsys, tmp_path: Path) -> None:
    run(monkeypatch, capsys, "users", "invite", "fp@ken.example", "--role", "focal_point", "--country", "KEN")
    code, out, _ = run(monkeypatch, capsys, "--as", "fp@ken.example", "import", _doc(tmp_path, "KEN"), "-q", MINI)
    assert code == 0 and "created" in out
    code, _, err = run(monkeypatch, capsys, "--as", "fp@ken.example", "import", _doc(tmp_path, "SEN"), "-q", MINI)
    assert code == 2 and "you may not import for Senegal" in err
    # As the local administrator both are fine; the focal point's export holds only Kenya.
    assert run(monkeypatch, capsys, "import", _doc(tmp_path, "SEN"), "-q", MINI)[0] == 0
    target = tmp_path / "out.json"
    code, _, _ = run(monkeypatch, capsys, "--as", "fp@ken.example", "export", "-o", str(target), "-q", MINI,
                     "--include-drafts")
    assert code == 0
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert {a["answers"]["country"] for a in exported["assessments"]} == {"KEN"}
    code, _, err = run(monkeypatch, capsys, "--as", "fp@ken.example", "users", "audit")
    assert code == 2 and "do not have access" in err


def test_an_unknown_acting_user_is_refused(monkeypatch, capsys, tmp_path: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "--as", "nobody@example.org", "import", _doc(tmp_path, "KEN"), "-q", MINI)
    assert code == 2 and "invite them first" in err


def test_a_report_of_another_country_is_no_assessment_to_that_user(monkeypatch, capsys, tmp_path: Path) -> None:
    run(monkeypatch, capsys, "users", "invite", "fp@fra.example", "--role", "focal_point", "--country", "FRA")
    code, out, _ = run(monkeypatch, capsys, "import", _doc(tmp_path, "KEN"), "-q", MINI)
    assessment_id = out.split("assessment ")[1].split()[0]
    code, _, err = run(monkeypatch, capsys, "--as", "fp@fra.example", "report", "--assessment", assessment_id,
                       "-o", str(tmp_path / "ken.pdf"), "-q", MINI)
    assert code == 2 and "Unknown assessment" in err and not (tmp_path / "ken.pdf").exists()


def _return_with_queries(country: str) -> None:
    """What the adviser does in the app: review the submission and return it (no command for it)."""
    from sqlmodel import Session

    from assessment import service
    from assessment.db import connect

    with Session(connect()) as s:
        [row] = [r for r in service.list_assessments(s) if r.country == country]
        for action in ("submit", "review", "return"):
            service.transition(s, assessment_id=row.id, action=action)


def test_a_returned_assessment_takes_a_file_from_the_focal_point_and_a_contributor_of_the_pillar(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    run(monkeypatch, capsys, "users", "invite", "fp@ken.example", "--role", "focal_point", "--country", "KEN")
    run(monkeypatch, capsys, "users", "invite", "c@ken.example", "--role", "contributor", "--country", "KEN",
        "--pillar", "policy_regulation")
    assert run(monkeypatch, capsys, "import", _doc(tmp_path, "KEN"), "-q", MINI)[0] == 0
    _return_with_queries("KEN")
    fixed = tmp_path / "fixed.json"
    fixed.write_text(document(Q, {"v6_users": Answer(value=25.0)}, country="KEN").model_dump_json(), encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "--as", "c@ken.example", "import", str(fixed), "-q", MINI, "--yes")
    assert code == 2 and "pillar “IPv6 adoption”" in err and "nothing was imported" in err, err
    code, out, _ = run(monkeypatch, capsys, "--as", "fp@ken.example", "import", str(fixed), "-q", MINI, "--yes")
    assert code == 0 and "updated, 1 change in 1 question\n" in out, out
