"""Data exchange page: the blank workbook download, and uploads checked whole before anything is written."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from answers.document import Answer
from assessment import service
from assessment.filters import AssessmentFilter
from exchange import build_workbook, export_json
from tests.compare.conftest import make_doc
from tests.exchange.helpers import Change, edit, set_cell, set_setting
from tests.ui.conftest import Env, open_page, texts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filled(env: Env, *changes: Change) -> bytes:
    """A KEN 2026 workbook as a regulator fills it: the framework developing, 20 % IPv6 users."""
    data = build_workbook(env.questionnaire, "en", country="KEN", cycle=2026)
    data = edit(data, set_cell(env.questionnaire, "pol_framework", "answer", "developing"))
    data = edit(data, set_cell(env.questionnaire, "v6_users", "answer", 20))
    for change in changes:
        data = edit(data, change)
    return data


def page(env: Env, lang: str | None = None) -> AppTest:
    at = env.app()
    if lang:
        at.query_params["lang"] = lang
    return open_page(at, "exchange")


def upload(at: AppTest, name: str, payload: bytes, mime: str = XLSX, *, confirm: bool = True) -> AppTest:
    """Choose the file, check it (the plan is shown) and, when there is something to save, confirm."""
    at.file_uploader(key="exchange.upload").set_value((name, payload, mime)).run()
    at.button(key="exchange.import").click().run()
    if confirm and any(b.key == "exchange.confirm" for b in at.button):
        at.button(key="exchange.confirm").click().run()
    return at


def assessments(env: Env) -> list[service.AssessmentSummary]:
    with env.session() as s:
        return service.list_assessments(s, AssessmentFilter(questionnaire=env.questionnaire))


def log_size(env: Env, assessment_id: str) -> int:
    with env.session() as s:
        return len(service.change_log(s, assessment_id=assessment_id))


def test_the_page_offers_the_blank_workbook(env: Env) -> None:
    at = page(env)
    assert not at.exception
    assert "Offline questionnaire" in texts(at)
    assert at.download_button(key="exchange.blank").label == "Download the blank workbook"


def test_an_existing_assessment_can_be_downloaded_pre_filled(env: Env) -> None:
    env.create("KEN", 2026)
    at = page(env)
    at.selectbox(key="exchange.prefill").select_index(0).run()
    assert not at.exception
    assert at.download_button(key="exchange.prefilled").label == "Download the pre-filled workbook"


def test_a_valid_workbook_creates_the_assessment_with_its_answers(env: Env) -> None:
    at = upload(page(env), "ken.xlsx", filled(env))
    assert not at.exception
    assert any("assessment created" in s.value for s in at.success)
    [row] = assessments(env)
    assert (row.country, row.cycle) == ("KEN", 2026)
    assert env.saved(row.id, "pol_framework") == Answer(value="developing")
    saved = env.saved(row.id, "v6_users")
    assert saved is not None and saved.value == 20.0


def test_nothing_is_imported_before_the_button_nor_again_on_a_rerun(env: Env) -> None:
    at = page(env)
    at.file_uploader(key="exchange.upload").set_value(("ken.xlsx", filled(env), XLSX)).run()
    assert assessments(env) == []
    at.button(key="exchange.import").click().run()
    assert assessments(env) == []  # the plan is shown; nothing is saved before the yes
    at.button(key="exchange.confirm").click().run()
    [row] = assessments(env)
    before = log_size(env, row.id)
    at.run()
    assert log_size(env, row.id) == before
    assert any("assessment created" in s.value for s in at.success)  # the outcome stays on screen


def test_the_same_file_twice_changes_nothing_the_second_time(env: Env) -> None:
    data = filled(env)
    at = upload(page(env), "ken.xlsx", data)
    [row] = assessments(env)
    before = log_size(env, row.id)
    at.button(key="exchange.import").click().run()
    assert not at.exception
    assert any("would change nothing" in i.value for i in at.info)
    assert not at.success and not any(b.key == "exchange.confirm" for b in at.button)
    assert log_size(env, row.id) == before


def test_problems_are_listed_by_sheet_row_and_question_and_nothing_is_written(env: Env) -> None:
    assessment_id = env.create("KEN", 2026)
    env.answer(assessment_id, "pol_framework", Answer(value="planned"))
    bad = filled(env, set_cell(env.questionnaire, "v6_users", "answer", "lots"))
    at = upload(page(env), "ken.xlsx", bad)
    assert not at.exception
    assert any("nothing was saved" in e.value for e in at.error)
    table = at.table[0].value
    assert list(table.columns) == ["Sheet", "Row", "Question", "Problem"]
    [problem] = table.to_dict("records")
    assert problem["Sheet"] == "IPv6 adoption"
    assert problem["Question"].startswith("2.1 ") and "v6_users" not in problem["Question"]  # number and text
    assert problem["Row"].isdigit() and "number" in problem["Problem"]
    assert env.saved(assessment_id, "pol_framework") == Answer(value="planned")


def test_problems_are_explained_in_french_to_a_french_reader(env: Env) -> None:
    bad = filled(env, set_cell(env.questionnaire, "v6_users", "answer", "lots"),
                 set_cell(env.questionnaire, "pol_framework", "answer", "whatever"))
    at = upload(page(env, "fr"), "ken.xlsx", bad)
    table = at.table[0].value
    problems = {q.split(" ")[0]: text for q, text in zip(table["Question"], table["Problème"], strict=True)}
    assert "doit être un nombre" in problems["2.1"]
    assert "choisissez parmi" in problems["1.1"]
    assert "3 – Adopté" in problems["1.1"]  # the scale's French labels


def test_a_workbook_for_another_questionnaire_version_is_refused(env: Env) -> None:
    at = upload(page(env), "old.xlsx", filled(env, set_setting("version", "0.0.9")))
    assert not at.exception
    [error] = at.error
    assert "version 0.0.9" in error.value and f"version {env.questionnaire.version}" in error.value
    assert "Download a new blank workbook" in error.value
    assert assessments(env) == []


def test_garbage_named_xlsx_gets_a_clear_message(env: Env) -> None:
    at = upload(page(env), "answers.xlsx", b"\x00\x01 this is not a workbook")
    assert not at.exception
    [error] = at.error
    assert "is not an Excel workbook" in error.value and "nothing was saved" in error.value
    assert assessments(env) == []


def test_a_json_export_with_several_assessments_imports_them_all(env: Env) -> None:
    q = env.questionnaire
    data = export_json(q, [make_doc(q, "KEN", 2026, status="draft"), make_doc(q, "FRA", 2026, status="draft")])
    at = upload(page(env), "export.json", data, "application/json")
    assert not at.exception
    assert len([s for s in at.success if "assessment created" in s.value]) == 2
    assert sorted(r.country for r in assessments(env)) == ["FRA", "KEN"]


def test_a_json_export_with_one_bad_assessment_writes_none(env: Env) -> None:
    q = env.questionnaire
    export = json.loads(export_json(q, [make_doc(q, "KEN", 2026, status="draft"), make_doc(q, "FRA", 2026)]))
    export["assessments"][1]["answers"]["answers"]["v6_users"]["value"] = 500  # out of range (0-100)
    at = upload(page(env), "export.json", json.dumps(export).encode(), "application/json")
    assert not at.exception
    assert any("nothing was saved" in e.value for e in at.error)
    assert "FRA 2026" in list(at.table[0].value["Assessment"])
    assert assessments(env) == []


def test_a_file_that_would_change_a_submitted_assessment_is_refused(env: Env) -> None:
    assessment_id = env.create("KEN", 2026)
    env.answer(assessment_id, "pol_framework", Answer(value="planned"))
    with env.session() as s:
        service.submit_assessment(s, assessment_id=assessment_id)
    at = upload(page(env), "ken.xlsx", filled(env, set_setting("status", "submitted")))
    assert not at.exception
    assert any("submitted" in e.value and "reopen" in e.value for e in at.error)
    assert not any(b.key == "exchange.confirm" for b in at.button)
    assert env.saved(assessment_id, "pol_framework") == Answer(value="planned")


def test_french_labels(env: Env) -> None:
    at = page(env, "fr")
    assert "Échange de données" in texts(at)
    assert at.download_button(key="exchange.blank").label == "Télécharger le classeur vierge"
    at = upload(at, "ken.xlsx", filled(env, set_cell(env.questionnaire, "v6_users", "answer", "beaucoup")))
    assert at.button(key="exchange.import").label == "Vérifier et importer"
    assert list(at.table[0].value.columns) == ["Feuille", "Ligne", "Question", "Problème"]
    assert any("rien n'a été enregistré" in e.value for e in at.error)


def test_after_an_import_the_results_of_the_assessment_are_one_click_away(env: Env) -> None:
    at = upload(page(env), "ken.xlsx", filled(env))
    [row] = assessments(env)
    at.button(key=f"exchange.results.{row.id}").click().run()
    assert not at.exception
    assert any("Kenya" in title.value for title in at.title)
    assert at.query_params["assessment"] == row.id


def test_a_file_that_changes_nothing_still_leads_to_the_results(env: Env) -> None:
    """Seen in the browser: a file equal to what is saved left the reader with no way on to its assessment."""
    data = filled(env)
    at = upload(page(env), "ken.xlsx", data)
    [row] = assessments(env)
    at.button(key="exchange.import").click().run()
    assert any("would change nothing" in i.value for i in at.info)
    at.button(key=f"exchange.results.{row.id}").click().run()
    assert not at.exception
    assert any("Kenya" in title.value for title in at.title)
    assert at.query_params["assessment"] == row.id


def _rich(env: Env) -> str:
    """KEN 2026 with saved answers, evidence, a comment, a review flag and a target."""
    aid = env.create("KEN", 2026)
    env.answer(aid, "pol_framework", Answer(value="planned", evidence="Law 7", comment="Ask the ministry", review=True))
    env.answer(aid, "v6_awareness", Answer(value="adopted", evidence="Survey 2025"))
    with env.session() as s:
        service.set_targets(s, assessment_id=aid, targets={"ipv6": 70.0})
    return aid


def _one_answer(env: Env, lang: str = "en") -> bytes:
    data = build_workbook(env.questionnaire, lang, country="Kenya", cycle=2026)
    return edit(data, set_cell(env.questionnaire, "v6_users", "answer", 20))


def test_a_one_answer_workbook_shows_the_plan_and_keeps_everything_else(env: Env) -> None:
    aid = _rich(env)
    before = log_size(env, aid)
    at = upload(page(env), "ken.xlsx", _one_answer(env), confirm=False)
    assert not at.exception
    [table] = [d.value for d in at.table]
    assert list(table.columns) == ["Question", "What", "Saved now", "In the file"]
    [row] = table.to_dict("records")
    assert row["Question"].startswith("2.1 ") and (row["Saved now"], row["In the file"]) == ("(empty)", "20")
    assert any("2 other saved answers stay as they are" in m.value for m in at.markdown)
    assert env.saved(aid, "v6_users") is None and log_size(env, aid) == before  # the plan alone writes nothing
    at.button(key="exchange.confirm").click().run()
    assert any("1 change in 1 question was saved" in s.value for s in at.success)
    assert env.saved(aid, "v6_users") == Answer(value=20.0)
    assert env.saved(aid, "pol_framework") == Answer(value="planned", evidence="Law 7", comment="Ask the ministry",
                                                     review=True)
    assert env.saved(aid, "v6_awareness") == Answer(value="adopted", evidence="Survey 2025")
    with env.session() as s:
        assert service.get_assessment(s, aid).targets == {"ipv6": 70.0}


def test_the_plan_is_in_french_for_a_french_reader(env: Env) -> None:
    _rich(env)
    at = upload(page(env, "fr"), "ken.xlsx", _one_answer(env, "fr"), confirm=False)
    [table] = [d.value for d in at.table]
    assert list(table.columns) == ["Question", "Élément", "Enregistré", "Dans le fichier"]
    assert at.button(key="exchange.confirm").label == "Enregistrer ces changements"


def test_cancel_writes_nothing(env: Env) -> None:
    aid = _rich(env)
    at = upload(page(env), "ken.xlsx", _one_answer(env), confirm=False)
    at.button(key="exchange.cancel").click().run()
    assert any("nothing was saved" in i.value for i in at.info)
    assert env.saved(aid, "v6_users") is None


def test_a_change_saved_between_the_plan_and_the_yes_is_not_overwritten(env: Env) -> None:
    aid = _rich(env)
    at = upload(page(env), "ken.xlsx", _one_answer(env), confirm=False)
    env.answer(aid, "v6_users", Answer(value=55.0))  # someone else, in another tab
    at.button(key="exchange.confirm").click().run()
    assert not at.exception
    assert any("someone saved changes since this plan was shown" in w.value for w in at.warning)
    saved = env.saved(aid, "v6_users")
    assert saved is not None and saved.value == 55.0
    [row] = at.table[0].value.to_dict("records")
    assert (row["Saved now"], row["In the file"]) == ("55", "20")  # the new plan
    at.button(key="exchange.confirm").click().run()
    saved = env.saved(aid, "v6_users")
    assert saved is not None and saved.value == 20.0


def test_a_whole_file_problem_is_a_message_not_a_row_of_empty_cells(env: Env) -> None:
    """A file nothing in it can be located in (a key given twice) has no sheet, row or question to show."""
    at = upload(page(env, "fr"), "export.json", b'{"format": 1, "format": 2}', "application/json")
    assert not at.exception
    assert any("rien n'a été enregistré" in e.value for e in at.error)
    assert not at.table and not at.dataframe
    # The key is the file's text, shown as typed (its Markdown escaped, issue 19.7): read without the escapes.
    assert any("la clé `format` figure deux fois dans un même objet" in m.value.replace("\\", "") and
               "laquelle compte serait une devinette" in m.value.replace("\\", "") for m in at.markdown)


def test_long_problems_are_shown_in_full_in_a_table_that_wraps(env: Env) -> None:
    """A choice problem lists every level: too long for a grid cell, which cut it; a static table wraps it."""
    bad = filled(env, set_cell(env.questionnaire, "pol_framework", "answer", "whatever"))
    at = upload(page(env, "fr"), "ken.xlsx", bad)
    assert not at.exception
    assert not at.dataframe
    [table] = [tb.value for tb in at.table]
    [problem] = list(table["Problème"])
    scale = env.questionnaire.scales[str(env.questionnaire.question("pol_framework").scale)]
    levels = [o.label.get("fr") for o in scale.options]
    assert len(problem) > 80 and all(level in problem for level in levels), problem


def test_json_problems_leave_out_the_empty_row_column(env: Env) -> None:
    q = env.questionnaire
    export = json.loads(export_json(q, [make_doc(q, "KEN", 2026)]))
    export["assessments"][0]["answers"]["answers"]["v6_users"]["value"] = 500
    at = upload(page(env, "fr"), "export.json", json.dumps(export).encode(), "application/json")
    assert not at.exception
    [table] = [tb.value for tb in at.table]
    assert list(table.columns) == ["Évaluation", "Question", "Problème"]
