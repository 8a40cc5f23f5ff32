"""Methodology: the questionnaire by pillar, weights, tiers, scales and the clause → question matrix."""

from __future__ import annotations

from tests.ui.conftest import Env, open_page, texts


def test_questions_are_browsable_by_pillar(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    assert not at.exception
    assert [e.label for e in at.expander] == [q.text.en for q in env.questionnaire.questions_in("policy_regulation")]
    at.selectbox(key="method.pillar").set_value("ipv6").run()
    assert [e.label for e in at.expander] == [q.text.en for q in env.questionnaire.questions_in("ipv6")]


def test_weights_and_tier_thresholds_are_listed(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    tables = [d.value for d in at.dataframe]
    weights = next(t for t in tables if "Weight" in t.columns)
    assert list(weights["Weight"]) == [p.weight for p in env.questionnaire.pillars]
    tiers = next(t for t in tables if "From" in t.columns)
    assert list(tiers["From"]) == [t.min_score for t in env.questionnaire.tiers]


def test_clause_matrix_lists_every_clause_and_the_translation_note(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    matrix = next(d.value for d in at.dataframe if "Clause" in d.value.columns)
    assert set(matrix["Clause"]) == set(env.questionnaire.traceability())
    assert "unofficial translation" in texts(at)


def test_methodology_follows_the_language(env: Env) -> None:
    at = open_page(env.app(), "methodology")
    at.selectbox(key="lang").set_value("fr").run()
    assert "Matrice clause → questions" in [t.label for t in at.tabs]
