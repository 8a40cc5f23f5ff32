"""How a logged "don't know" / "not applicable" flag reads in the history panel, in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionnaires.loader import load_questionnaire
from ui.history import _shown

MINI = load_questionnaire(Path(__file__).resolve().parents[1] / "fixtures" / "mini")


@pytest.mark.parametrize(
    ("field", "value", "lang", "shown"),
    [
        ("dont_know", True, "en", "Don't know: yes"),
        ("dont_know", True, "fr", "Ne sait pas\u202f: oui"),  # a narrow no-break space: the colon never starts a line
        ("dont_know", False, "ar", "لا أعرف: لا"),
    ],
)
def test_a_logged_flag_reads_as_its_name_then_yes_or_no_with_the_languages_colon(
    field: str, value: bool, lang: str, shown: str
) -> None:
    assert _shown(MINI, "pol_framework", field, value, lang) == shown
