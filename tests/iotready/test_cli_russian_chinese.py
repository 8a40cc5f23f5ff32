"""The command line in Russian and Chinese (issue 24): ``--lang ru|zh``, the catalog's words, CLDR plurals."""

from __future__ import annotations

from pathlib import Path

import pytest

from answers.document import Answer
from questionnaires import load_questionnaire
from questionnaires.messages import t
from tests.iotready.test_cli import run
from tests.strategies import document

MINI = "tests/fixtures/mini"
Q = load_questionnaire(MINI)


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("IOTREADY_AS", raising=False)
    monkeypatch.setenv("IOTREADY_DATA_DIR", str(tmp_path / "data"))


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
