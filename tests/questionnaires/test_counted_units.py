"""A counted unit takes each language's CLDR plural form by the value (issue 24, points 4 and 7).

"1 contribution", "2 contributions", Russian "1 вклад", "2 вклада", "5 вкладов", Arabic's six forms: the YAML
carries the English and French singular (``numeric.unit_one``) beside the plural (``numeric.unit``), the content
catalogs of the four other languages a gettext plural entry with one form per CLDR category. The singular is
display-only, so the questionnaire stays 1.2.1 with the hash it shipped with (answers carry over unchanged).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from babel import Locale
from babel.messages.pofile import read_po

from answers.upgrade import plan_upgrade
from questionnaires import catalogs, default_questionnaire, load_questionnaire
from questionnaires.catalogs import CATALOG_DIR, CONTENT, po_path
from questionnaires.content_catalog import apply_translations
from questionnaires.languages import REGISTRY, language, plural_categories
from questionnaires.models import LABEL_COUNT, LANGUAGES, NumericSpec
from questionnaires.versions import archived_versions, load_version
from tests.questionnaires.test_plurals import EXPECTED, NUMBERS

Q = default_questionnaire()
COUNTED = {x.id: x.numeric for x in Q.all_questions if x.numeric is not None and x.numeric.counted}
SHIPPED_HASH = "14f663ec5fa28e42ec143291b27e3c57667d69eea4989a179bfb199202be3698"  # 1.2.1 as shipped
MINI = Path("tests/fixtures/mini")


def _forms(lang: str) -> dict[str, dict[str, str]]:
    """Each counted unit's forms by CLDR category, read straight from the content catalog (not the overlay)."""
    with po_path(lang, CATALOG_DIR, CONTENT).open("rb") as fh:
        entries = {m.context: m.string for m in read_po(fh) if m.context}
    out = {}
    for qid in COUNTED:
        string = entries[f"question.{qid}.numeric.unit"]
        assert isinstance(string, tuple), (lang, qid)  # a plural entry, msgstr[n]
        out[qid] = dict(zip(plural_categories(lang), string, strict=True))
    return out


def _spec(qid: str) -> NumericSpec:
    spec = COUNTED[qid]
    assert spec is not None
    return spec


def test_the_counted_units_are_the_three_counts() -> None:
    """Cities, contributions and connections (per 100 inhabitants) are counted; a percentage is not."""
    assert sorted(COUNTED) == ["coo_itu_contributions", "spc_iot_connections", "ssc_kpi_cities"]
    assert {x.id for x in Q.all_questions if x.numeric is not None} - set(COUNTED) == {
        "spc_lpwan_coverage", "v6_user_share"}


def test_1_2_1_keeps_its_shipped_hash() -> None:
    """The singular forms are display-only: no new version, 1.2.1's answers and hash stay as shipped."""
    assert Q.version == "1.2.1"
    assert Q.content_hash == SHIPPED_HASH


@pytest.mark.parametrize("lang", sorted(REGISTRY))
@pytest.mark.parametrize("qid", sorted(COUNTED))
def test_a_counted_unit_takes_the_form_of_its_cldr_category(qid: str, lang: str) -> None:
    """The property: every counted unit, every language, 0 1 2 3 5 11 21 100 101 1.5 -> Babel's category's form."""
    spec = _spec(qid)
    rule = Locale.parse(language(lang).locale).plural_form
    assert spec.unit_one is not None
    forms = {"one": spec.unit_one.get(lang), "other": spec.unit.get(lang)} if lang in LANGUAGES else _forms(lang)[qid]
    got = [spec.unit_for(n, lang) for n in NUMBERS]
    assert got == [forms.get(rule(n), forms["other"]) for n in NUMBERS]
    assert got == [forms.get(c, forms["other"]) for c in EXPECTED[lang]]


@pytest.mark.parametrize("lang", sorted(set(REGISTRY) - set(LANGUAGES)))
def test_every_form_of_a_counted_unit_is_filled_and_the_label_is_the_plain_plural(lang: str) -> None:
    for qid, forms in _forms(lang).items():
        assert all(forms.values()), (lang, qid)
        assert _spec(qid).unit.get(lang) == forms[Locale.parse(language(lang).locale).plural_form(LABEL_COUNT)]


def test_the_forms_each_language_tells_apart() -> None:
    spec = _spec("coo_itu_contributions")
    assert [spec.unit_for(n, "en") for n in (1, 2, 1.5)] == ["contribution", "contributions", "contributions"]
    assert [spec.unit_for(n, "fr") for n in (0, 1, 1.5, 2)] == ["contribution"] * 3 + ["contributions"]
    assert [spec.unit_for(n, "es") for n in (1, 2)] == ["contribución", "contribuciones"]
    assert [spec.unit_for(n, "ru") for n in (1, 2, 5, 21, 1.5)] == ["вклад", "вклада", "вкладов", "вклад", "вклада"]
    cities = _spec("ssc_kpi_cities")
    assert [cities.unit_for(n, "ar") for n in (0, 1, 2, 3, 11, 100)] == [
        "مدينة", "مدينة", "مدينتان", "مدن", "مدينةً", "مدينة"]
    assert cities.unit_for(1.0, "ru") == "город" and cities.unit_for(1.0000001, "ru") == "город"  # as written: "1"
    assert cities.unit_for(float("nan"), "ru") == cities.unit.get("ru") == "городов"  # no number: the label


def test_a_percentage_reads_the_same_for_every_value() -> None:
    share = Q.question("v6_user_share").numeric
    assert share is not None and not share.counted
    assert {share.unit_for(n, "ru") for n in NUMBERS} == {share.unit.get("ru")}


def test_a_missing_plural_form_is_missing_in_the_status(tmp_path: Path) -> None:
    """A counted unit with one form left empty is a missing entry, as any untranslated text (i18n status)."""
    directory = tmp_path / "i18n"
    directory.mkdir()
    shutil.copy(po_path("ru", CATALOG_DIR, CONTENT), directory)
    assert catalogs.status("ru", directory, CONTENT).complete
    path = po_path("ru", directory, CONTENT)
    cat = catalogs._read(path)
    msg = next(m for m in cat if m.context == "question.coo_itu_contributions.numeric.unit")
    msg.string = (msg.string[0], "", *msg.string[2:])  # the "few" form (2, 3, 4 вклада) left out
    catalogs._write(cat, path)
    result = catalogs.status("ru", directory, CONTENT)
    assert result.missing == ["question.coo_itu_contributions.numeric.unit"] and not result.complete


def test_a_changed_english_singular_is_stale_and_reads_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plural entry translates the English singular and plural: when either changes, the status says stale
    and the unit reads in English until a translator confirms it (as any changed text)."""
    monkeypatch.setenv("IOTREADY_CACHE_DIR", str(tmp_path / "cache"))
    directory = tmp_path / "i18n"
    directory.mkdir()
    shutil.copy(po_path("ru", CATALOG_DIR, CONTENT), directory)
    laid = apply_translations(load_questionnaire(translations=False), directory)
    assert [laid.question("ssc_kpi_cities").numeric.unit_for(n, "ru") for n in (1, 2, 5)] == [  # type: ignore
        "город", "города", "городов"]
    path = po_path("ru", directory, CONTENT)
    cat = catalogs._read(path)
    msg = next(m for m in cat if m.context == "question.ssc_kpi_cities.numeric.unit")
    msg.id = ("town", "cities")  # translated from another English singular
    catalogs._write(cat, path)
    assert catalogs.status("ru", directory, CONTENT).stale == ["question.ssc_kpi_cities.numeric.unit"]
    laid = apply_translations(load_questionnaire(translations=False), directory)
    assert [laid.question("ssc_kpi_cities").numeric.unit_for(n, "ru") for n in (1, 2, 5)] == [  # type: ignore
        "city", "cities", "cities"]


def _mini_with_unit_one(tmp_path: Path, one: dict[str, str] | None) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    for path in sorted((root / "questions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for question in data["questions"]:
            if question.get("numeric"):
                if one is None:
                    question["numeric"]["unit"] = {"en": "towns", "fr": "bourgs"}
                else:
                    question["numeric"]["unit_one"] = one
                path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
                return root
    raise AssertionError("the mini questionnaire has no numeric question")


def test_a_singular_changes_no_hash_but_the_unit_does(tmp_path: Path) -> None:
    before = load_questionnaire(MINI).content_hash
    with_one = load_questionnaire(_mini_with_unit_one(tmp_path / "a", {"en": "town", "fr": "bourg"}))
    assert with_one.content_hash == before
    assert any(x.numeric is not None and x.numeric.counted for x in with_one.all_questions)
    assert load_questionnaire(_mini_with_unit_one(tmp_path / "b", None)).content_hash != before


@pytest.mark.parametrize("version", [v for qid, v in archived_versions() if qid == Q.id])
def test_an_older_versions_answers_carry_over_as_before_the_singular(version: str) -> None:
    """Issue 24.7: upgrading 1.0.0-1.2.0 to 1.2.1 classifies every question as it did before the counted units
    (a singular is no change of meaning, so no answer goes "to review" and none is lost), and the older version
    still reads its unit in the catalog's languages (as a label: it is not counted there)."""
    old = load_version(Q.id, version, Q)
    assert old is not None
    plan = plan_upgrade(old, Q)
    for qid in COUNTED:
        if not old.has_question(qid):
            continue
        a, b = old.question(qid).numeric, _spec(qid)
        assert a is not None
        answered = [(x.unit.en, x.unit.fr, x.min, x.max, x.integer, x.thresholds) for x in (a, b)]
        [change] = [c for c in plan.changes if c.question_id == qid]
        assert ("numeric" in change.what) == (answered[0] != answered[1]), (version, qid, change.what)
        unit = old.question(qid).numeric
        assert unit is not None and not unit.counted
        if unit.unit.en == _spec(qid).unit.en:  # the same plural: the catalog's form for 5 ("вкладов")
            assert unit.unit.get("ru") == _forms("ru")[qid]["many"], (version, qid)
    assert not set(plan.of("removed")) & set(COUNTED)
