"""Reading an uploaded workbook (exchange.workbook.reader, cells): what a regulator types is read, and every
problem is reported at once, located by sheet, row and question."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from answers.document import check_answers
from exchange import ImportProblems, build_workbook, read_workbook
from exchange.workbook import MAX_BYTES, MAX_UNCOMPRESSED
from questionnaires import default_questionnaire
from tests.compare.conftest import MINI
from tests.exchange.helpers import edit, pillar_sheet, set_cell, set_setting

BLANK = build_workbook(MINI, "en", country="KEN", cycle=2025)


def _problems(data: bytes) -> list[str]:
    with pytest.raises(ImportProblems) as info:
        read_workbook(MINI, data)
    return [str(p) for p in info.value.problems]


# ---- what a regulator types


@pytest.mark.parametrize(
    ("question", "typed", "expected"),
    [
        ("pol_city", "Oui", "yes"),  # French label in an English workbook
        ("pol_city", "partial", "partial"),  # the value itself
        ("pol_framework", "3 – adopted", "adopted"),  # label, any case
        ("pol_framework", 3, "adopted"),  # the level number of "3 – Adopted"
        ("v6_users", "12,5", 12.5),  # decimal comma
        ("v6_users", 40, 40.0),
        ("pol_elements", "Licensing; security", ["licensing", "security"]),
        ("pol_elements", "(none)", []),
        ("pol_elements", "numbering, numbering", ["numbering"]),
    ],
)
def test_accepted_answers(question: str, typed: object, expected: object) -> None:
    doc = read_workbook(MINI, edit(BLANK, set_cell(MINI, question, "answer", typed)))
    assert doc.answers[question].value == expected


def test_dont_know_in_french() -> None:
    doc = read_workbook(MINI, edit(BLANK, set_cell(MINI, "v6_users", "dont_know", "oui")))
    assert doc.answers["v6_users"].dont_know


# ---- refusals


def test_another_version_is_refused_naming_both_versions() -> None:
    problems = _problems(edit(BLANK, set_setting("version", "0.0.9")))
    assert len(problems) == 1
    assert "version 0.0.9" in problems[0] and "version 0.1.0" in problems[0]


def test_another_questionnaire_is_refused() -> None:
    assert "questionnaire “other”" in _problems(edit(BLANK, set_setting("form_id", "other")))[0]


def test_changed_content_with_the_same_version_is_refused() -> None:
    assert "content changed" in _problems(edit(BLANK, set_setting("content_hash", "abc")))[0]


def test_unknown_option_is_reported_by_sheet_row_and_question() -> None:
    assert _problems(edit(BLANK, set_cell(MINI, "pol_city", "answer", "maybe"))) == [
        "sheet `Enabling policy and regulatory`, row 4, question `pol_city`: answer: unknown option “maybe”; "
        "choose one of: No; Partially; Yes"
    ]


def test_out_of_range_number() -> None:
    assert _problems(edit(BLANK, set_cell(MINI, "v6_users", "answer", 140))) == [
        "sheet `IPv6 adoption`, row 2, question `v6_users`: answer: must be between 0 and 100"
    ]


@pytest.mark.parametrize("typed", ["lots", date(2024, 1, 1), True])
def test_wrong_types_in_a_number_answer(typed: object) -> None:
    [problem] = _problems(edit(BLANK, set_cell(MINI, "v6_users", "answer", typed)))
    assert problem.startswith("sheet `IPv6 adoption`, row 2, question `v6_users`: answer:")


def test_not_applicable_needs_a_justification() -> None:
    [problem] = _problems(edit(BLANK, set_cell(MINI, "v6_awareness", "not_applicable", "yes")))
    assert "question `v6_awareness`" in problem and "justification" in problem


def test_not_applicable_where_it_is_not_allowed() -> None:
    [problem] = _problems(edit(BLANK, set_cell(MINI, "v6_users", "not_applicable", "yes")))
    assert "cannot be marked not applicable" in problem


def test_every_problem_is_listed_at_once() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        set_cell(MINI, "pol_city", "answer", "maybe")(wb)
        set_cell(MINI, "v6_users", "answer", -3)(wb)
        set_setting("country", "ZZZ")(wb)
        set_setting("cycle", "next year")(wb)

    problems = _problems(edit(BLANK, change))
    assert len(problems) == 4
    assert {p.split(",")[0] for p in problems} == {
        "sheet `Enabling policy and regulatory`", "sheet `IPv6 adoption`", "sheet `settings`",
    }


def test_a_cycle_typed_in_superscript_digits_is_a_problem_of_its_row_not_a_crash() -> None:
    """"²⁰²⁵" is made of digits to ``str.isdigit`` but not a number ``int`` reads (found by the settings fuzz test)."""
    assert _problems(edit(BLANK, set_setting("cycle", "²⁰²⁵"))) == [
        "sheet `settings`, row 8: cycle must be a year between 2000 and 2100, got “²⁰²⁵”"]


def test_a_missing_pillar_sheet_is_reported() -> None:
    problems = _problems(edit(BLANK, lambda wb: wb.remove(pillar_sheet(wb, MINI, "ipv6"))))
    assert problems == ["sheet `IPv6 adoption`: the sheet is missing (one sheet per pillar is needed; do not rename or "
                        "delete sheets)"]


def test_a_missing_settings_sheet_is_reported() -> None:
    assert any("settings sheet is missing" in p for p in _problems(edit(BLANK, lambda wb: wb.remove(wb["settings"]))))


def test_an_unknown_question_id_is_reported() -> None:
    def change(wb: openpyxl.Workbook) -> None:
        pillar_sheet(wb, MINI, "ipv6").cell(row=2, column=1, value="v6_unknown")

    assert "question `v6_unknown`: no such question" in _problems(edit(BLANK, change))[0]


def test_a_blank_country_is_reported() -> None:
    assert "country is empty" in _problems(build_workbook(MINI, "en"))[0]


def test_random_bytes_are_not_an_xlsx() -> None:
    assert "not an Excel workbook (.xlsx)" in _problems(b"%PDF-1.7 renamed to .xlsx")[0]


def test_a_zip_that_is_not_a_workbook() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("content.xml", "<office:document/>")
    assert "not an Excel workbook" in _problems(buf.getvalue())[0]


def test_a_file_over_the_size_cap_is_refused_before_parsing() -> None:
    [problem] = _problems(b"PK" + b"\0" * MAX_BYTES)
    assert "the limit is 20 MB" in problem


def test_a_zip_bomb_is_refused_from_the_zip_directory() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNCOMPRESSED + 1))
    assert len(buf.getvalue()) < MAX_BYTES
    assert "zip bomb" in _problems(buf.getvalue())[0]


def test_an_imported_document_always_fits_the_questionnaire() -> None:
    doc = read_workbook(MINI, edit(BLANK, set_cell(MINI, "pol_city", "answer", "Yes")))
    assert check_answers(MINI, doc) == []


def test_a_deleted_question_row_leaves_the_question_out() -> None:
    doc = read_workbook(MINI, edit(BLANK, lambda wb: pillar_sheet(wb, MINI, "ipv6").delete_rows(2)))
    assert "v6_users" not in doc.answers
    assert doc.answers == {}  # and a blank row says nothing either


# ---- easier to fill in (issue 11, point 9) and never a silent blank (point 2)


@pytest.mark.parametrize("typed", ["Kenya", "kenya", "KEN", "ken"])
def test_the_country_by_its_name_in_either_language_or_its_code(typed: str) -> None:
    assert read_workbook(MINI, edit(BLANK, set_setting("country", typed))).country == "KEN"


def test_the_country_by_its_french_name_with_or_without_accents() -> None:
    assert read_workbook(MINI, edit(BLANK, set_setting("country", "Sénégal"))).country == "SEN"
    assert read_workbook(MINI, edit(BLANK, set_setting("country", "senegal"))).country == "SEN"


def test_multi_choice_labels_with_commas_do_not_split() -> None:
    q = default_questionnaire()
    question = q.question("pol_framework_elements")
    labels = {o.value: o.label for o in question.options or []}
    blank = build_workbook(q, "fr", country="KEN", cycle=2025)
    typed = f"{labels['addressing'].fr}, {labels['consumer_protection'].fr}; {labels['security'].en}"
    data = edit(blank, set_cell(q, "pol_framework_elements", "answer", typed))
    doc = read_workbook(q, data)
    assert doc.answers["pol_framework_elements"].value == ["addressing", "consumer_protection", "security"]


@pytest.mark.parametrize("typed", ["3 - Adopted", "3 — adopted", "3–Adopted", "3 -  adopted"])
def test_level_labels_typed_with_any_dash(typed: str) -> None:
    assert read_workbook(MINI, edit(BLANK, set_cell(MINI, "pol_framework", "answer", typed))).answers[
        "pol_framework"].value == "adopted"


def test_a_formula_without_a_computed_value_is_a_problem_not_a_blank() -> None:
    [problem] = _problems(edit(BLANK, set_cell(MINI, "v6_users", "answer", "=10+10")))
    assert problem.startswith("sheet `IPv6 adoption`, row 2") and "formula without a computed value" in problem


def test_merged_cells_are_a_problem_located_by_row() -> None:
    def merge(wb: openpyxl.Workbook) -> None:
        pillar_sheet(wb, MINI, "ipv6").merge_cells("E2:E3")

    [problem] = _problems(edit(BLANK, merge))
    assert problem.startswith("sheet `IPv6 adoption`, row 2") and "merged cells E2:E3" in problem
