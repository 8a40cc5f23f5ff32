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
