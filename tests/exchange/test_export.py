"""Exports of assessments: CSV (long), XLSX (scores, answers, metadata) and JSON (documents + scores)."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from answers.document import Answer
from answers.invisible import INVISIBLE
from compare import scores_frame
from exchange import export_csv, export_json, export_xlsx, read_export_json
from tests.compare.conftest import MINI, make_doc

DOCS = [make_doc(MINI, "KEN", 2024, level=0.25), make_doc(MINI, "KEN", 2025, level=0.75),
        make_doc(MINI, "ETH", 2025, level=0.5)]


def test_json_export_reparses_to_the_same_documents() -> None:
    assert read_export_json(export_json(MINI, DOCS)) == DOCS


def test_json_export_carries_the_scores() -> None:
    payload = json.loads(export_json(MINI, DOCS))
    frame = scores_frame(MINI, DOCS)
    assert [a["scores"]["overall"] for a in payload["assessments"]] == frame["overall"].tolist()
    assert payload["assessments"][0]["scores"]["pillars"]["ipv6"]["score"] == frame["score_ipv6"].iloc[0]


def test_json_export_says_whether_it_is_illustrative() -> None:
    docs = [d.model_copy(update={"illustrative": True}) for d in DOCS]
    assert json.loads(export_json(MINI, docs))["illustrative"] is True


def test_read_export_json_refuses_another_format() -> None:
    with pytest.raises(ValueError, match="not an iotready-export"):
        read_export_json(b'{"format": "something"}')


def test_csv_has_one_row_per_country_cycle_and_question() -> None:
    frame = pd.read_csv(io.BytesIO(export_csv(MINI, DOCS)), encoding="utf-8-sig")
    assert len(frame) == len(DOCS) * len(MINI.questions)
    assert not frame.duplicated(["country", "cycle", "question_id"]).any()


def test_csv_multi_select_values_are_joined() -> None:
    frame = pd.read_csv(io.BytesIO(export_csv(MINI, DOCS)), encoding="utf-8-sig", keep_default_na=False)
    row = frame[(frame["country"] == "KEN") & (frame["cycle"] == 2025) & (frame["question_id"] == "pol_elements")]
    assert row["value"].item() == "licensing;numbering"


def test_text_that_looks_like_a_formula_is_defused() -> None:
    doc = make_doc(MINI, "KEN", answers={"pol_framework": Answer(value="none", evidence="=HYPERLINK(\"x\")")})
    frame = pd.read_csv(io.BytesIO(export_csv(MINI, [doc])), encoding="utf-8-sig", keep_default_na=False)
    assert frame.loc[frame["question_id"] == "pol_framework", "evidence"].item() == "'=HYPERLINK(\"x\")"


def test_xlsx_has_scores_answers_and_metadata_sheets() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(export_xlsx(MINI, DOCS)))
    assert wb.sheetnames == ["scores", "answers", "metadata"]
    assert wb["scores"].max_row == len(DOCS) + 1
    assert wb["answers"].max_row == len(DOCS) * len(MINI.questions) + 1


def test_xlsx_metadata_names_the_questionnaire_and_the_illustrative_flag() -> None:
    meta = pd.read_excel(io.BytesIO(export_xlsx(MINI, DOCS, filters={"group": "ldc"})), sheet_name="metadata")
    row = meta.iloc[0].to_dict()
    assert (row["questionnaire_id"], row["questionnaire_version"], row["illustrative"]) == ("mini", "0.1.0", False)
    assert json.loads(row["filters"]) == {"group": "ldc"}


def test_mixing_illustrative_and_real_is_refused() -> None:
    docs = [DOCS[0], DOCS[1].model_copy(update={"illustrative": True})]
    for export in (export_csv, export_xlsx, export_json):
        with pytest.raises(ValueError, match="never exported together"):
            export(MINI, docs)


def test_xlsx_keeps_formula_like_text_as_text() -> None:
    doc = make_doc(MINI, "KEN", answers={"pol_framework": Answer(value="none", evidence="=HYPERLINK(\"x\")")})
    ws = openpyxl.load_workbook(io.BytesIO(export_xlsx(MINI, [doc])))["answers"]
    evidence_col = [c.value for c in ws[1]].index("evidence") + 1
    cell = ws.cell(row=2, column=evidence_col)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"x\")", "s")


def test_xlsx_drops_control_characters_that_xlsx_cannot_store() -> None:
    # Refused in new answers since issue 10; rows stored before (or edited by hand) may still hold one.
    stored = Answer.model_construct(value="none", comment="line\x0bbreak")
    doc = make_doc(MINI, "KEN", answers={"pol_framework": stored})
    ws = openpyxl.load_workbook(io.BytesIO(export_xlsx(MINI, [doc])))["answers"]
    comment_col = [c.value for c in ws[1]].index("comment") + 1
    assert ws.cell(row=2, column=comment_col).value == "linebreak"


def test_exports_drop_bidi_overrides_and_invisible_characters() -> None:
    """Text stored before they were removed on entry must not reorder a cell in a spreadsheet either."""
    stored = Answer.model_construct(value="none", comment="10\u202e01\u202c \u200bok", evidence="\u2066a\u2069")
    doc = make_doc(MINI, "KEN", answers={"pol_framework": stored})
    ws = openpyxl.load_workbook(io.BytesIO(export_xlsx(MINI, [doc])))["answers"]
    header = [c.value for c in ws[1]]
    row = {h: ws.cell(row=2, column=i + 1).value for i, h in enumerate(header)}
    assert (row["comment"], row["evidence"]) == ("1001 ok", "a")
    text = export_csv(MINI, [doc]).decode("utf-8-sig")
    assert "1001 ok" in text
    assert not INVISIBLE.search(text)


def test_the_context_indicator_is_exported_beside_the_scores_never_as_one() -> None:
    """Issue 21, point 17: its figure in every export, marked unscored, with no score or points."""
    from pathlib import Path

    from answers.document import AnswersDocument
    from questionnaires import default_questionnaire

    q = default_questionnaire()
    doc = AnswersDocument.model_validate_json(
        (Path(__file__).resolve().parents[2] / "examples" / "illustrative-RWA-2025.json").read_text())
    figure = doc.answers["spc_iot_connections"].value
    frame = pd.read_csv(io.BytesIO(export_csv(q, [doc])), encoding="utf-8-sig")
    row = frame[frame["question_id"] == "spc_iot_connections"]
    assert float(row["value"].item()) == figure and not row["scored"].item()
    assert row[["question_score", "points", "max_points"]].isna().all(axis=None)
    assert frame[frame["question_id"] != "spc_iot_connections"]["scored"].all()
    assert len(frame) == len(q.questions) + len(q.context)
    scores = pd.read_excel(io.BytesIO(export_xlsx(q, [doc])), sheet_name="scores")
    assert scores["context_spc_iot_connections"].item() == figure
    payload = json.loads(export_json(q, [doc]))["assessments"][0]
    assert payload["context"] == {"spc_iot_connections": figure}
    assert "spc_iot_connections" not in json.dumps(payload["scores"])
