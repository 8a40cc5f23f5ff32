"""Methodology: the questionnaire by pillar, weights, tiers, scales and the clause → question matrix."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from questionnaires.messages import t
from questionnaires.panel import PanelWeight, write_panel
from questionnaires.references import clause_reference
from tests.localization import OTHER_LANGUAGES, code_like_tokens, english_leaks, html_tables, wrong_decimals
from tests.ui.conftest import MINI, Env, open_page, switch_language, texts


def test_questions_are_browsable_by_pillar(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    assert not at.exception
    assert [e.label for e in at.expander] == [
        f"1.{i} {q.text.en}" for i, q in enumerate(env.questionnaire.questions_in("policy_regulation"), start=1)
    ]
    at.selectbox(key="method.pillar").set_value("ipv6").run()
    assert [e.label for e in at.expander] == [
        f"2.{i} {q.text.en}" for i, q in enumerate(env.questionnaire.questions_in("ipv6"), start=1)
    ]


def test_weights_and_tier_thresholds_are_listed(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    assert not at.dataframe  # plain tables: no data grid's scripts to load (issue 26)
    tables = html_tables(at)
    weights = next(t for t in tables if "Weight" in t.columns)
    assert list(weights["Weight"]) == [f"{p.weight:g}" for p in env.questionnaire.pillars]
    tiers = next(t for t in tables if "From" in t.columns)
    assert list(tiers["From"]) == [f"{t.min_score:g}" for t in env.questionnaire.tiers]


def test_clause_matrix_lists_every_clause_and_the_translation_note(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    matrix = next(d for d in html_tables(at) if "Clause" in d.columns)
    assert set(matrix["Clause"]) == {
        clause_reference(env.questionnaire, c, "en") for c in env.questionnaire.traceability()
    }
    assert "unofficial translation" in texts(at)


def test_methodology_follows_the_language(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    switch_language(at, "fr")
    assert "Matrice disposition → questions" in [t.label for t in at.tabs]  # "dispositions" in French (issue 21)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_methodology_cites_clauses_and_numbers_without_codes_nor_english(env: Env, lang: str) -> None:
    at = open_page(env.app(), "methodology")
    switch_language(at, lang)
    matrix = next(d for d in html_tables(at) if t("cli.clause", lang) in d.columns)
    assert clause_reference(env.questionnaire, "instructs-bdt-3", lang) in set(matrix[t("cli.clause", lang)])
    cells = [str(v) for d in html_tables(at) for row in d.itertuples(index=False) for v in row]
    cells += [str(c) for d in html_tables(at) for c in d.columns]
    shown = "\n".join([texts(at), *cells, *(e.label for e in at.expander), *(tab.label for tab in at.tabs)])
    assert code_like_tokens(shown, env.questionnaire) == []
    assert wrong_decimals(shown, env.questionnaire, lang) == []
    assert english_leaks(shown, lang) == []
    if lang == "fr":
        assert "traduction non officielle" not in shown  # no English text of the resolution on the French page


def test_the_basis_of_each_question_is_shown(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    assert not at.exception
    shown = texts(at)
    assert "Basis: Clause" in shown
    assert "(marked † in the matrix)" in shown


def test_without_a_panel_the_weights_say_no_panel_weighed_this_version(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    assert not at.exception
    weights = next(d for d in html_tables(at) if "Weight" in d.columns)
    assert "Lowest expert weight" not in weights.columns
    assert "No expert panel has weighed this questionnaire version" in texts(at)


def _with_panel(env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the questionnaire that an expert panel weighed: medians = its weights, with a spread."""
    folder = tmp_path / "weighed"
    shutil.copytree(MINI, folder)
    q = env.questionnaire
    write_panel(folder, [
        PanelWeight("pillar", "policy_regulation", q.pillar("policy_regulation").weight, 1.25, 2.25, 5),
        PanelWeight("pillar", "ipv6", q.pillar("ipv6").weight, 0.75, 1.5, 4),
        PanelWeight("question", "pol_city", q.question("pol_city").weight, 0.5, 2.0, 4),
    ])
    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(folder))


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_methodology_shows_the_panels_spread_with_the_languages_numbers_and_no_ids(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from formatting.numbers import fmt_decimal, percent_suffix

    _with_panel(env, tmp_path, monkeypatch)
    at = open_page(env.app(), "methodology")
    switch_language(at, lang)
    assert not at.exception
    weights = next(d for d in html_tables(at) if t("ui.col.panel_low", lang) in d.columns)
    assert list(weights[t("pillar", lang)]) == [p.name.get(lang) for p in env.questionnaire.pillars]
    assert list(weights[t("ui.col.panel_low", lang)]) == [fmt_decimal(v, lang, ".2f") for v in (1.25, 0.75)]
    assert list(weights[t("ui.col.panel_high", lang)]) == [fmt_decimal(2.25, lang, ".2f"), fmt_decimal(1.5, lang)]
    assert list(weights[t("ui.col.panel_spread", lang)]) == [f"67{percent_suffix(lang)}", f"75{percent_suffix(lang)}"]
    assert list(weights[t("ui.col.panel_n", lang)]) == ["5", "4"]
    shown = texts(at)
    if lang == "fr":
        assert "la médiane des réponses d'un panel d'experts" in shown
        assert "panel d'experts\u202f: de 0,5 à 2 (4 experts)" in shown  # the question's own spread, in its expander
    cells = [str(v) for d in html_tables(at) for row in d.itertuples(index=False) for v in row]
    everything = "\n".join([shown, *cells, *(str(c) for d in html_tables(at) for c in d.columns),
                            *(e.label for e in at.expander)])
    assert code_like_tokens(everything, env.questionnaire) == []
    assert wrong_decimals(everything, env.questionnaire, lang) == []
    assert english_leaks(everything, lang) == []


def test_french_methodology_labels_follow_french_typography(env: Env) -> None:
    """What the page joins itself ("Fondement : Disposition") puts a narrow no-break space before the colon."""
    at = open_page(env.app(), "methodology")
    switch_language(at, "fr")
    captions = [str(c.value) for c in at.caption]
    for key in ("cli.clauses", "cli.basis", "cli.evidence"):
        label = t(key, "fr")
        assert any(f"{label}\u202f: " in c for c in captions), label
        assert not any(re.search(rf"{re.escape(label)}[ ]?:", c) for c in captions), label
