"""The questionnaire as an XLSForm and its Kobo/ODK submissions imported back (issue 23, point 5)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from answers.document import Answer
from assessment import db, service
from questionnaires import default_questionnaire
from questionnaires.messages import languages, separator, t
from questionnaires.references import question_number
from tests.iotready.test_cli import run


@pytest.fixture
def form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "form.xlsx"
    code, _out, err = run(monkeypatch, capsys, "questionnaire", "xlsform", "-o", str(path))
    assert code == 0, err
    return path


def _sheet(path: Path, name: str) -> list[dict[str, Any]]:
    ws = load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def test_pyxform_converts_the_xlsform_without_error_or_warning(form: Path, tmp_path: Path) -> None:
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=str(form), warnings=warnings)
    assert "<h:html" in result.xform and warnings == []


def test_the_xlsform_has_every_shipped_language_hints_skip_logic_and_number_ranges(form: Path) -> None:
    q = default_questionnaire()
    survey = {r["name"]: r for r in _sheet(form, "survey") if r["name"]}
    child = next(x for x in q.questions if x.depends_on)
    number = next(x for x in q.questions if x.type == "numeric")
    assert child.depends_on is not None and number.numeric is not None
    assert survey[child.id]["relevant"] == child.depends_on.relevant_expression()
    assert survey[number.id]["constraint"] == f". >= {number.numeric.min:g} and . <= {number.numeric.max:g}"
    first = q.questions[0]
    assert survey[first.id]["label::Français (fr)"].endswith(first.text.get("fr"))
    assert survey[first.id]["hint::English (en)"] == first.help.get("en")
    choices = {(r["list_name"], r["name"]): r for r in _sheet(form, "choices")}
    assert choices[("maturity5_dk", "dont_know")]["label::Français (fr)"] == "Ne sait pas"
    settings = _sheet(form, "settings")[0]
    assert settings["version"] == q.version


def test_the_context_indicator_is_asked_and_said_to_be_unscored(form: Path) -> None:
    """Issue 21, point 17: the IoT uptake baseline is in the form, numbered after its pillar, marked unscored."""
    from questionnaires.messages import t

    survey = {r["name"]: r for r in _sheet(form, "survey") if r["name"]}
    row = survey["spc_iot_connections_status"]  # "don't know" allowed: the status first, then the figure
    assert row["label::English (en)"].startswith("5.10 ")
    assert row["label::English (en)"].endswith(f"({t('context.label', 'en')})")
    assert row["label::Français (fr)"].endswith(f"({t('context.label', 'fr')})")
    assert survey["spc_iot_connections"]["constraint"] == ". >= 0 and . <= 1000"


def _submission(form: Path) -> tuple[dict[str, str], dict[str, Answer]]:
    """One submission built from the form's own field names (group/field), and the answers it stands for."""
    q = default_questionnaire()
    choices: dict[str, list[str]] = {}
    for r in _sheet(form, "choices"):
        choices.setdefault(r["list_name"], []).append(r["name"])
    fields: dict[str, str] = {}
    expected: dict[str, Answer] = {}
    group = ""
    na_done = dk_done = False
    for r in _sheet(form, "survey"):
        kind, name = r["type"] or "", r["name"] or ""
        if kind == "begin_group":
            group = name
            continue
        if kind == "end_group":
            group = ""
            continue
        key = f"{group}/{name}" if group else name
        if name == "country":
            fields[key] = "KEN"
        elif name == "cycle":
            fields[key] = "2025"
        elif q.has_question(name):
            question = q.question(name)
            if question.depends_on:  # skip logic: asked only when the parent is answered so
                continue
            if question.type == "scale":
                if question.allow_na and not na_done:
                    fields[key], na_done = "not_applicable", True
                    fields[f"{group}/{name}_justification"] = "Not a national competence"
                    expected[name] = Answer(not_applicable=True, justification="Not a national competence")
                    continue
                value = choices[kind.split()[1]][1]
                fields[key] = value
                expected[name] = Answer(value=value, evidence="Décret 7/2024")
                fields[f"{group}/{name}_evidence"] = "Décret 7/2024"
            elif question.type == "numeric":
                if question.allow_dont_know and not dk_done:
                    fields[f"{group}/{name}_status"], dk_done = "dont_know", True
                    expected[name] = Answer(dont_know=True)
                    continue
                assert question.numeric is not None
                fields[f"{group}/{name}_status"] = "answer"
                fields[key] = f"{question.numeric.max:g}"
                expected[name] = Answer(value=float(question.numeric.max))
            else:
                options = [o for o in choices[kind.split()[1]] if o != "none_of_these"]
                fields[f"{group}/{name}_status"] = "answer"
                fields[key] = " ".join(options[:2])
                expected[name] = Answer(value=options[:2])
    assert na_done and dk_done
    return fields, expected


def _saved(url: str) -> dict[str, Answer]:
    engine = db.connect(url)
    with Session(engine) as s:
        [row] = service.list_assessments(s)
        doc = service.get_document(s, row.id)
    engine.dispose()
    return dict(doc.answers)


@pytest.mark.parametrize("platform", ["kobo-csv", "odk-json"])
def test_a_submission_built_from_the_xlsform_field_names_imports_back_to_the_same_answers(
    platform: str, form: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fields, expected = _submission(form)
    if platform == "kobo-csv":  # KoboToolbox: ';'-separated, headers with the group path
        path = tmp_path / "submissions.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["start", *fields, "_id", "_uuid"], delimiter=";")
            writer.writeheader()
            writer.writerow({"start": "2026-12-01T10:00:00", **fields, "_id": "1", "_uuid": "x"})
    else:  # ODK Central OData JSON: groups are nested objects
        nested: dict[str, Any] = {"__id": "uuid:1", "__system": {"submitterName": "kenya"}}
        for key, value in fields.items():
            group, _, name = key.rpartition("/")
            (nested.setdefault(group, {}) if group else nested)[name] = value
        path = tmp_path / "submissions.json"
        path.write_text(json.dumps({"value": [nested]}), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    code, _out, err = run(monkeypatch, capsys, "import", str(path), "--yes")
    assert code == 0, err
    assert _saved(url) == expected


@pytest.mark.parametrize("lang", languages())
def test_a_value_the_tool_cannot_take_is_located_by_row_and_question_number_in_the_readers_language(
    lang: str, form: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fields, _ = _submission(form)
    q = default_questionnaire()
    number = next(x for x in q.questions if x.type == "numeric" and x.id + "_status" in
                  {k.rpartition("/")[2] for k, v in fields.items() if v == "answer"})
    key = next(k for k in fields if k.endswith("/" + number.id))
    path = tmp_path / "submissions.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields))
        writer.writeheader()
        writer.writerow(fields)
        writer.writerow({**fields, "country": "SEN", key: "lots"})
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, _out, err = run(monkeypatch, capsys, "import", str(path), "--yes", "--lang", lang)
    assert code == 2
    colon, comma = separator(":", lang), separator(",", lang)  # ": " / "：" in Chinese; ", " / "، " in Arabic
    numbered = t("problem.at_question", lang, number=question_number(q, number.id))
    where = f"{t('problem.at_row', lang, row=3)}{comma}{numbered}"
    assert f"{where}{colon}{number.id}{colon}{t('problem.number', lang)}" in err, err
    assert f"`{number.id}`" not in err  # the field named once, after the question's number
