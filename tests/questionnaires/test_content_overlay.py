"""The content catalogs laid over the questionnaire at load time (issue 24): the four languages the YAML does not
carry read their questions, clauses, materials... from ``content-<lang>.po``, never changing a hash or a score."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from answers.document import Answer
from questionnaires import catalogs, load_questionnaire
from questionnaires.catalogs import CATALOG_DIR, po_path
from questionnaires.content_catalog import apply_translations, content_entries
from questionnaires.languages import plural_categories, plural_category
from questionnaires.loader import Questionnaire
from questionnaires.models import LABEL_COUNT
from questionnaires.references import clause_reference, material_title
from recommendations import recommend
from scoring.engine import score
from tests.strategies import all_answers, document, worst_value


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOTREADY_CACHE_DIR", str(tmp_path / "cache"))


def _po(lang: str, directory: Path = CATALOG_DIR) -> dict[str, str]:
    """The catalog's translations by path, read straight from the PO file (not through the overlay's cache); a
    counted unit's plural entry by the form it is named with without a value (``LABEL_COUNT``'s category)."""
    label = plural_categories(lang).index(plural_category(LABEL_COUNT, lang))
    with po_path(lang, directory, catalogs.CONTENT).open("rb") as fh:
        return {m.context: m.string if isinstance(m.string, str) else m.string[label]
                for m in read_po(fh) if m.context and m.string is not None}


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire()


def test_a_question_reads_in_spanish(q: Questionnaire) -> None:
    question = q.all_questions[0]
    spanish = _po("es")[f"question.{question.id}.text"]
    assert spanish and spanish != question.text.en
    assert question.text.get("es") == spanish
    assert question.text.get("en") == question.text.en and question.text.get("fr").startswith(question.text.fr[:10])


def test_every_text_of_the_content_catalog_reaches_the_questionnaire(q: Questionnaire) -> None:
    """Tiers, scales, pillars, rules, consistency messages, sections: every path of the catalog, in all four."""
    for lang in ("ar", "es", "ru", "zh"):
        po = _po(lang)
        shown = _shown(q, lang)
        assert set(shown) == set(content_entries(q))
        missing = [path for path, text in shown.items() if text != po[path]]
        assert missing == [], (lang, missing[:5])


def _shown(q: Questionnaire, lang: str) -> dict[str, str]:
    from questionnaires.content_catalog import _texts

    out: dict[str, str] = {}
    for path, text in _texts(q):
        out.setdefault(path, text.get(lang))
    out.update({f"clause.{c.id}.text": c.text(lang) for c in q.clauses})
    out.update({f"material.{k}": material_title(q, k, lang) for k in q.materials})
    return out


def test_a_clause_reads_in_spanish_and_is_cited_in_spanish(q: Questionnaire) -> None:
    clause = q.clause_map["instructs-bdt-3"]
    spanish = _po("es")["clause.instructs-bdt-3.text"]
    assert clause.text("es") == spanish != clause.text_en
    assert clause.text("fr") == clause.text_fr
    assert clause_reference(q, "instructs-bdt-3", "es").startswith("encarga al Director de la BDT")


def test_a_recommendation_and_a_tier_read_in_russian(q: Questionnaire) -> None:
    doc = all_answers(q, "worst")
    recs = recommend(q, score(q, doc))
    assert recs
    po = _po("ru")
    assert recs[0].text("ru") == po[f"rule.{recs[0].rule_id}.action"]
    assert q.tiers[0].name.get("ru") == po[f"tier.{q.tiers[0].id}.name"]


def test_the_overlay_changes_no_hash_and_no_score() -> None:
    with_it = load_questionnaire()
    without = load_questionnaire(translations=False)
    question = with_it.all_questions[0]
    assert question.text.get("es") != without.all_questions[0].text.get("es") == question.text.en
    assert with_it.content_hash == without.content_hash
    answers = {x.id: Answer(value=worst_value(with_it, x)) for x in with_it.questions[::2]}
    for doc in (all_answers(with_it, "best"), all_answers(with_it, "worst"), document(with_it, answers)):
        assert score(with_it, doc).model_dump() == score(without, doc).model_dump()


def _catalog_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "i18n"
    directory.mkdir()
    shutil.copy(po_path("es", CATALOG_DIR, catalogs.CONTENT), directory)
    return directory


def test_an_obsolete_path_is_ignored_and_a_changed_source_falls_back_to_english(tmp_path: Path) -> None:
    directory = _catalog_dir(tmp_path)
    path = po_path("es", directory, catalogs.CONTENT)
    q = load_questionnaire(translations=False)
    first, second = q.all_questions[0], q.all_questions[1]
    text = path.read_text(encoding="utf-8")
    text = text.replace(f'msgctxt "question.{first.id}.text"', 'msgctxt "question.gone_for_good.text"')
    old = f'msgctxt "question.{second.id}.text"\nmsgid "'
    assert old in text
    text = text.replace(old, old + "Reworded since: ")  # translated from an English text that has changed
    text += '\n#~ msgctxt "question.retired.text"\n#~ msgid "Old"\n#~ msgstr "Viejo"\n'
    path.write_text(text, encoding="utf-8")
    apply_translations(q, directory)
    assert first.text.get("es") == first.text.en  # its entry now names a path the questionnaire lacks
    assert second.text.get("es") == second.text.en  # stale: English until a translator confirms it
    assert q.all_questions[2].text.get("es") == _po("es")[f"question.{q.all_questions[2].id}.text"]


def test_a_language_without_a_content_catalog_reads_english(tmp_path: Path) -> None:
    directory = _catalog_dir(tmp_path)
    q = apply_translations(load_questionnaire(translations=False), directory)
    question = q.all_questions[0]
    assert question.text.get("ru") == question.text.en
    assert question.text.get("es") != question.text.en
    assert q.clause_map["instructs-bdt-3"].text("zh") == q.clause_map["instructs-bdt-3"].text_en


def test_the_catalogs_are_parsed_once_then_read_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    import babel.messages.pofile as pofile

    parsed: list[str] = []
    real = pofile.read_po

    def counting(fh, *args, **kwargs):
        parsed.append("po")
        return real(fh, *args, **kwargs)

    monkeypatch.setattr(pofile, "read_po", counting)
    load_questionnaire()
    assert len(parsed) == 4  # ar, es, ru, zh: once each
    second = load_questionnaire()
    assert len(parsed) == 4  # the next load reads the compiled JSON
    assert second.all_questions[0].text.get("zh") != second.all_questions[0].text.en
