"""Uploads (the app's Data exchange page): checked whole, refused with a reason, imported idempotently."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assessment import service
from exchange import build_workbook, export_json
from exchange.upload import Refused, check_and_import, read_upload
from questionnaires import Questionnaire
from tests.compare.conftest import make_doc
from tests.exchange.helpers import edit, set_cell, set_setting

Opener = Callable[[], AbstractContextManager[Session]]


@pytest.fixture
def opener(db_engine: Engine) -> Opener:
    return lambda: Session(db_engine)


def filled(q: Questionnaire, *changes: Callable[..., None]) -> bytes:
    data = build_workbook(q, "en", country="KEN", cycle=2026)
    data = edit(data, set_cell(q, "pol_framework", "answer", "developing"))
    for change in changes:
        data = edit(data, change)
    return data


def refusal(q: Questionnaire, name: str, payload: bytes) -> Refused:
    with pytest.raises(Refused) as caught:
        read_upload(q, name, payload)
    return caught.value


def test_a_filled_workbook_reads_as_one_document(mini: Questionnaire) -> None:
    [doc] = read_upload(mini, "ken.xlsx", filled(mini))
    assert (doc.country, doc.cycle) == ("KEN", 2026)
    assert doc.answers["pol_framework"].value == "developing"


def test_a_file_of_another_type_is_refused(mini: Questionnaire) -> None:
    assert refusal(mini, "answers.csv", b"a,b\n").key == "ui.exchange.wrong_type"


def test_bytes_that_are_not_a_workbook_are_refused_as_such(mini: Questionnaire) -> None:
    assert refusal(mini, "ken.xlsx", b"not a zip at all").key == "ui.exchange.not_xlsx"


def test_every_problem_is_located_by_sheet_row_and_question(mini: Questionnaire) -> None:
    bad = filled(mini, set_cell(mini, "v6_users", "answer", "lots"), set_cell(mini, "pol_city", "answer", "maybe"))
    refused = refusal(mini, "ken.xlsx", bad)
    assert refused.key == "ui.exchange.problems"
    assert {p.question_id for p in refused.problems} == {"v6_users", "pol_city"}
    assert all(p.where and p.row for p in refused.problems)


def test_a_workbook_for_another_version_is_refused_with_both_versions(mini: Questionnaire) -> None:
    refused = refusal(mini, "ken.xlsx", filled(mini, set_setting("version", "0.0.1")))
    assert refused.key == "ui.exchange.version"
    assert refused.args_["file_version"] == "0.0.1"
    assert refused.args_["version"] == mini.version


def test_a_json_export_with_one_bad_assessment_is_refused_whole(mini: Questionnaire) -> None:
    good, other = make_doc(mini, "KEN"), make_doc(mini, "CHL")
    payload = json.loads(export_json(mini, [good, other]))
    payload["assessments"][1]["answers"]["answers"]["v6_users"]["value"] = 500
    refused = refusal(mini, "export.json", json.dumps(payload).encode())
    assert refused.key == "ui.exchange.problems"
    assert [p.where for p in refused.problems] == ["CHL 2025"]


def test_a_json_file_that_is_not_an_export_is_refused(mini: Questionnaire) -> None:
    assert refusal(mini, "x.json", b'{"hello": 1}').key == "ui.exchange.bad_json"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(mini: Questionnaire, opener: Opener) -> None:
    payload = filled(mini)
    first = check_and_import(mini, "ken.xlsx", payload, opener)
    second = check_and_import(mini, "ken.xlsx", payload, opener)
    assert not first.failed and first.imported[0].created
    assert not second.failed and second.imported[0].changed == 0
    done = first.imported[0]
    with opener() as s:
        assert len(service.change_log(s, assessment_id=done.assessment_id)) == done.changed + 1  # + "created"


def test_a_refused_file_writes_nothing(mini: Questionnaire, opener: Opener) -> None:
    outcome = check_and_import(mini, "ken.xlsx", filled(mini, set_cell(mini, "v6_users", "answer", -5)), opener)
    assert outcome.failed and outcome.problems
    with opener() as s:
        assert service.list_assessments(s) == []


def test_an_upload_imports_only_what_the_uploader_may_import(mini: Questionnaire, opener: Opener) -> None:
    from assessment.access import Actor, Grant

    france = Actor("fp@fra.example", (Grant("focal_point", "FRA"),))
    outcome = check_and_import(mini, "ken.xlsx", filled(mini), opener, actor=france)
    assert outcome.failed and not outcome.imported
    with opener() as s:
        assert service.list_assessments(s) == []
    kenya = Actor("fp@ken.example", (Grant("focal_point", "KEN"),))
    assert check_and_import(mini, "ken.xlsx", filled(mini), opener, actor=kenya).imported[0].created


def test_a_json_document_that_omits_a_question_does_not_clear_it(mini: Questionnaire, opener: Opener) -> None:
    from answers.document import Answer
    from exchange.upload import apply_plans, check_and_plan
    from tests.compare.conftest import make_doc

    with opener() as s:
        aid = service.get_or_create_assessment(s, country="KEN", cycle=2025, questionnaire=mini).id
        service.save_answer(s, assessment_id=aid, questionnaire=mini, question_id="pol_framework",
                            answer=Answer(value="adopted", evidence="Law 3", review=True), expected_version=0)
    doc = make_doc(mini, "KEN", 2025, answers={"v6_users": Answer(value=12.0)}, status="draft")
    outcome = check_and_plan(mini, "ken.json", doc.model_dump_json(exclude_defaults=True).encode(), opener)
    [plan] = outcome.plans
    assert [c.question_id for c in plan.changes] == ["v6_users"] and plan.untouched == ["pol_framework"]
    done = apply_plans(mini, outcome, opener)
    assert [i.changed for i in done.imported] == [1]
    with opener() as s:
        saved = service.get_assessment(s, aid).answers
    assert saved["pol_framework"] == Answer(value="adopted", evidence="Law 3", review=True)
    assert saved["v6_users"].value == 12.0
