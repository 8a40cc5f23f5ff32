"""UI string catalogs: same keys and placeholders in every language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from questionnaires.messages import catalog, t


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_language_has_the_same_keys() -> None:
    assert set(catalog("en")) == set(catalog("fr"))


@pytest.mark.parametrize("key", sorted(catalog("en")))
def test_placeholders_match_across_languages(key: str) -> None:
    assert _fields(catalog("en")[key]) == _fields(catalog("fr")[key])


def test_user_text_passed_as_a_value_is_not_interpreted() -> None:
    assert t("cli.multi_full", "en", n="{0} %s <b>") == "Full score with {0} %s <b> or more selected."


def test_an_unknown_language_falls_back_to_english() -> None:
    assert t("tier", "xx") == "Tier"


def test_every_problem_code_in_the_code_has_a_message() -> None:
    root = Path(__file__).resolve().parents[2]
    used = {
        code
        for package in ("assessment", "exchange", "scoring", "compare")
        for path in (root / package).rglob("*.py")
        for code in re.findall(r'\breason\("([a-z_]+)"', path.read_text(encoding="utf-8"))
    }
    assert len(used) > 30
    assert sorted(c for c in used if f"problem.{c}" not in catalog("en")) == []


def test_every_refusal_by_state_has_its_advice() -> None:
    """The edit, import and upgrade refusals are named ``svc_<what>_<lock>`` (assessment.workflow.lock)."""
    for what in ("edit", "import", "upgrade"):
        for lock in ("submitted", "locked", "final"):
            assert f"problem.svc_{what}_{lock}" in catalog("en") and f"problem.svc_{what}_{lock}" in catalog("fr")


# A mark that is not punctuation of a sentence: a web address ("https:"), a time ("16:40"), code in backticks.
_NOT_PUNCTUATION = re.compile(r"https?:|\d:\d|`[^`]*`|\{[^}]*\}")


@pytest.mark.parametrize("key", sorted(catalog("fr")))
def test_french_puts_a_narrow_no_break_space_before_double_punctuation(key: str) -> None:
    """Issue 12.4: French typography, "Global : 41,4" with U+202F, so the mark never starts a line."""
    text = _NOT_PUNCTUATION.sub("", catalog("fr")[key])
    assert re.findall(r"(?<!\u202f)[:;!?]", text) == []


def test_english_has_no_space_before_its_punctuation() -> None:
    assert [k for k, v in catalog("en").items() if re.search(r"[ \u202f\u00a0][:;!?]", v)] == []


def test_code_joined_text_follows_the_same_rule() -> None:
    from questionnaires.messages import mark

    assert f"Global{mark(':', 'fr')} 41,4" == "Global\u202f: 41,4"
    assert f"Overall{mark(':', 'en')} 41.4" == "Overall: 41.4"
