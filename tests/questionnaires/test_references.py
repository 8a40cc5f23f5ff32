"""Question numbers, clause citations and ITU titles: what readers see instead of internal ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from questionnaires import Questionnaire, QuestionnaireError, default_questionnaire, load_questionnaire
from questionnaires.messages import t
from questionnaires.references import clause_reference, material_title, materials_text, question_number

MINI = Path("tests/fixtures/mini")


@pytest.fixture(scope="module")
def shipped() -> Questionnaire:
    return default_questionnaire()


def test_question_numbers_are_pillar_then_position(shipped: Questionnaire) -> None:
    for p, pillar in enumerate(shipped.pillars, start=1):
        numbers = [question_number(shipped, q.id) for q in shipped.questions_in(pillar.id)]
        assert numbers == [f"{p}.{i}" for i in range(1, len(numbers) + 1)]


@pytest.mark.parametrize(
    ("clause_id", "fr", "en"),
    [
        ("instructs-bdt-3", "charge le Directeur du BDT, 3)", "instructs the Director of BDT, 3"),
        ("recalling-k", "rappelant k)", "recalling k)"),
        ("resolves-1", "décide 1)", "resolves 1"),
        ("invites-ms-2", "invite les États Membres, 2)", "invites Member States, 2"),
        ("instructs-br-1", "charge le Directeur du BR", "instructs the Director of BR"),  # its only item
        ("bearing-in-mind-f", "gardant à l'esprit f)", "bearing in mind f)"),
    ],
)
def test_clauses_are_cited_as_the_resolution_writes_them(shipped: Questionnaire, clause_id: str, fr: str,
                                                          en: str) -> None:
    assert clause_reference(shipped, clause_id, "fr") == fr
    assert clause_reference(shipped, clause_id, "en") == en


@pytest.mark.parametrize(("clause_id", "letter"), [("recalling-k", "ك)"), ("bearing-in-mind-f", "و)"),
                                                   ("considering-g", "ز)"), ("recalling-e", "هـ)")])
def test_arabic_cites_lettered_paragraphs_with_arabic_letters_in_abjad_order(shipped: Questionnaire, clause_id: str,
                                                                            letter: str) -> None:
    """ITU's Arabic texts letter paragraphs أ) ب) ج) د) هـ)...: a Latin "k)" in an Arabic citation reads foreign."""
    cited = clause_reference(shipped, clause_id, "ar")
    assert cited.endswith(f" {letter}") and not any("a" <= c <= "z" for c in cited)
    assert clause_reference(shipped, "instructs-bdt-3", "ar").endswith("، 3")  # numbered ones keep their number


def test_every_clause_has_a_citation_in_both_languages_without_its_id(shipped: Questionnaire) -> None:
    for clause in shipped.clauses:
        for lang in ("en", "fr"):
            cited = clause_reference(shipped, clause.id, lang)
            assert clause.id not in cited and "{label}" not in cited
    assert len({clause_reference(shipped, c.id, "fr") for c in shipped.clauses}) == len(shipped.clauses)


def test_every_material_named_by_a_rule_has_its_french_text(shipped: Questionnaire) -> None:
    named = {m for rule in shipped.rules for m in rule.materials}
    assert named - set(shipped.materials) == set()
    assert set(shipped.materials) - named == set(), "materials.yaml lists a material no rule names"


def test_materials_show_the_french_title_or_say_the_title_is_english(shipped: Questionnaire) -> None:
    y4200 = "Recommendation ITU-T Y.4200 (Requirements for the interoperability of smart city platforms)"
    assert material_title(shipped, y4200, "fr").startswith("Recommandation UIT-T Y.4200 (Prescriptions")
    assert material_title(shipped, y4200, "en") == y4200
    unknown = "A report ITU has not translated"
    assert material_title(shipped, unknown, "fr") == t("material.english_title", "fr", title=unknown)
    assert "(titre en anglais)" in material_title(shipped, unknown, "fr")
    assert materials_text(shipped, [y4200, unknown], "en") == f"{y4200}; {unknown}"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def _problems(folder: Path) -> str:
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(folder)
    return "\n".join(info.value.problems)


def test_a_section_without_its_citation_is_a_load_error(mini: Path) -> None:
    path = mini / "clause_sections.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"] = [s for s in data["sections"] if s["section"] != "recognizing"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "clause_sections.yaml: sections: no citation for the clause map's section `recognizing`" in _problems(mini)


def test_a_citation_missing_its_french_is_named(mini: Path) -> None:
    path = mini / "clause_sections.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["sections"][0]["fr"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "clause_sections.yaml: sections > entry #1 > fr: Field required" in _problems(mini)


def test_the_citations_file_is_required(mini: Path) -> None:
    (mini / "clause_sections.yaml").unlink()
    assert "clause_sections.yaml: file not found" in _problems(mini)


def test_the_materials_file_is_optional_and_checked_when_present(mini: Path) -> None:
    assert load_questionnaire(mini).materials == {}
    (mini / "materials.yaml").write_text("type: materials\nmaterials:\n  - en: ITU Academy\n    fr: 12\n",
                                         encoding="utf-8")
    assert "materials.yaml: materials > entry #1 > fr" in _problems(mini)
