"""Building the workbook (exchange.workbook.writer): its sheets, drop-downs, protection and texts."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from answers.document import Answer
from exchange import build_workbook
from exchange.workbook import CHOICES, SETTINGS, SHEETS
from questionnaires import default_questionnaire
from tests.compare.conftest import MINI, make_doc
from tests.exchange.helpers import pillar_sheet

BLANK = build_workbook(MINI, "en", country="KEN", cycle=2025)


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


# ---- refusals


def test_prefilling_with_answers_for_another_version_is_refused() -> None:
    doc = make_doc(MINI, "KEN").model_copy(update={"questionnaire_version": "0.0.1"})
    with pytest.raises(ValueError, match="cannot pre-fill"):
        build_workbook(MINI, "en", doc)


# ---- easier to fill in (issue 11, point 9) and never a silent blank (point 2)


def test_a_prefilled_multi_choice_shows_labels_in_the_workbook_language() -> None:
    doc = make_doc(MINI, "KEN", level=0.5)
    doc.answers["pol_elements"] = Answer(value=["licensing", "security"])
    ws = pillar_sheet(openpyxl.load_workbook(io.BytesIO(build_workbook(MINI, "fr", doc))), MINI, "policy_regulation")
    assert ws.cell(row=3, column=5).value == "Licences; Sécurité"


def test_no_backticks_in_the_instructions() -> None:
    for lang in ("en", "fr"):
        wb = openpyxl.load_workbook(io.BytesIO(build_workbook(MINI, lang)))
        lines = [c.value for c in wb["instructions"]["A"] if c.value]
        assert lines and not any("`" in line for line in lines)
        assert any(("(clear)" if lang == "en" else "(effacer)") in line for line in lines)  # the clear marker


# ---- names and French typography (sheet names within 31 characters; narrow no-break spaces)


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
