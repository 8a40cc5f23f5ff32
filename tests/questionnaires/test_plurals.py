"""Counts take each language's CLDR plural form (Babel's rules), for every catalog key with a count (issue 24).

The expected categories are written out from CLDR's tables, and compared with Babel's ``Locale.plural_form``
too, so a change of rule or of how a count reaches the rule (1.5, 1.0, "1 940") shows here; every registered
language (not only the offered ones) is checked for every count key at 0, 1, 2, 3, 5, 11, 21, 100, 101 and 1.5.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel import Locale

from questionnaires import catalogs
from questionnaires.catalogs import group
from questionnaires.languages import REGISTRY, language, plural_categories
from questionnaires.messages import catalog, languages, pick, plural_form, t

NUMBERS = (0, 1, 2, 3, 5, 11, 21, 100, 101, 1.5)
EXPECTED = {  # CLDR 46, cldr.unicode.org "Language Plural Rules"
    "en": ("other", "one", "other", "other", "other", "other", "other", "other", "other", "other"),
    "fr": ("one", "one", "other", "other", "other", "other", "other", "other", "other", "one"),
    "ar": ("zero", "one", "two", "few", "few", "many", "many", "other", "other", "other"),
    "ru": ("many", "one", "few", "few", "many", "many", "one", "many", "one", "other"),
    "es": ("other", "one", "other", "other", "other", "other", "other", "other", "other", "other"),
    "zh": ("other",) * 10,
}
COUNT_KEYS = sorted(k for k, v in group(catalog("en")).items() if isinstance(v, dict))


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_babel_gives_each_language_its_cldr_category(lang: str) -> None:
    assert tuple(plural_form(n, lang) for n in NUMBERS) == EXPECTED[lang]
    assert tuple(Locale.parse(language(lang).locale).plural_form(n) for n in NUMBERS) == EXPECTED[lang]


def test_the_categories_each_language_has() -> None:
    assert [plural_categories(c) for c in ("ar", "en", "fr", "ru", "zh")] == [
        ("zero", "one", "two", "few", "many", "other"), ("one", "other"), ("one", "many", "other"),
        ("one", "few", "many", "other"), ("other",)]


def test_a_whole_float_counts_as_the_integer_and_a_written_count_is_read() -> None:
    assert plural_form(1.0, "en") == "one"
    assert t("cli.n_questions", "en", n="1") == "1 question"
    assert t("cli.n_questions", "fr", n="1\u202f940") == "1\u202f940 questions"


@pytest.mark.parametrize("n", ["²", "1²", "٣"])
def test_a_written_count_in_other_digits_takes_the_other_form_and_is_shown_as_given(n: str) -> None:
    """"²".isdigit() is True and int("²") raises: the count was read so, and the message crashed."""
    assert t("cli.n_questions", "en", n=n) == f"{n} questions"


def test_every_registered_language_has_its_cldr_table_here() -> None:
    """A seventh language registered without its row here fails, rather than going unchecked."""
    assert set(EXPECTED) == set(REGISTRY) >= set(languages())


@pytest.mark.parametrize("lang", sorted(REGISTRY))  # every registered language, so the offered ones too
@pytest.mark.parametrize("key", COUNT_KEYS)
def test_every_count_key_takes_the_form_of_its_category(key: str, lang: str) -> None:
    """The property of issue 24: for every key with a count and every language, the form ``t`` picks for each
    count is the catalog's form of Babel's CLDR category for that count (``other`` where the catalog has none)."""
    cat = catalog(lang)
    rule = Locale.parse(language(lang).locale).plural_form
    assert f"{key}.other" in cat  # the language says every count (i18n status checks the other forms)
    got = [pick(cat, key, lang, n) for n in NUMBERS]
    assert got == [cat.get(f"{key}.{rule(n)}", cat[f"{key}.other"]) for n in NUMBERS]
    assert got == [cat.get(f"{key}.{c}", cat[f"{key}.other"]) for c in EXPECTED[lang]]


def test_there_are_count_keys() -> None:
    assert len(COUNT_KEYS) > 50


def test_the_count_reaches_the_sentence() -> None:
    """French 1.5 is singular (CLDR: i = 0,1), English plural."""
    assert t("cli.n_questions", "fr", n=1.5) == "1.5 question"
    assert t("cli.n_questions", "en", n=1.5) == "1.5 questions"


FORMS = {
    "ar": {"zero": "لا ملفات", "one": "ملف واحد", "two": "ملفان", "few": "{n} ملفات", "many": "{n} ملفًا",
           "other": "{n} ملف"},
    "ru": {"one": "{n} файл", "few": "{n} файла", "many": "{n} файлов", "other": "{n} файла (дробь)"},
}


@pytest.mark.parametrize("lang", sorted(FORMS))
def test_arabic_and_russian_through_a_po_catalog(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The path a shipped language takes: YAML import -> PO (CLDR's forms) -> compiled dict -> the form by count."""
    monkeypatch.setenv("IOTREADY_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "en.yaml").write_text('files.one: "{n} file"\nfiles.other: "{n} files"\nhello: "Hello"\n',
                                      encoding="utf-8")
    given = "".join(f'files.{c}: "{text}"\n' for c, text in FORMS[lang].items()) + 'hello: "!"\n'
    (tmp_path / f"{lang}.yaml").write_text(given, encoding="utf-8")
    catalogs.import_yaml(lang, tmp_path / f"{lang}.yaml", tmp_path)
    po = (tmp_path / f"{lang}.po").read_text(encoding="utf-8")
    assert f"nplurals={len(FORMS[lang])};" in po
    assert catalogs.status(lang, tmp_path).complete
    cat = catalogs.compiled(lang, tmp_path)
    assert [pick(cat, "files", lang, n) for n in NUMBERS] == [FORMS[lang][c] for c in EXPECTED[lang]]
    assert REGISTRY[lang].direction == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize("key", COUNT_KEYS)
def test_a_french_singular_form_never_writes_the_number_one_for_zero(key: str) -> None:
    """French "one" covers 0 and 1 (and 1.5): a form that writes "1" itself says "1 document" for none."""
    singular = catalog("fr")[f"{key}.one"]
    assert "{n}" in singular or not any(ch.isdigit() for ch in singular), singular
