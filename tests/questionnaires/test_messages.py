"""UI string catalogs: same keys and placeholders in every language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from formatting.numbers import fmt_count
from questionnaires.catalogs import group
from questionnaires.languages import plural_categories
from questionnaires.messages import catalog, languages, plural_form, t


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _expected_keys(lang: str) -> set[str]:
    """The English keys, a count's forms as ``lang`` has them (French adds CLDR's "many": 1 000 000 de)."""
    source = group(catalog("en"))
    return {f"{key}.{c}" for key, text in source.items() if isinstance(text, dict)
            for c in plural_categories(lang)} | {key for key, text in source.items() if isinstance(text, str)}


@pytest.mark.parametrize("lang", sorted(languages()))
def test_every_language_has_the_same_keys(lang: str) -> None:
    assert set(catalog(lang)) == _expected_keys(lang)


@pytest.mark.parametrize("key", sorted(catalog("fr")))
def test_placeholders_match_across_languages(key: str) -> None:
    english = catalog("en").get(key) or catalog("en")[f"{key.rpartition('.')[0]}.other"]
    assert _fields(english) == _fields(catalog("fr")[key])


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
    assert sorted(c for c in used if not {f"problem.{c}", f"problem.{c}.one"} & catalog("en").keys()) == []


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


@pytest.mark.parametrize("key", sorted(catalog("fr")))
def test_french_guillemets_hold_a_narrow_no_break_space_inside(key: str) -> None:
    """« sans objet » with U+202F inside the guillemets, so a quotation mark never stands alone at a line's end."""
    text = catalog("fr")[key]
    assert re.findall(r"«(?!\u202f)|(?<!\u202f)»", text) == []


def test_english_has_no_space_before_its_punctuation() -> None:
    assert [k for k, v in catalog("en").items() if re.search(r"[ \u202f\u00a0][:;!?]", v)] == []


def test_code_joined_text_follows_the_same_rule() -> None:
    from questionnaires.messages import mark

    assert f"Global{mark(':', 'fr')} 41,4" == "Global\u202f: 41,4"
    assert f"Overall{mark(':', 'en')} 41.4" == "Overall: 41.4"


@pytest.mark.parametrize(("lang", "marks", "separators"), [
    ("en", ":;,!?", [": ", "; ", ", ", "! ", "? "]),
    ("fr", "\u202f:\u202f;,\u202f!\u202f?", ["\u202f: ", "\u202f; ", ", ", "\u202f! ", "\u202f? "]),
    ("ar", ":\u061b\u060c!\u061f", [": ", "\u061b ", "\u060c ", "! ", "\u061f "]),  # its own ; , ? (and Latin : !)
    ("zh", "\uff1a\uff1b\uff0c\uff01\uff1f", ["\uff1a", "\uff1b", "\uff0c", "\uff01", "\uff1f"]),  # full width
])
def test_each_language_writes_the_marks_the_code_joins_in_its_own_form_and_spaces_them_as_it_does(
    lang: str, marks: str, separators: list[str]
) -> None:
    """Chinese writes "：" (full width, holding its own space): the code joined "名称: 值" with an ASCII colon."""
    from questionnaires.messages import mark, separator

    assert "".join(mark(sign, lang) for sign in ":;,!?") == marks
    assert [separator(sign, lang) for sign in ":;,!?"] == separators


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("en", 0, "0 of 5 questions answered"), ("en", 1, "1 of 5 questions answered"),
    ("en", 2, "2 of 5 questions answered"),
    ("fr", 0, "0 question sur 5 répondue"), ("fr", 1, "1 question sur 5 répondue"),
    ("fr", 2, "2 questions sur 5 répondues"),
])
def test_counts_take_the_plural_of_the_readers_language(lang: str, n: int, expected: str) -> None:
    assert t("ui.assess.progress", lang, n=n, total=5, step=1, steps=3).startswith(expected)


def test_plural_rules_differ_for_zero() -> None:
    """French writes 0 in the singular, English in the plural; both write 1 in the singular."""
    assert [plural_form(n, "fr") for n in (0, 1, 2, 10)] == ["one", "one", "other", "other"]
    assert [plural_form(n, "en") for n in (0, 1, 2, 10)] == ["other", "one", "other", "other"]


def test_every_plural_key_has_both_forms_in_both_languages() -> None:
    for lang in ("en", "fr"):
        keys = catalog(lang)
        bases = {k.rsplit(".", 1)[0] for k in keys if k.endswith(".one")}
        assert bases, "no plural keys"
        assert all(f"{b}.other" in keys and b not in keys for b in bases), lang


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_catalog_string_hedges_its_plural(lang: str) -> None:
    """"problem(s)", "enregistrée(s)": a count picks ``key.one`` / ``key.other`` (or a "label: n" form) instead."""
    hedged = {k: v for k, v in catalog(lang).items() if re.search(r"\w\((?:s|es|x|e|nt)\)", v)}
    assert hedged == {}


def test_a_plain_key_ignores_the_count() -> None:
    assert t("pdf.page", "fr", n=1, total=3) == "Page 1 sur 3"



@pytest.mark.parametrize(("n", "form"), [("1", "{n} question est"), ("1\u202f200", "questions sont")])
def test_a_count_given_as_formatted_text_still_picks_its_plural(n: str, form: str) -> None:
    """A :class:`Reason` keeps its values as text, numbers formatted: the plural still follows the count."""
    assert form.format(n=n) in t("ui.assess.confirm_review", "fr", n=n)



@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "1,000 changes"), ("fr", "1\u202f000 changements"), ("es", "1.000 cambios"),
    ("ru", "1\u00a0000 изменений"), ("zh", "1,000项更改"), ("ar", "1,000 تغيير"),
])
def test_a_count_grouped_in_thousands_as_each_language_writes_it_picks_its_plural(lang: str, expected: str) -> None:
    """Spanish groups thousands with a point ("1.000"): the count is still read, not the catalog key shown."""
    assert t("ui.plan.n_changes", lang, n=fmt_count(1000, lang)) == expected
