"""A built workbook reads back to the same answers (exchange.workbook.writer, then reader)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.document import Answer, AnswersDocument, blank_document
from exchange import build_workbook, read_workbook
from exchange.workbook import SETTINGS, SHEETS, sheet_names
from questionnaires import default_questionnaire
from questionnaires.messages import languages
from tests.compare.conftest import MINI, make_doc
from tests.exchange.helpers import COL, edit, set_cell, set_setting
from tests.strategies import answer_strategy

BLANK = build_workbook(MINI, "en", country="KEN", cycle=2025)


# ---- layout


def test_the_shipped_questionnaire_builds_and_reads_back_blank() -> None:
    q = default_questionnaire()
    doc = read_workbook(q, build_workbook(q, "fr", country="SEN", cycle=2026))
    assert doc == blank_document(q, "SEN", 2026).model_copy(update={"answers": {}})  # blank rows say nothing


# ---- round trip


TEXT = st.one_of(
    st.none(),
    # No format nor unassigned characters (Cf, Cn: zero-width, bidi, the tag block): a validated answer never holds
    # them (answers.invisible), and model_copy below does not validate.
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cn", "Cs", "Zl", "Zp")), min_size=1,
            max_size=40)
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


@pytest.mark.parametrize("lang", languages())
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


# ---- easier to fill in (issue 11, point 9) and never a silent blank (point 2)


def test_a_french_workbook_reads_back_with_french_sheet_names_and_keys() -> None:
    fr = build_workbook(MINI, "fr", country="FJI", cycle=2024)
    data = edit(fr, set_cell(MINI, "v6_users", "answer", "12,5"))
    data = edit(data, set_setting("objectif\u202f: Adoption de l'IPv6", "En progression"))  # a tier by its name
    doc = read_workbook(MINI, data)
    assert (doc.country, doc.cycle, doc.answers["v6_users"].value) == ("FJI", 2024, 12.5)
    assert doc.targets == {"ipv6": "advancing"}


def test_the_review_flag_column_round_trips() -> None:
    data = edit(BLANK, set_cell(MINI, "v6_users", "review", "oui"))
    assert read_workbook(MINI, data).answers["v6_users"] == Answer(review=True)


# ---- names and French typography (sheet names within 31 characters; narrow no-break spaces)


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


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_context_indicator_is_asked_marked_unscored_and_read_back(lang: str) -> None:
    """Issue 21, point 17: the offline workbook asks the IoT uptake baseline last in its pillar, says it is not
    scored, and gives its figure back on reading."""
    from pathlib import Path

    from questionnaires.messages import t
    from tests.exchange.helpers import pillar_sheet

    q = default_questionnaire()
    example = Path(__file__).resolve().parents[3] / "examples" / "illustrative-RWA-2025.json"
    doc = AnswersDocument.model_validate_json(example.read_text(encoding="utf-8"))
    data = build_workbook(q, lang, doc)
    ws = pillar_sheet(openpyxl.load_workbook(io.BytesIO(data)), q, "spectrum_connectivity")
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "spc_iot_connections"
    assert str(last[1]).startswith("5.10 ") and str(last[1]).endswith(f"({t('context.label', lang)})")
    assert read_workbook(q, data).answers["spc_iot_connections"] == doc.answers["spc_iot_connections"]
