"""`iotready users ...` and `iotready --as EMAIL`: the command line obeys the same matrix as the app."""

from __future__ import annotations

import csv
import io
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
    events = [row[3] for row in list(csv.reader(io.StringIO(trail.read_text(encoding="utf-8"))))[1:]]
    assert events == ["invite", "grant", "grant", "revoke"]


def _refused_sign_in(email: str) -> None:
    from sqlmodel import Session

    from assessment import users
    from assessment.db import connect, database_url

    with Session(connect(database_url())) as s, pytest.raises(users.SignInRefused):
        users.sign_in(s, subject="stranger", email=email, email_verified=True)


def test_the_audit_csv_defuses_a_formula_typed_as_a_refused_sign_in_email(monkeypatch, capsys, tmp_path: Path) -> None:
    run(monkeypatch, capsys, "users", "invite", "admin@itu.example", "--role", "admin")
    _refused_sign_in("=cmd|' /C calc'!A0@evil.example")
    trail = tmp_path / "audit.csv"
    assert run(monkeypatch, capsys, "users", "audit", "-o", str(trail))[0] == 0
    rows = list(csv.reader(io.StringIO(trail.read_text(encoding="utf-8"))))
    refused = next(r for r in rows if r[3] == "sign_in_refused")
    assert refused[2] == "'=cmd|' /C calc'!A0@evil.example"  # the "by" cell: text, never a formula
    for cell in (c for r in rows for c in r):
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_a_report_of_a_stored_assessment_is_audited_as_an_export(monkeypatch, capsys, tmp_path: Path) -> None:
    from sqlmodel import Session

    from assessment import audit, service
    from assessment.db import connect, database_url

    run(monkeypatch, capsys, "users", "invite", "fp@ken.example", "--role", "focal_point", "--country", "KEN")
    assert run(monkeypatch, capsys, "import", _doc(tmp_path, "KEN"), "-q", MINI)[0] == 0
    with Session(connect(database_url())) as s:
        assessment_id = service.list_assessments(s)[0].id
    code, _, err = run(monkeypatch, capsys, "--as", "fp@ken.example", "report", "--assessment", assessment_id,
                       "-o", str(tmp_path / "ken.pdf"), "-q", MINI)
    assert code == 0, err
    with Session(connect(database_url())) as s:
        [event] = audit.events(s, event="export")
    assert (event.by, event.country, event.assessment_id) == ("fp@ken.example", "KEN", assessment_id)
    assert (event.detail["what"], event.detail["source"], event.detail["cycles"]) == ("pdf", "cli_report", [2025])


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


def _submitted_ken(monkeypatch, capsys, tmp_path: Path) -> str:
    path = tmp_path / "ken-submitted.json"
    path.write_text(document(Q, {"v6_users": Answer(value=20.0)}, country="KEN", status="submitted")
                    .model_dump_json(), encoding="utf-8")
    assert run(monkeypatch, capsys, "import", str(path), "-q", MINI)[0] == 0
    _, out, _ = run(monkeypatch, capsys, "assessments", "list")
    [aid] = [w for w in out.split() if len(w) == 32]
    return aid


def test_a_focal_point_is_told_in_words_that_a_handed_in_assessment_is_not_theirs_to_delete(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    run(monkeypatch, capsys, "users", "invite", "fp@ken.example", "--role", "focal_point", "--country", "KEN")
    aid = _submitted_ken(monkeypatch, capsys, tmp_path)
    code, _, err = run(monkeypatch, capsys, "--as", "fp@ken.example", "assessments", "delete", aid, "--yes",
                       "--reason", "start again", "--lang", "fr")
    assert code == 2 and "seul un administrateur peut donc la supprimer" in " ".join(err.split())
    assert aid in run(monkeypatch, capsys, "assessments", "list")[1]


def test_the_administrator_deletes_a_handed_in_assessment_from_the_command_line_only_with_a_reason(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    aid = _submitted_ken(monkeypatch, capsys, tmp_path)
    code, _, err = run(monkeypatch, capsys, "assessments", "delete", aid, "--yes")
    assert code == 2 and "say why you delete it" in " ".join(err.split())
    assert aid in run(monkeypatch, capsys, "assessments", "list")[1]
    code, out, _ = run(monkeypatch, capsys, "assessments", "delete", aid, "--yes", "--reason", "a duplicate")
    assert code == 0 and "deleted" in out
    trail = tmp_path / "audit.csv"
    run(monkeypatch, capsys, "users", "audit", "-o", str(trail))
    assert "a duplicate" in trail.read_text(encoding="utf-8")

# Issue 19, point 7: what users list/audit echo from stored e-mails is escaped, never obeyed by the terminal.
HOSTILE = "fp\x1b]0;owned\x07\x1b[2J@ken.example"


def _stored_raw(tmp_path: Path) -> None:
    """An address stored before the control-character check (or sent by a provider at a refused sign-in)."""
    from sqlmodel import Session

    from assessment import audit, db
    from assessment.account_models import User

    with Session(db.connect()) as s:
        s.add(User(email=HOSTILE, name="[bold]Boss[/bold]\x1b[5m", invited_by="cli"))
        audit.record(s, actor=HOSTILE, event="sign_in_refused", detail={"email": HOSTILE, "verified": "false"})
        s.commit()


def test_users_list_prints_a_stored_address_with_its_escapes_visible(monkeypatch, capsys, tmp_path: Path) -> None:
    _stored_raw(tmp_path)
    code, out, _ = run(monkeypatch, capsys, "users", "list")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "fp\\x1b]0;owned\\x07\\x1b[2J@ken.example" in out


def test_users_audit_prints_a_refused_sign_in_address_with_its_escapes_visible(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    _stored_raw(tmp_path)
    code, out, _ = run(monkeypatch, capsys, "users", "audit")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "fp\\x1b]0;owned\\x07\\x1b[2J@ken.example" in out


def test_users_invite_refuses_an_address_with_control_characters(monkeypatch, capsys) -> None:
    code, out, err = run(monkeypatch, capsys, "users", "invite", HOSTILE, "--role", "viewer", "--country", "KEN")
    assert code == 2 and "control or invisible characters" in err and "\x1b" not in out + err


# Issue 19, point 10: --as is audited as coming from the command line, by which system user.
def test_actions_as_another_user_are_audited_as_command_line_with_the_system_user(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    from iotready.users_cli import system_user

    run(monkeypatch, capsys, "users", "invite", "fp@ken.example", "--role", "focal_point", "--country", "KEN")
    code, _, _ = run(monkeypatch, capsys, "--as", "fp@ken.example", "import", _doc(tmp_path, "KEN"), "-q", MINI)
    assert code == 0
    trail = tmp_path / "audit.csv"
    run(monkeypatch, capsys, "users", "audit", "-o", str(trail))
    [imported] = [row for row in csv.DictReader(io.StringIO(trail.read_text(encoding="utf-8")))
                  if row["event"] == "import"]
    assert imported["by"] == "fp@ken.example"
    assert json.loads(imported["detail"])["via"] == "cli"
    assert json.loads(imported["detail"])["system_user"] == system_user()
    code, out, _ = run(monkeypatch, capsys, "users", "audit")
    assert f"through the command line (--as), run by system user {system_user()}" in " ".join(out.split())


def test_demo_load_as_a_focal_point_is_refused_and_writes_nothing(monkeypatch, capsys) -> None:
    run(monkeypatch, capsys, "users", "invite", "fp@ken.example", "--role", "focal_point", "--country", "KEN")
    code, _, err = run(monkeypatch, capsys, "--as", "fp@ken.example", "demo", "load", "-q", MINI)
    assert code == 2 and "do not have access" in err
    code, out, _ = run(monkeypatch, capsys, "assessments", "list")
    assert "KEN" not in out and "Kenya" not in out


def test_demo_load_as_an_administrator_is_recorded_under_their_name(monkeypatch, capsys, tmp_path: Path) -> None:
    run(monkeypatch, capsys, "users", "invite", "boss@itu.example", "--role", "admin")
    code, _, _ = run(monkeypatch, capsys, "--as", "boss@itu.example", "demo", "load", "-q", MINI)
    assert code == 0
    trail = tmp_path / "audit.csv"
    run(monkeypatch, capsys, "users", "audit", "-o", str(trail))
    imports = [row["by"] for row in csv.DictReader(io.StringIO(trail.read_text(encoding="utf-8")))
               if row["event"] == "import"]
    assert imports and set(imports) == {"boss@itu.example"}


def test_a_full_disk_on_sqlite_says_the_disk_is_full_in_french(monkeypatch, capsys, tmp_path: Path) -> None:
    """SQLite's real SQLITE_FULL (max_page_count at the database's size): nothing written, and told why."""
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    assert run(monkeypatch, capsys, "assessments", "list")[0] == 0  # the database exists, migrated

    def full(dbapi_connection, _record, _proxy) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Pool, "checkout", full)
    try:
        big = {f"{q}": Answer(value=20.0, comment="Vérifié. " * 900) for q in ("v6_users",)}
        path = tmp_path / "KEN.json"
        path.write_text(document(Q, big, country="KEN").model_dump_json(), encoding="utf-8")
        code, _, err = run(monkeypatch, capsys, "import", str(path), "-q", MINI, "--lang", "fr")
    finally:
        event.remove(Pool, "checkout", full)
    assert code == 1
    assert "Rien n'a été écrit" in err and "le disque est plein" in err and "référence" not in err
    assert "KEN" not in run(monkeypatch, capsys, "assessments", "list")[1]
