"""The command line in Arabic (issue 24): catalog words, the questionnaire's Arabic content, Western digits.

ITU's Arabic documents and CLDR's ``ar`` (numbering system ``latn``) write 0-9 with "." and ",": no
Arabic-Indic digit (U+0660-U+0669) nor extended one (U+06F0-U+06F9) may appear in a number.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questionnaires import default_questionnaire
from questionnaires.messages import t
from tests.iotready.test_cli import run
from tests.strategies import all_answers

ARABIC_INDIC_DIGIT = re.compile(r"[\u0660-\u0669\u06f0-\u06f9\u066b\u066c\u066a]")


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("IOTREADY_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.parametrize("how", ["option", "variable", "locale"])
def test_score_speaks_arabic_with_western_digits(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], tmp_path: Path, how: str) -> None:
    q = default_questionnaire()
    path = tmp_path / "answers.json"
    path.write_text(all_answers(q, "best").model_dump_json(), encoding="utf-8")
    args = ["score", str(path), "-f", "md"]
    if how == "option":
        args += ["--lang", "ar"]
    elif how == "variable":
        monkeypatch.setenv("IOTREADY_LANG", "ar")
    else:
        monkeypatch.setenv("LANG", "ar_EG.UTF-8")
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 0, err
    assert q.pillars[0].name.get("ar") in out and q.pillars[0].name.en not in out
    assert t("overall", "ar") in out
    assert "100.0" in out and "100%" in out  # the overall score and the completeness, in Western digits
    assert ARABIC_INDIC_DIGIT.findall(out) == []
