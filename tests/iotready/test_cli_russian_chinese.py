"""The command line in Russian and Chinese (issue 24): ``--lang ru|zh``, the catalog's words, CLDR plurals."""

from __future__ import annotations

from pathlib import Path

import pytest

from answers.document import Answer
from questionnaires import load_questionnaire
from questionnaires.messages import t
from tests.iotready.test_cli import run
from tests.iotready.test_cli_users import _own_database  # noqa: F401  (autouse: each test its own database)
from tests.strategies import document

MINI = "tests/fixtures/mini"
Q = load_questionnaire(MINI)


def _stored(monkeypatch, capsys, tmp_path: Path, *countries: str) -> None:
    for iso3 in countries:
        path = tmp_path / f"{iso3}.json"
        doc = document(Q, {"v6_users": Answer(value=20.0)}, country=iso3, status="submitted")
        path.write_text(doc.model_dump_json(), encoding="utf-8")
        assert run(monkeypatch, capsys, "import", str(path), "-q", MINI)[0] == 0


@pytest.mark.parametrize(("lang", "countries", "expected"), [
    ("ru", ("SEN",), "1 оценка"),
    ("ru", ("SEN", "KEN", "RWA"), "3 оценки"),  # Russian "few"
    ("zh", ("SEN", "KEN"), "2项评估"),
])
def test_export_says_what_it_wrote_in_russian_and_chinese(monkeypatch, capsys, tmp_path: Path, lang: str,
                                                          countries: tuple[str, ...], expected: str) -> None:
    _stored(monkeypatch, capsys, tmp_path, *countries)
    dest = tmp_path / "out.json"
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-q", MINI, "--lang", lang)
    assert code == 0
    assert out.strip() == t("cli.exported", lang, n=len(countries), path=dest)
    assert expected in out and "assessment" not in out


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_the_variable_chooses_russian_and_chinese(monkeypatch, capsys, tmp_path: Path, lang: str) -> None:
    _stored(monkeypatch, capsys, tmp_path, "SEN")
    monkeypatch.setenv("IOTREADY_LANG", lang)
    dest = tmp_path / "out.json"
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-q", MINI)
    assert code == 0 and out.strip() == t("cli.exported", lang, n=1, path=dest)


def test_the_xlsform_carries_russian_and_chinese_columns(monkeypatch, capsys, tmp_path: Path) -> None:
    """XLSForm's multilingual columns name each offered language; pyxform's own check of the whole form runs in
    test_cli_xlsform (no error, no warning) on the same output."""
    from questionnaires import default_questionnaire
    from tests.iotready.test_cli_xlsform import _sheet

    path = tmp_path / "form.xlsx"
    assert run(monkeypatch, capsys, "questionnaire", "xlsform", "-o", str(path))[0] == 0
    q = default_questionnaire()
    first = q.questions[0]
    survey = {r["name"]: r for r in _sheet(path, "survey") if r["name"]}
    assert survey[first.id]["label::Русский (ru)"].endswith(first.text.get("ru"))
    assert survey[first.id]["label::中文 (zh)"].endswith(first.text.get("zh"))
    assert survey[first.id]["hint::中文 (zh)"] == first.help.get("zh") != first.help.en
    scale = q.scales[first.scale or ""]
    choices = {(r["list_name"], r["name"]): r for r in _sheet(path, "choices")}
    top = scale.options[-1]
    listed = choices[(survey[first.id]["type"].split()[-1], top.value)]  # "select_one <list>"
    assert listed["label::Русский (ru)"] == top.label.get("ru") != top.label.en
    assert listed["label::中文 (zh)"] == top.label.get("zh")


def test_the_open_data_names_member_states_in_russian_and_chinese(monkeypatch, capsys, tmp_path: Path) -> None:
    import csv

    from tests.iotready.test_cli_opendata import _stored as published

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    published(url)
    monkeypatch.setenv("DATABASE_URL", url)
    assert run(monkeypatch, capsys, "opendata", "-o", str(tmp_path / "open"), "-q", MINI)[0] == 0
    files = {p.name: p for p in (tmp_path / "open").rglob("*.csv")}
    rows = [r for name, p in files.items() for r in csv.DictReader(p.open(encoding="utf-8")) if "country_name_ru" in r]
    assert rows and (rows[0]["country_name_ru"], rows[0]["country_name_zh"]) == ("Кения", "肯尼亚")
    for name in ("pillars.csv", "tiers.csv"):
        header = next(csv.reader(files[name].open(encoding="utf-8")))
        assert {"name_ru", "name_zh", "description_ru", "description_zh"} <= set(header)
