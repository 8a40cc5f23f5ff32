"""The Results page's headline figures, checked against numbers worked out by hand (issue 27.1).

The expectation is written here from the answers with plain arithmetic on the mini questionnaire's weights
(tests/fixtures/mini), never by calling the scoring engine: a page that shows the first pillar's score as
"Overall", or always the top tier, or a pillar's tier from its neighbour, fails here.

The answers (mini questionnaire):
  Enabling policy and regulatory framework (pillar weight 1.5)
    pol_framework  weight 2  "1 – Planned"            -> 0.25, with evidence
    pol_elements   weight 3  1 element of full_at 2   -> 0.5, no evidence
    pol_city       weight 1  not applicable           -> leaves the denominator
  IPv6 adoption (pillar weight 1.0)
    v6_users       weight 2  50 % (threshold 50 -> 1) -> 1.0, with evidence
    v6_awareness   weight 1  don't know               -> 0, counts against completeness
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from questionnaires import load_questionnaire
from questionnaires.messages import languages
from tests.localization import displayed, headline, pictures
from tests.ui.conftest import Env, open_page
from tests.ui.test_results import interactive, static_tables

POLICY = 100 * (2 * 0.25 + 3 * 0.5) / (2 + 3)  # 40.0
IPV6 = 100 * (2 * 1.0 + 1 * 0.0) / (2 + 1)  # 66.666...
OVERALL = (1.5 * POLICY + 1.0 * IPV6) / (1.5 + 1.0)  # 50.666...
# Tiers (mini): Building 0, Evolving 25, Establishing 45, Advancing 65, Role-modelling 85.
# Completeness: 4 of the 5 asked questions answered or not applicable (don't know is not) -> 80 %;
#   policy 3 of 3 -> 100 %, IPv6 1 of 2 -> 50 %.
# Evidence coverage: positive answers with evidence: pol_framework and v6_users of the 3 positive ones -> 67 %;
#   policy 1 of 2 -> 50 %, IPv6 1 of 1 -> 100 %.

# What the reader sees, per language: labels and figures as written on screen.
SEEN: dict[str, dict[str, Any]] = {
    "en": {
        "overall": ("Overall", "50.7"),
        "completeness": ("Completeness", "80%"),
        "evidence": ("Evidence coverage", "67%"),
        "tier": "Establishing",
        "pillars": [
            ("Enabling policy and regulatory framework", "40.0", "Evolving", "1.5", "100%", "50%"),
            ("IPv6 adoption", "66.7", "Advancing", "1.0", "50%", "100%"),
        ],
    },
    "fr": {
        "overall": ("Global", "50,7"),
        "completeness": ("Complétude", "80\u202f%"),
        "evidence": ("Couverture par des justificatifs", "67\u202f%"),
        "tier": "En établissement",
        "pillars": [
            ("Cadre politique et réglementaire favorable", "40,0", "En évolution", "1,5", "100\u202f%", "50\u202f%"),
            ("Adoption de l'IPv6", "66,7", "En progression", "1,0", "50\u202f%", "100\u202f%"),
        ],
    },
    "es": {  # the mini questionnaire has no Spanish name for its first pillar: its English one shows
        "overall": ("Global", "50,7"),
        "completeness": ("Completitud", "80\u00a0%"),
        "evidence": ("Cobertura con justificantes", "67\u00a0%"),
        "tier": "En consolidación",
        "pillars": [
            ("Enabling policy and regulatory framework", "40,0", "En evolución", "1,5", "100\u00a0%", "50\u00a0%"),
            ("Adopción del IPv6", "66,7", "Avanzado", "1,0", "50\u00a0%", "100\u00a0%"),
        ],
    },
    # The mini questionnaire's first pillar has no name in these languages either: its English one shows.
    "ar": {  # Western digits and a point, as CLDR's "ar" (latn) and ITU's Arabic documents write them
        "overall": ("الإجمالي", "50.7"),
        "completeness": ("الاكتمال", "80%"),
        "evidence": ("التغطية بالأدلة", "67%"),
        "tier": "قيد الإرساء",
        "pillars": [
            ("Enabling policy and regulatory framework", "40.0", "قيد التطور", "1.5", "100%", "50%"),
            ("اعتماد الإصدار IPv6", "66.7", "متقدم", "1.0", "50%", "100%"),
        ],
    },
    "ru": {
        "overall": ("Итог", "50,7"),
        "completeness": ("Полнота", "80\u00a0%"),
        "evidence": ("Подкрепленность доказательствами", "67\u00a0%"),
        "tier": "Укрепляющийся",
        "pillars": [
            ("Enabling policy and regulatory framework", "40,0", "Развивающийся", "1,5", "100\u00a0%", "50\u00a0%"),
            ("Внедрение IPv6", "66,7", "Продвинутый", "1,0", "50\u00a0%", "100\u00a0%"),
        ],
    },
    "zh": {
        "overall": ("总体", "50.7"),
        "completeness": ("完成度", "80%"),
        "evidence": ("证据覆盖率", "67%"),
        "tier": "确立阶段",
        "pillars": [
            ("Enabling policy and regulatory framework", "40.0", "发展阶段", "1.5", "100%", "50%"),
            ("IPv6的采用", "66.7", "推进阶段", "1.0", "50%", "100%"),
        ],
    },
}
LANGS = sorted(set(languages()) & set(SEEN))  # every offered language with its row (the test below wants all)


def test_every_offered_language_has_its_hand_written_row() -> None:
    """A newly offered language (ru, zh, ar: issue 24) fails here until its reader's strings are written above."""
    assert set(languages()) <= set(SEEN), "write what a reader of the new language sees in SEEN"
TIER_IDS = ["evolving", "advancing"]  # each pillar's tier, for its bar's colour


def answered_by_hand(env: Env) -> str:
    assessment_id = env.create("KEN")
    env.answer(assessment_id, "pol_framework", Answer(value="planned", evidence="Decree 12/2025"))
    env.answer(assessment_id, "pol_elements", Answer(value=["licensing"]))
    env.answer(assessment_id, "pol_city", Answer(not_applicable=True, justification="Municipal matter"))
    env.answer(assessment_id, "v6_users", Answer(value=50.0, evidence="RIPE Atlas, 2025"))
    env.answer(assessment_id, "v6_awareness", Answer(dont_know=True))
    return assessment_id


def results_in(env: Env, lang: str) -> AppTest:
    at = env.app(answered_by_hand(env))
    at.query_params["lang"] = lang
    at = open_page(at, "results")
    assert not at.exception
    assert at.session_state["lang"] == lang
    return at


def specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def test_the_hand_worked_expectation_is_what_the_seen_strings_say() -> None:
    """Guards the constants above: the literal strings are the hand arithmetic, rounded to one decimal."""
    assert (f"{OVERALL:.1f}", f"{POLICY:.1f}", f"{IPV6:.1f}") == ("50.7", "40.0", "66.7")


@pytest.mark.parametrize("lang", LANGS)
def test_the_overall_score_completeness_and_evidence_metrics_show_the_hand_worked_figures(
    env: Env, lang: str
) -> None:
    at = results_in(env, lang)
    figures = list(headline(at).items())  # overall, tier, completeness, evidence coverage, in that order
    want = SEEN[lang]
    assert [figures[0], figures[2], figures[3]] == [want["overall"], want["completeness"], want["evidence"]]


@pytest.mark.parametrize("lang", LANGS)
def test_the_tier_heading_is_the_tier_of_the_overall_score(env: Env, lang: str) -> None:
    at = results_in(env, lang)
    figures = list(headline(at).items())
    assert figures[1][1] == SEEN[lang]["tier"]  # beside the overall score, the first figure


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_chart_and_its_table_show_each_pillars_score_and_tier(env: Env, lang: str) -> None:
    """The first screen's picture (alt text) and static table: the hand-worked figures, in the reader's language."""
    at = results_in(env, lang)
    table = static_tables(at)[0]
    rows = [tuple(r) for r in table.iloc[:, :3].itertuples(index=False)]
    assert rows == [p[:3] for p in SEEN[lang]["pillars"]]
    alt = pictures(at)[0][1]
    for _name, score, tier, *_ in SEEN[lang]["pillars"]:
        assert f" {score} ({tier})" in alt


@pytest.mark.parametrize("lang", LANGS)
def test_the_radar_and_its_table_show_each_pillars_score_and_tier(env: Env, lang: str) -> None:
    at = interactive(results_in(env, lang))
    radar = specs(at)[0]["data"][0]
    assert radar["r"] == pytest.approx([POLICY, IPV6, POLICY])  # the polygon closes on the first pillar
    table = displayed(at.dataframe[0])
    rows = [tuple(r) for r in table.iloc[:, :3].itertuples(index=False)]
    assert rows == [p[:3] for p in SEEN[lang]["pillars"]]


@pytest.mark.parametrize("lang", LANGS)
def test_the_bars_and_their_table_show_each_pillars_score_tier_and_weight(env: Env, lang: str) -> None:
    from formatting.palette import TIER_COLOURS

    at = interactive(results_in(env, lang))
    bars = specs(at)[1]["data"][0]
    assert bars["x"] == pytest.approx([POLICY, IPV6])
    assert bars["text"] == [f"{score} · {tier}" for _, score, tier, *_ in SEEN[lang]["pillars"]]
    assert bars["marker"]["color"] == [TIER_COLOURS[tier] for tier in TIER_IDS]
    table = displayed(at.dataframe[1])
    rows = [tuple(r) for r in table.iloc[:, :4].itertuples(index=False)]
    assert rows == [p[:4] for p in SEEN[lang]["pillars"]]


@pytest.mark.parametrize("lang", LANGS)
def test_the_coverage_chart_and_its_table_show_each_pillars_completeness_and_evidence(env: Env, lang: str) -> None:
    at = results_in(env, lang)
    table = static_tables(at)[1]  # the static table under the first screen's coverage picture
    rows = [tuple(r) for r in table.iloc[:, :3].itertuples(index=False)]
    assert rows == [(p[0], p[4], p[5]) for p in SEEN[lang]["pillars"]]
    at = interactive(at)
    completeness, evidence = specs(at)[2]["data"]
    assert completeness["x"] == pytest.approx([100, 50])
    assert evidence["x"] == pytest.approx([50, 100])
    table = displayed(at.dataframe[2])
    rows = [tuple(r) for r in table.iloc[:, :3].itertuples(index=False)]
    assert rows == [(p[0], p[4], p[5]) for p in SEEN[lang]["pillars"]]


SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"


@pytest.fixture
def shapes_env(env: Env, monkeypatch: pytest.MonkeyPatch) -> Env:
    """The app on the shapes questionnaire (a pillar whose every question may be not applicable)."""
    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(SHAPES))
    return Env(url=env.url, log_dir=env.log_dir, questionnaire=load_questionnaire(SHAPES))


def test_a_pillar_with_nothing_applicable_reads_no_score_and_the_overall_leaves_it_out(shapes_env: Env) -> None:
    # policy (weight 2): 100 x (1 x 1 + 2 x 1 + 3 x 0.5) / 6 = 75; IPv6 (weight 1): 10 % of users -> 50;
    # city (weight 1): both questions not applicable -> no score. Overall (2 x 75 + 50) / 3 = 66.7, not 50.0.
    env = shapes_env
    assessment_id = env.create("KEN")
    for qid, answer in [("pol_framework", Answer(value="advanced")), ("pol_law", Answer(value="advanced")),
                        ("pol_elements", Answer(value=["licensing"])), ("v6_users", Answer(value=10.0)),
                        ("city_rules", Answer(not_applicable=True, justification="No municipal powers")),
                        ("city_data", Answer(not_applicable=True, justification="No municipal powers"))]:
        env.answer(assessment_id, qid, answer)
    at = open_page(env.app(assessment_id), "results")
    assert not at.exception
    assert headline(at)["Overall"] == "66.7"
    table = static_tables(at)[0]
    rows = [tuple(r) for r in table.iloc[:, :3].itertuples(index=False)]
    assert rows == [("Enabling policy and regulatory framework", "75.0", "Advancing"), ("City rules", "–", "–"),
                    ("IPv6 adoption", "50.0", "Establishing")]
