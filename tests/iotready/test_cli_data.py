"""CLI commands that use the database: demo load, import, export, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answers.document import Answer
from exchange.workbook import build_workbook
from questionnaires import load_questionnaire
from questionnaires.references import question_number
from refdata import country_name
from tests.iotready.test_cli import run
from tests.strategies import document

MINI = "tests/fixtures/mini"
Q = load_questionnaire(MINI)


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("IOTREADY_DATA_DIR", str(tmp_path / "data"))


def test_demo_load_is_idempotent(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "demo", "load", "-q", MINI)
    assert code == 0 and "80 assessments created" in out
    code, out, _ = run(monkeypatch, capsys, "demo", "load", "-q", MINI)
    assert code == 0 and "(0 assessments" in out


def test_import_json_then_export_it_back(monkeypatch, capsys, tmp_path: Path) -> None:
    doc = document(Q, {"v6_users": Answer(value=33.0)}, country="SEN", status="submitted")
    src = tmp_path / "sen.json"
    src.write_text(doc.model_dump_json(), encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "import", str(src), "-q", MINI)
    assert code == 0 and "Senegal 2025: assessment" in out and "created" in out
    code, out, _ = run(monkeypatch, capsys, "import", str(src), "-q", MINI)
    assert code == 0 and "would change nothing" in out
    dest = tmp_path / "out.json"
    code, _, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-f", "json", "-q", MINI)
    assert code == 0
    assert "SEN" in dest.read_text(encoding="utf-8")


def test_export_is_filtered_like_the_compare_page(monkeypatch, capsys, tmp_path: Path) -> None:
    for iso3 in ("RWA", "CHL", "HTI"):
        src = tmp_path / f"{iso3}.json"
        src.write_text(document(Q, {}, country=iso3, status="submitted").model_dump_json(), encoding="utf-8")
        run(monkeypatch, capsys, "import", str(src), "-q", MINI)
    dest = tmp_path / "ldc.json"
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "--group", "ldc", "-q", MINI)
    payload = json.loads(dest.read_text(encoding="utf-8"))
    assert code == 0 and "2 assessments" in out
    assert sorted(a["answers"]["country"] for a in payload["assessments"]) == ["HTI", "RWA"]
    assert payload["filters"]["group"] == "ldc"
    code, _, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "--country", "CHL", "-q", MINI)
    assert [a["answers"]["country"] for a in json.loads(dest.read_text(encoding="utf-8"))["assessments"]] == ["CHL"]


def test_export_refuses_an_unknown_group(monkeypatch, capsys, tmp_path: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "export", "-o", str(tmp_path / "x.json"), "--group", "Atlantis", "-q", MINI)
    assert code == 2 and "Unknown group 'Atlantis'" in err and "sids" in err


def test_import_of_a_broken_workbook_writes_nothing(monkeypatch, capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a spreadsheet")
    code, _, err = run(monkeypatch, capsys, "import", str(bad), "-q", MINI)
    assert code == 2 and "nothing was saved" in err
    dest = tmp_path / "out.json"
    run(monkeypatch, capsys, "export", "-o", str(dest), "-f", "json", "-q", MINI, "--include-drafts")
    assert '"SEN"' not in dest.read_text(encoding="utf-8")


def test_import_of_a_filled_workbook(monkeypatch, capsys, tmp_path: Path) -> None:
    doc = document(Q, {"pol_framework": Answer(value="adopted")}, country="FJI")
    path = tmp_path / "fji.xlsx"
    path.write_bytes(build_workbook(Q, "en", doc))
    code, out, _ = run(monkeypatch, capsys, "import", str(path), "-q", MINI)
    assert code == 0 and "Fiji 2025" in out


def test_report_from_a_file_writes_a_pdf(monkeypatch, capsys, tmp_path: Path) -> None:
    src = tmp_path / "ken.json"
    src.write_text(document(Q, {"v6_users": Answer(value=10.0)}).model_dump_json(), encoding="utf-8")
    pdf = tmp_path / "ken.pdf"
    code, _, _ = run(monkeypatch, capsys, "report", str(src), "-o", str(pdf), "-q", MINI, "--lang", "fr")
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")


def test_report_all_writes_one_pdf_per_assessment(monkeypatch, capsys, tmp_path: Path) -> None:
    run(monkeypatch, capsys, "demo", "load", "-q", MINI)
    folder = tmp_path / "pdfs"
    code, _, _ = run(monkeypatch, capsys, "report", "--all", "--cycle", "2025", "-o", str(folder), "-q", MINI,
                       "--workers", "1")
    assert code == 0
    assert len(list(folder.glob("*.pdf"))) == 40


def test_report_needs_exactly_one_source(monkeypatch, capsys) -> None:
    code, _, err = run(monkeypatch, capsys, "report", "-q", MINI)
    assert code == 2 and "give one of" in err


def test_unreachable_database_is_one_clear_message(monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://user:secret@127.0.0.1:1/none")
    code, _, err = run(monkeypatch, capsys, "demo", "load", "-q", MINI)
    assert code == 2 and "secret" not in err and "127.0.0.1:1" in err
    assert json.dumps(err)  # printable, no traceback
    assert "Traceback" not in err


def test_import_into_an_existing_assessment_shows_the_plan_and_needs_yes(monkeypatch, capsys, tmp_path: Path) -> None:
    saved = document(Q, {"v6_users": Answer(value=33.0, comment="2024 survey"),
                         "pol_framework": Answer(value="adopted", evidence="Law 1")}, country="SEN", status="draft")
    src = tmp_path / "sen.json"
    src.write_text(saved.model_dump_json(), encoding="utf-8")
    assert run(monkeypatch, capsys, "import", str(src), "-q", MINI)[0] == 0
    wb = tmp_path / "sen.xlsx"
    blank = build_workbook(Q, "fr", country="Sénégal", cycle=2025)  # the country by its French name
    from tests.exchange.helpers import edit, set_cell

    wb.write_bytes(edit(blank, set_cell(Q, "v6_users", "answer", 50)))
    code, out, _ = run(monkeypatch, capsys, "import", str(wb), "--dry-run", "-q", MINI, "--lang", "fr")
    assert code == 0 and "33" in out and "50" in out and "1.1" in out  # untouched questions by number, no id
    assert "v6_users" not in out and "pol_framework" not in out
    code, out, _ = run(monkeypatch, capsys, "import", str(wb), "-q", MINI)  # no --yes, no terminal: not applied
    assert code == 1 and "--yes" in out
    dest = tmp_path / "out.json"
    run(monkeypatch, capsys, "export", "-o", str(dest), "-f", "json", "-q", MINI, "--include-drafts")
    [item] = json.loads(dest.read_text(encoding="utf-8"))["assessments"]
    assert item["answers"]["answers"]["v6_users"]["value"] == 33.0
    code, out, _ = run(monkeypatch, capsys, "import", str(wb), "--yes", "-q", MINI)
    assert code == 0 and "updated, 1 change in 1 question\n" in out
    run(monkeypatch, capsys, "export", "-o", str(dest), "-f", "json", "-q", MINI, "--include-drafts")
    [item] = json.loads(dest.read_text(encoding="utf-8"))["assessments"]
    answers = item["answers"]["answers"]
    assert answers["v6_users"]["value"] == 50.0 and answers["v6_users"]["comment"] == "2024 survey"
    assert answers["pol_framework"] == {**answers["pol_framework"], "value": "adopted", "evidence": "Law 1"}


def test_delete_needs_a_yes_then_list_and_restore(monkeypatch, capsys, tmp_path: Path) -> None:
    src = tmp_path / "sen.json"
    src.write_text(document(Q, {"v6_users": Answer(value=33.0)}, country="SEN", status="draft").model_dump_json(),
                   encoding="utf-8")
    run(monkeypatch, capsys, "import", str(src), "-q", MINI)
    code, out, _ = run(monkeypatch, capsys, "assessments", "list")
    assert code == 0 and "Senegal" in out
    [aid] = [w for w in out.split() if len(w) == 32]
    code, out, _ = run(monkeypatch, capsys, "assessments", "delete", aid)  # no --yes, no terminal
    assert code == 1 and "Nothing was deleted" in out
    code, out, _ = run(monkeypatch, capsys, "assessments", "delete", aid, "--yes")
    assert code == 0 and "deleted" in out
    code, out, _ = run(monkeypatch, capsys, "assessments", "list")
    assert "Senegal" not in out
    code, out, _ = run(monkeypatch, capsys, "assessments", "list", "--deleted")
    assert aid in out and "Senegal" in out
    dest = tmp_path / "out.json"
    run(monkeypatch, capsys, "export", "-o", str(dest), "-f", "json", "-q", MINI, "--include-drafts")
    assert json.loads(dest.read_text(encoding="utf-8"))["assessments"] == []
    code, out, _ = run(monkeypatch, capsys, "assessments", "restore", aid)
    assert code == 0 and "restored" in out
    run(monkeypatch, capsys, "export", "-o", str(dest), "-f", "json", "-q", MINI, "--include-drafts")
    [item] = json.loads(dest.read_text(encoding="utf-8"))["assessments"]
    assert item["answers"]["answers"]["v6_users"]["value"] == 33.0


def test_questionnaire_upgrade_carries_a_1_0_0_assessment_over(monkeypatch, capsys, tmp_path: Path) -> None:
    from assessment.demo import demo_documents
    from questionnaires.loader import DEFAULT_QUESTIONNAIRE_DIR
    from questionnaires.versions import ARCHIVE_DIR

    old_dir = ARCHIVE_DIR / "res197-1.0.0"
    # A draft: a handed-in assessment keeps its version (see the next test).
    doc = demo_documents(load_questionnaire(old_dir))[0].model_copy(update={"illustrative": False, "status": "draft"})
    src = tmp_path / "old.json"
    src.write_text(doc.model_dump_json(), encoding="utf-8")
    code, _, _ = run(monkeypatch, capsys, "import", str(src), "-q", str(old_dir))
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, "questionnaire", "upgrade", "-q", str(DEFAULT_QUESTIONNAIRE_DIR))
    current = load_questionnaire(DEFAULT_QUESTIONNAIRE_DIR)
    assert code == 0 and f"{country_name(doc.country)} {doc.cycle}: upgraded from 1.0.0 to {current.version}" in out
    old = load_questionnaire(old_dir)  # a removed question keeps the number it had there
    numbers = [question_number(current if current.has_question(qid) else old, qid)
               for qid in ("v6_gov_websites", "str_affordability")]
    assert all(number in out for number in numbers)  # by number: the ids are keys, not what a reader finds
    assert "v6_gov_websites" not in out and "str_affordability" not in out
    code, out, _ = run(monkeypatch, capsys, "questionnaire", "upgrade", "-q", str(DEFAULT_QUESTIONNAIRE_DIR))
    assert code == 0 and "already uses" in out


def test_questionnaire_upgrade_leaves_a_submitted_assessment_as_it_is_and_says_why(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    from assessment.demo import demo_documents
    from questionnaires.loader import DEFAULT_QUESTIONNAIRE_DIR
    from questionnaires.versions import ARCHIVE_DIR

    old_dir = ARCHIVE_DIR / "res197-1.0.0"
    first, second = demo_documents(load_questionnaire(old_dir))[:2]
    for doc, status in ((first, "draft"), (second, "submitted")):
        src = tmp_path / f"{doc.country}.json"
        src.write_text(doc.model_copy(update={"illustrative": False, "status": status}).model_dump_json(),
                       encoding="utf-8")
        assert run(monkeypatch, capsys, "import", str(src), "-q", str(old_dir))[0] == 0
    code, out, err = run(monkeypatch, capsys, "questionnaire", "upgrade", "-q", str(DEFAULT_QUESTIONNAIRE_DIR))
    assert code == 0
    assert f"{country_name(first.country)} {first.cycle}: upgraded from 1.0.0" in out
    assert f"{country_name(second.country)} {second.cycle}:" not in out
    assert "left as it is" in err and "Reopen for editing" in err, err
