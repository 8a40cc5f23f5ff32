"""The offline questionnaire workbook: layout, round trip, and an import that reports every problem."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.document import Answer, AnswersDocument, blank_document, check_answers
from exchange import ImportProblems, build_workbook, read_workbook
from exchange.workbook import CHOICES, MAX_BYTES, MAX_UNCOMPRESSED, SETTINGS, SHEETS, _cut, sheet_names
from questionnaires import default_questionnaire
from tests.compare.conftest import MINI, make_doc
from tests.exchange.helpers import COL, edit, pillar_sheet, set_cell, set_setting
from tests.strategies import answer_strategy

BLANK = build_workbook(MINI, "en", country="KEN", cycle=2025)


def _problems(data: bytes) -> list[str]:
    with pytest.raises(ImportProblems) as info:
        read_workbook(MINI, data)
    return [str(p) for p in info.value.problems]


# ---- layout


def test_sheets() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(BLANK))
    assert wb.sheetnames == ["settings", "instructions", "Enabling policy and regulatory", "IPv6 adoption", "choices"]
    fr = openpyxl.load_workbook(io.BytesIO(build_workbook(MINI, "fr")))
    assert fr.sheetnames == ["paramètres", "instructions", "Cadre politique", "Adoption de l'IPv6", "choix"]


def test_settings_name_the_questionnaire_version_and_hash() -> None:
    ws = openpyxl.load_workbook(io.BytesIO(BLANK))["settings"]
    settings_ = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)}
    assert (settings_["questionnaire"], settings_["version"], settings_["content fingerprint"]) == (
        "mini", "0.1.0", MINI.content_hash,
    )
    assert (settings_["country"], settings_["cycle"], settings_["language"]) == ("KEN", 2025, "en")
    ws = openpyxl.load_workbook(io.BytesIO(build_workbook(MINI, "fr", country="KEN", cycle=2025)))["paramètres"]
    fr = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)}
    assert (fr["pays"], fr["statut"], fr["langue"]) == ("KEN", "brouillon", "fr")
    assert "objectif\u202f: Adoption de l'IPv6" in fr  # every target has its row, named in the workbook's language


def test_scale_answers_have_a_drop_down_from_the_choices_sheet() -> None:
    ws = pillar_sheet(openpyxl.load_workbook(io.BytesIO(BLANK)), MINI, "policy_regulation")
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list" and "choices" in (dv.formula1 or "")]
    assert any("E2" in str(dv.sqref) for dv in lists)  # pol_framework, maturity5


def test_numeric_answers_have_a_range_validation() -> None:
    ws = pillar_sheet(openpyxl.load_workbook(io.BytesIO(BLANK)), MINI, "ipv6")
    numeric = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    assert [(dv.formula1, dv.formula2) for dv in numeric] == [("0", "100")]


def test_level_descriptors_are_shown_in_the_chosen_language() -> None:
    ws = pillar_sheet(openpyxl.load_workbook(io.BytesIO(build_workbook(MINI, "fr"))), MINI, "policy_regulation")
    levels = ws.cell(row=2, column=4).value
    assert "Formellement adopté, avec un responsable" in levels
    assert ws.cell(row=1, column=5).value == "Réponse"


def test_question_ids_are_locked_and_answers_editable() -> None:
    ws = pillar_sheet(openpyxl.load_workbook(io.BytesIO(BLANK)), MINI, "ipv6")
    assert ws.protection.sheet
    assert ws.cell(row=2, column=1).protection.locked
    assert not ws.cell(row=2, column=5).protection.locked


def test_the_shipped_questionnaire_builds_and_reads_back_blank() -> None:
    q = default_questionnaire()
    doc = read_workbook(q, build_workbook(q, "fr", country="SEN", cycle=2026))
    assert doc == blank_document(q, "SEN", 2026).model_copy(update={"answers": {}})  # blank rows say nothing


# ---- round trip

TEXT = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool),
)


@st.composite
def full_documents(draw: st.DrawFn) -> AnswersDocument:
    answers = {}
    for question in MINI.questions:
        a = draw(answer_strategy(MINI, question)) or Answer()
        update: dict[str, Any] = {"evidence": draw(TEXT), "comment": draw(TEXT)}
        if isinstance(a.value, float):
            update["value"] = round(a.value, 6)  # xlsx keeps 15 significant digits, like Excel
        if a.not_applicable:
            update["justification"] = draw(TEXT) or "Handled by provinces"
        answers[question.id] = a.model_copy(update=update)
    return make_doc(
        MINI,
        draw(st.sampled_from(["KEN", "ETH", "FJI", "VAT"])),
        draw(st.integers(2000, 2100)),
        answers=answers,
        status=draw(st.sampled_from(["draft", "submitted"])),
        illustrative=draw(st.booleans()),
        targets=draw(st.dictionaries(st.sampled_from(["overall", "ipv6"]),
                                     st.one_of(st.sampled_from(["evolving", "advancing"]), st.just(50.0)))),
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=full_documents())
def test_prefilled_workbook_reads_back_to_the_same_document(lang: str, doc: AnswersDocument) -> None:
    assert read_workbook(MINI, build_workbook(MINI, lang, doc)) == _spoken(doc)


def _spoken(doc: AnswersDocument) -> AnswersDocument:
    """The document as a workbook can say it: a question with nothing saved has a blank row, which says nothing."""
    return doc.model_copy(update={"answers": {k: a for k, a in doc.answers.items() if a != Answer()}})


def test_text_that_looks_like_a_formula_stays_text() -> None:
    doc = make_doc(MINI, "KEN", level=0.5)
    doc.answers["pol_framework"] = doc.answers["pol_framework"].model_copy(update={"evidence": "=1+1"})
    assert read_workbook(MINI, build_workbook(MINI, "en", doc)).answers["pol_framework"].evidence == "=1+1"


def test_shipped_questionnaire_round_trip() -> None:
    from benchmarks.generate import random_documents

    q = default_questionnaire()
    for doc in random_documents(q, 3, seed=5):
        full = doc.model_copy(update={
            "questionnaire_hash": q.content_hash, "answers": {x.id: doc.answer(x.id) for x in q.questions},
        })
        assert read_workbook(q, build_workbook(q, "en", full)) == _spoken(full)


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


def test_prefilling_with_answers_for_another_version_is_refused() -> None:
    doc = make_doc(MINI, "KEN").model_copy(update={"questionnaire_version": "0.0.1"})
    with pytest.raises(ValueError, match="cannot pre-fill"):
        build_workbook(MINI, "en", doc)


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


def test_a_prefilled_multi_choice_shows_labels_in_the_workbook_language() -> None:
    doc = make_doc(MINI, "KEN", level=0.5)
    doc.answers["pol_elements"] = Answer(value=["licensing", "security"])
    ws = pillar_sheet(openpyxl.load_workbook(io.BytesIO(build_workbook(MINI, "fr", doc))), MINI, "policy_regulation")
    assert ws.cell(row=3, column=5).value == "Licences; Sécurité"


@pytest.mark.parametrize("typed", ["3 - Adopted", "3 — adopted", "3–Adopted", "3 -  adopted"])
def test_level_labels_typed_with_any_dash(typed: str) -> None:
    assert read_workbook(MINI, edit(BLANK, set_cell(MINI, "pol_framework", "answer", typed))).answers[
        "pol_framework"].value == "adopted"


def test_a_french_workbook_reads_back_with_french_sheet_names_and_keys() -> None:
    fr = build_workbook(MINI, "fr", country="FJI", cycle=2024)
    data = edit(fr, set_cell(MINI, "v6_users", "answer", "12,5"))
    data = edit(data, set_setting("objectif\u202f: Adoption de l'IPv6", "En progression"))  # a tier by its name
    doc = read_workbook(MINI, data)
    assert (doc.country, doc.cycle, doc.answers["v6_users"].value) == ("FJI", 2024, 12.5)
    assert doc.targets == {"ipv6": "advancing"}


def test_no_backticks_in_the_instructions() -> None:
    for lang in ("en", "fr"):
        wb = openpyxl.load_workbook(io.BytesIO(build_workbook(MINI, lang)))
        lines = [c.value for c in wb["instructions"]["A"] if c.value]
        assert lines and not any("`" in line for line in lines)
        assert any(("(clear)" if lang == "en" else "(effacer)") in line for line in lines)  # the clear marker


def test_a_formula_without_a_computed_value_is_a_problem_not_a_blank() -> None:
    [problem] = _problems(edit(BLANK, set_cell(MINI, "v6_users", "answer", "=10+10")))
    assert problem.startswith("sheet `IPv6 adoption`, row 2") and "formula without a computed value" in problem


def test_merged_cells_are_a_problem_located_by_row() -> None:
    def merge(wb: openpyxl.Workbook) -> None:
        pillar_sheet(wb, MINI, "ipv6").merge_cells("E2:E3")

    [problem] = _problems(edit(BLANK, merge))
    assert problem.startswith("sheet `IPv6 adoption`, row 2") and "merged cells E2:E3" in problem


def test_the_review_flag_column_round_trips() -> None:
    data = edit(BLANK, set_cell(MINI, "v6_users", "review", "oui"))
    assert read_workbook(MINI, data).answers["v6_users"] == Answer(review=True)


# ---- names and French typography (sheet names within 31 characters; narrow no-break spaces)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pillar_sheets_use_the_short_name_when_the_name_does_not_fit(lang: str) -> None:
    q = default_questionnaire()
    names = sheet_names(q, lang)
    for p in q.pillars:
        full = p.name.get(lang)
        assert names[p.id] == (full if len(full) <= 31 else (p.short or p.name).get(lang))
    assert len({n.casefold() for n in names.values()}) == len(names)
    assert all(len(n) <= 31 for n in names.values())


def test_a_name_cut_at_31_characters_ends_on_a_whole_word_that_is_not_a_link_word() -> None:
    cut = {_cut(n) for n in ("Cadres politiques et réglementaires propices", "Stratégie nationale des TIC pour l'IoT",
                             "Capacity building and skills for everybody", "Renforcement des capacités et compétences")}
    assert cut == {"Cadres politiques", "Stratégie nationale des TIC", "Capacity building and skills",
                   "Renforcement des capacités"}


def test_a_workbook_from_the_previous_version_still_imports() -> None:
    """Sheets named by the full name cut at 31 characters and "objectif : ..." with a plain space."""
    q = default_questionnaire()
    old, new = sheet_names(q, "fr", legacy=True), sheet_names(q, "fr")
    assert old != new  # the test would prove nothing if the names had not changed
    data = build_workbook(q, "fr", country="KEN", cycle=2025)
    target_row = f"objectif\u202f: {q.pillar('strategy').name.fr}"
    data = edit(data, set_setting(target_row, "En consolidation"))  # "advancing" since 1.2.0

    def age(wb: openpyxl.Workbook) -> None:
        for pid, name in new.items():
            wb[name].title = old[pid]
        ws = wb[SHEETS[SETTINGS]["fr"]]
        for r in range(2, ws.max_row + 1):
            if ws.cell(row=r, column=1).value == target_row:
                ws.cell(row=r, column=1, value=f"objectif : {q.pillar('strategy').name.fr}")

    aged = edit(data, age)
    assert not set(new.values()) & set(openpyxl.load_workbook(io.BytesIO(aged)).sheetnames) - set(old.values())
    first = q.questions[0]
    ws_name = old[first.pillar]
    wb = openpyxl.load_workbook(io.BytesIO(aged))
    ws = wb[ws_name]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == first.id)
    ws.cell(row=row, column=COL["dont_know"], value="oui")
    buf = io.BytesIO()
    wb.save(buf)
    doc = read_workbook(q, buf.getvalue())
    assert doc.answers[first.id].dont_know
    assert doc.targets == {"strategy": "advancing"}


def test_french_workbook_texts_have_a_narrow_no_break_space_before_double_punctuation() -> None:
    q = default_questionnaire()
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(q, "fr", country="KEN", cycle=2025)))
    texts = [c.value for ws in wb.worksheets if ws.title != SHEETS[CHOICES]["fr"]
             for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    bad = [x for x in texts if re.search(r"[ \u00a0][:;!?»]|«[ \u00a0]", x)]
    assert bad == []
    assert any("\u202f:" in x for x in texts) and any("\u202f;" in x for x in texts)
    assert not any(q.id in x for ws in wb.worksheets if ws.title != SHEETS[SETTINGS]["fr"]
                   for row in ws.iter_rows() for c in row for x in [str(c.value)])


@pytest.mark.parametrize(("lang", "header"), [("en", ("answer", "score (0 to 1)", "what it means")),
                                              ("fr", ("réponse", "score (de 0 à 1)", "ce que cela signifie"))])
def test_choices_sheet_is_hidden_protected_and_speaks_to_people(lang: str, header: tuple[str, ...]) -> None:
    """Issue 20.17: the drop-downs' sheet showed list names, stored values and label::en columns."""
    q = default_questionnaire()
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(q, lang, country="KEN", cycle=2025)))
    ws = wb[SHEETS[CHOICES][lang]]
    assert ws.sheet_state == "hidden" and ws.protection.sheet
    assert tuple(c.value for c in ws[1]) == header
    cells = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    stored = {o.value for scale in q.scales.values() for o in scale.options} | set(q.scales)
    assert cells & stored == set()
    assert not any("label::" in x or "list_name" in x for x in cells)
    labels = {o.label.get(lang) for scale in q.scales.values() for o in scale.options}
    assert labels <= cells
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"][-1] != SHEETS[CHOICES][lang]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_context_indicator_is_asked_marked_unscored_and_read_back(lang: str) -> None:
    """Issue 21, point 17: the offline workbook asks the IoT uptake baseline last in its pillar, says it is not
    scored, and gives its figure back on reading."""
    from pathlib import Path

    from questionnaires.messages import t

    q = default_questionnaire()
    example = Path(__file__).resolve().parents[2] / "examples" / "illustrative-RWA-2025.json"
    doc = AnswersDocument.model_validate_json(example.read_text(encoding="utf-8"))
    data = build_workbook(q, lang, doc)
    ws = pillar_sheet(openpyxl.load_workbook(io.BytesIO(data)), q, "spectrum_connectivity")
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "spc_iot_connections"
    assert str(last[1]).startswith("5.10 ") and str(last[1]).endswith(f"({t('context.label', lang)})")
    assert read_workbook(q, data).answers["spc_iot_connections"] == doc.answers["spc_iot_connections"]
