"""The command line's reading language: --lang, else IOTREADY_LANG, else the POSIX locale, else English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from iotready.lang import default_lang


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"IOTREADY_LANG": "fr"}, "fr"),
    ({"IOTREADY_LANG": "FR "}, "fr"),
    ({"IOTREADY_LANG": "en", "LC_ALL": "fr_FR.UTF-8"}, "en"),  # the tool's own variable wins over the locale
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "fr_CA"}, "fr"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_MESSAGES": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),  # LC_MESSAGES before LANG
    ({"LC_ALL": "C.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "en"),  # LC_ALL, when set, decides alone
    ({"LC_ALL": "", "LANG": "fr_FR.UTF-8"}, "fr"),  # an empty variable is not set
    ({"IOTREADY_LANG": "de", "LANG": "fr_FR.UTF-8"}, "fr"),  # an unknown language is ignored
])
def test_default_language_follows_the_variable_then_the_locale(environ: dict[str, str], expected: str) -> None:
    assert default_lang(environ) == expected


HEDGE = re.compile(r"\w\((?:s|es|x|e|nt)\)")


@pytest.mark.parametrize("module", sorted(Path("iotready").glob("*.py")), ids=lambda p: p.name)
def test_no_string_in_the_command_line_hedges_its_plural(module: Path) -> None:
    """"assessment(s)": every count picks its plural from the catalog (``key.one`` / ``key.other``)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert strings, "no string found: the test reads the wrong files"
    assert [s for s in strings if HEDGE.search(s)] == []


@pytest.mark.parametrize(("environ", "expected"), [
    ({"IOTREADY_LANG": "es"}, "es"),
    ({"LANG": "es_ES.UTF-8"}, "es"),
    ({"LC_ALL": "es_419"}, "es"),
    ({"LANG": "estonian"}, "en"),  # not a language code followed by a territory or encoding
])
def test_spanish_is_chosen_by_the_variable_or_the_locale(environ: dict[str, str], expected: str) -> None:
    assert default_lang(environ) == expected


def test_the_lang_option_offers_the_offered_languages() -> None:
    from iotready.lang import Lang
    from questionnaires.messages import languages

    assert sorted(Lang.__members__) == sorted(languages())


@pytest.mark.parametrize(("environ", "expected"), [
    ({"IOTREADY_LANG": "ar"}, "ar"),
    ({"LANG": "ar_EG.UTF-8"}, "ar"),
    ({"LC_ALL": "ar_MA"}, "ar"),
    ({"LANG": "arabic"}, "en"),  # not a language code followed by a territory or encoding
])
def test_arabic_is_chosen_by_the_variable_or_the_locale(environ: dict[str, str], expected: str) -> None:
    assert default_lang(environ) == expected
