"""Results: score and tier, charts with their tables, targets, breakdown, roadmap, plan to a tier."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from tests.localization import (
    OTHER_LANGUAGES,
    code_like_tokens,
    displayed,
    english_leaks,
    headline,
    html_tables,
    pictures,
    wrong_decimals,
)
from tests.ui.conftest import Env, open_page, open_section, switch_language, texts
from ui import state


def answered(env: Env, *, illustrative: bool = False) -> str:
    assessment_id = env.create("KEN", illustrative=illustrative)
    env.answer(assessment_id, "pol_framework", Answer(value="developing", evidence="https://example.org/law"))
    env.answer(assessment_id, "pol_elements", Answer(value=["licensing"]))
    env.answer(assessment_id, "v6_users", Answer(value=20.0))
    return assessment_id


def results(env: Env, assessment_id: str | None) -> AppTest:
    return open_page(env.app(assessment_id), "results")


def plotly_specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def interactive(at: AppTest) -> AppTest:
    """The page with its interactive (Plotly) charts, as a reader who turns the switch on sees it."""
    at.toggle(key="results.interactive").set_value(True).run()
    assert not at.exception
    return at


def static_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every static HTML table on the page, in order, as displayed (a header row, then strings)."""
    return html_tables(at)


def test_without_an_assessment_the_page_points_to_home(env: Env) -> None:
    at = results(env, None)
    assert not at.exception
    assert any("No assessment is open" in i.value for i in at.info)


def test_an_unanswered_assessment_points_to_the_questionnaire(env: Env) -> None:
    at = results(env, env.create())
    assert any("No question is answered yet" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_the_first_chart_is_a_picture_with_words_and_a_table_of_the_pillar_scores(env: Env) -> None:
    """Issue 26: the first screen opens at once (no Plotly bundle): an SVG drawn on the server, its alt text
    naming every pillar's score and tier, and a static table holding the same figures."""
    at = results(env, answered(env))
    assert not at.get("plotly_chart")
    (scores, alt), (coverage, _) = pictures(at)
    assert "<svg" in scores and "<svg" in coverage
    table = static_tables(at)[0]
    assert list(table["Pillar"]) == [p.name.en for p in env.questionnaire.pillars]
    for short, shown, tier in zip([p.short_name("en") for p in env.questionnaire.pillars], table["Score"],
                                  table["Tier"], strict=True):
        assert f"{short} {shown} ({tier})" in alt


def test_the_first_chart_uses_the_tier_colours(env: Env) -> None:
    from formatting.palette import TIER_COLOURS

    at = results(env, answered(env))
    svg = pictures(at)[0][0].lower()
    assert any(f"fill: {c.lower()}" in svg for c in TIER_COLOURS.values())


def test_radar_is_drawn_with_a_table_naming_every_pillar(env: Env) -> None:
    at = interactive(results(env, answered(env)))
    radar = plotly_specs(at)[0]
    assert radar["data"][0]["type"] == "scatterpolar"
    pillars = [p.name.en for p in env.questionnaire.pillars]
    assert list(at.dataframe[0].value["Pillar"]) == pillars


def test_bars_use_the_tier_colours(env: Env) -> None:
    from formatting.palette import TIER_COLOURS

    at = interactive(results(env, answered(env)))
    bars = plotly_specs(at)[1]["data"][0]
    assert set(bars["marker"]["color"]) <= set(TIER_COLOURS.values())


def test_setting_a_target_saves_it_and_adds_it_to_the_radar(env: Env) -> None:
    assessment_id = answered(env)
    at = open_section(results(env, assessment_id), state.TARGETS_OPEN)
    at.selectbox(key="results.target.ipv6").set_value("advancing").run()
    assert not at.exception
    with env.session() as s:
        from assessment import service

        assert service.get_document(s, assessment_id).targets == {"ipv6": "advancing"}
    targets = static_tables(at)[0]
    assert list(targets["Target"]) == ["–", "65.0"]  # the static table holds it at once
    assert len(plotly_specs(interactive(at))[0]["data"]) == 2


def test_breakdown_explains_points_per_question(env: Env) -> None:
    at = open_section(results(env, answered(env)), state.BREAKDOWN_OPEN)
    table = next(d for d in static_tables(at) if "Points in pillar" in d.columns)
    assert len(table) == len(env.questionnaire.questions)
    row = table[table["Question"] == "Is there an IoT framework?"].iloc[0]
    assert row["Answer"] == "2 – Developing"
    assert float(row["Points in pillar"]) > 0


def _roadmap_rows(at: AppTest) -> list[dict[str, Any]]:
    """Every row of the roadmap's tables, as displayed (the tables with an "Action" column)."""
    rows: list[dict[str, Any]] = []
    for table in static_tables(at):
        if any(c in table.columns for c in ("Action",)):
            rows += [{str(k): v for k, v in row.items()} for row in table.to_dict("records")]
    return rows


def test_roadmap_lists_every_action_by_horizon_in_tables_with_its_provision(env: Env) -> None:
    at = results(env, answered(env))
    shown = texts(at)
    assert "Quick wins" in shown and "Long term" in shown
    rows = _roadmap_rows(at)
    framework = next(r for r in rows if r["Action"] == "Adopt a framework.")
    assert framework["Resolution 197"] == "instructs the Director of BDT, 3"
    assert framework["Pillar"] == "Enabling policy and regulatory framework"
    details = [b for b in at.get("expander") if "Resolution 197" in str(b.proto.label)]
    assert len(details) <= 1  # one action in detail, not an expander per action


def test_the_roadmap_opens_the_chosen_action_in_detail_with_its_clause_text(env: Env) -> None:
    at = results(env, answered(env))
    framework = next(r for r in _roadmap_rows(at) if r["Action"] == "Adopt a framework.")
    at.radio(key="results.roadmap.detail").set_value(int(framework["No."])).run()
    shown = texts(at)
    assert "Resolution 197, instructs the Director of BDT, 3" in shown
    assert "unofficial translation" in shown


def test_the_print_view_keeps_every_action_in_full(env: Env) -> None:
    at = results(env, answered(env))
    at.query_params["print"] = "1"
    at.run()
    shown = texts(at)
    assert "Adopt a framework." in shown and "Deploy IPv6." in shown


def test_plan_to_reach_a_tier_lists_steps(env: Env) -> None:
    at = results(env, answered(env))
    at.radio(key="results.plan.pillar").set_value("policy_regulation")
    at.radio(key="results.plan.tier").set_value("advancing").run()
    assert "To reach **Advancing** in **Enabling policy and regulatory framework**" in texts(at)


def test_results_follow_the_language(env: Env) -> None:
    at = results(env, answered(env))
    switch_language(at, "fr")
    assert "Feuille de route" in texts(at)
    assert "Adopter un cadre." in [r["Action"] for r in _roadmap_rows(at)]


def test_illustrative_results_are_labelled(env: Env) -> None:
    at = results(env, answered(env, illustrative=True))
    assert any("Illustrative" in w.value for w in at.warning)


def test_the_pdf_profile_can_be_downloaded(env: Env) -> None:
    at = results(env, answered(env))
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Download the PDF profile"]


def french(env: Env, assessment_id: str) -> AppTest:
    at = results(env, assessment_id)
    switch_language(at, "fr")
    assert not at.exception
    return at


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_results_show_no_internal_id_no_wrong_number_and_no_english(env: Env, lang: str) -> None:
    """Issue 11.5, then 24: every text and every table cell of the page, as displayed, in each offered language;
    then the interactive charts (their titles, axes, hover text) and their tables."""
    from questionnaires.references import clause_reference
    from tests.ui.test_no_internal_ids import misread, shown_text

    assessment_id = answered(env)
    at = open_section(results(env, assessment_id), state.TARGETS_OPEN)
    at.selectbox(key="results.target.ipv6").set_value("advancing").run()  # a target beside empty ones
    switch_language(at, lang)
    assert not at.exception
    at = open_section(at, state.BREAKDOWN_OPEN)  # every table of the page, the folded one too
    frames = [*(displayed(d) for d in at.dataframe), *static_tables(at)]
    cells = [str(v) for d in frames for row in d.itertuples(index=False) for v in row]
    cells += [str(c) for d in frames for c in d.columns]
    metrics = [f"{label} {value}" for label, value in headline(at).items()]
    assert len(metrics) == 4
    alts = [alt for _, alt in pictures(at)]
    shown = "\n".join([texts(at), *cells, *metrics, *alts])
    assert code_like_tokens(shown, env.questionnaire) == []
    assert wrong_decimals(shown, env.questionnaire, lang) == []
    assert english_leaks(shown, lang) == []
    assert "None" not in shown and "nan" not in shown
    assert clause_reference(env.questionnaire, "instructs-bdt-3", lang) in cells  # the roadmap's provision column
    if lang == "fr":
        assert "unofficial" not in shown and "traduction non officielle" not in shown
    assert misread(shown_text(interactive(at)), env.questionnaire, lang, content=False) == {}  # no Spanish here


def test_french_tables_write_decimal_commas_and_a_dash_for_no_target(env: Env) -> None:
    at = french(env, answered(env))
    radar = static_tables(at)[0]
    assert list(radar.columns) == ["Pilier", "Score", "Niveau", "Objectif", "Écart à l'objectif"]
    assert set(radar["Objectif"]) == {"–"}  # no target set: a dash, never "None"
    assert all(v == "–" or ("," in v and "." not in v) for v in radar["Score"])
    coverage = static_tables(at)[1]
    assert all(v == "–" or v.endswith("\u202f%") for v in coverage.iloc[:, 1])
    at = interactive(at)  # the interactive charts' tables: numbers that sort as numbers
    data = at.dataframe[0].value
    for shown, value in zip(displayed(at.dataframe[0])["Score"], data["Score"], strict=True):
        assert shown == ("–" if pd.isna(value) else f"{value:.1f}".replace(".", ","))
    assert data["Score"].dtype.kind == "f"
    coverage = displayed(at.dataframe[2])
    assert all(v == "–" or v.endswith("\u202f%") for v in coverage.iloc[:, 1])


def test_french_breakdown_numbers_its_questions(env: Env) -> None:
    at = open_section(french(env, answered(env)), state.BREAKDOWN_OPEN)
    table = next(d for d in static_tables(at) if "N°" in d.columns)
    assert list(table["N°"])[:3] == ["1.1", "1.2", "1.3"]
    assert not any("," not in v and "." in v for v in table["Score"])


def test_the_print_view_hides_the_chrome_and_the_pickers_and_keeps_the_content(env: Env) -> None:
    at = results(env, answered(env))
    assert any(b.key == "results.print" for b in at.button)
    at.button(key="results.print").click().run()
    assert not at.exception
    assert at.query_params["print"] == ["1"] or at.query_params["print"] == "1"
    assert not any(s.key and s.key.startswith("results.target.") for s in at.selectbox)  # no pickers on paper
    assert len(pictures(at)) == 2 and len(static_tables(at)) >= 2  # the charts stay, with their tables
    assert not at.get("plotly_chart") and not at.get("toggle")  # pictures on paper, no switch
    styles = [h.proto.body for h in at.get("html")]
    assert any('[data-testid="stSidebar"]' in s and "display: none" in s for s in styles)
    assert any("Ctrl+P" in c.value for c in at.caption)
    assert any("Points in pillar" in d.columns for d in static_tables(at))  # the breakdown, open on paper
    at.button(key="results.print_leave").click().run()
    assert "print" not in at.query_params
    assert any(s.key == "results.target.overall" for s in open_section(at, state.TARGETS_OPEN).selectbox)


def test_the_roadmap_is_worked_out_once_per_state_of_the_answers(env: Env, monkeypatch: Any) -> None:
    """A rerun (any picker) or another reader of the same answers reuses the roadmap: working it out scores the
    document once per action (issue 26); a changed answer works it out again."""
    from recommendations import recommend
    from ui.views import results as view

    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return recommend(*args, **kwargs)

    monkeypatch.setattr(view, "recommend", counted)
    view._recommendations.clear()
    assessment_id = answered(env)
    at = results(env, assessment_id)
    at.radio(key="results.roadmap.detail").set_value(2).run()
    results(env, assessment_id)  # another session
    assert len(calls) == 1
    env.answer(assessment_id, "v6_users", Answer(value=80.0))
    at.run()
    assert not at.exception
    assert len(calls) == 2


def test_the_page_sends_no_data_grid_and_no_plotly_chart_until_asked(env: Env) -> None:
    """Issue 26: the grid's and Plotly's bundles held the first screen back; every table is static HTML, and the
    pictures plain <img> in it (an image element's own scripts were fetched before the first picture was drawn)."""
    at = results(env, answered(env))
    assert not at.dataframe and not at.get("plotly_chart") and not at.table and not at.get("image")
    assert len(open_section(at, state.BREAKDOWN_OPEN).get("html")) and len(static_tables(at)) >= 5  # scores,
    # coverage, breakdown, the roadmap's horizons
    at = interactive(at)
    assert len(at.get("plotly_chart")) == 3


def test_the_page_sends_no_drop_down_picker(env: Env) -> None:
    """Issue 26: a fresh browser draws nothing before it has fetched the scripts of every kind of element the page
    sends, and a selectbox's are 20 files: the roadmap's action in detail and the tier planner are radio buttons
    (the folded targets section, sent only once opened, keeps its pickers)."""
    at = results(env, answered(env))
    assert not at.selectbox and not at.multiselect
    assert at.radio(key="results.roadmap.detail").value == 1


def test_the_roadmap_tables_list_every_action_once_and_the_picker_opens_each(env: Env) -> None:
    at = results(env, answered(env))
    rows = _roadmap_rows(at)
    picker = at.radio(key="results.roadmap.detail")
    by_rank = sorted(rows, key=lambda r: int(r["No."]))  # the tables group by horizon; the picker by rank
    assert [r["No."] for r in by_rank] == list(picker.options)  # every action, once, by its number in the tables
    chosen = by_rank[-1]
    last = int(chosen["No."])
    picker.set_value(last).run()
    assert f"**{last}.** {chosen['Action']}" in texts(at)


def test_the_folded_sections_send_nothing_until_opened_and_their_content_then(env: Env) -> None:
    """Issue 26: folded, the targets' seven pickers and the breakdown's table were still sent and drawn before the
    first chart; now a folded section is its header only, and opening it (a click reruns the page) sends it."""
    at = results(env, answered(env))
    assert not any(str(s.key).startswith("results.target.") for s in at.selectbox)
    assert not any("Points in pillar" in d.columns for d in static_tables(at))
    labels = [str(e.proto.label) for e in at.get("expander")]
    assert any("Targets" in label or "target" in label.lower() for label in labels)
    assert any(str(len(env.questionnaire.questions)) in label for label in labels)  # "Every question (n)"
    open_section(at, state.TARGETS_OPEN)
    assert {s.key for s in at.selectbox} >= {f"results.target.{p.id}" for p in env.questionnaire.pillars}
    open_section(at, state.BREAKDOWN_OPEN)
    assert any("Points in pillar" in d.columns for d in static_tables(at))


def test_the_headline_figures_come_before_any_picker_or_chart_switch(env: Env) -> None:
    """Issue 26: the first screen (score, tier, the first picture) is sent first; the switch to Plotly's charts
    and the pickers (their script chunks) come after the first picture."""
    at = results(env, answered(env))
    sent = _walk(at.main)  # the page's elements in the order they are sent
    first_picture = next(i for i, n in enumerate(sent) if n.type == "html" and "iot-picture" in n.proto.body)
    assert any(n.type == "html" and "iot-headline" in n.proto.body for n in sent[:first_picture])
    assert not any(n.type in ("selectbox", "toggle", "metric") for n in sent[:first_picture])
    assert any(n.type == "toggle" for n in sent[first_picture:])  # the switch is still there, under the charts


def _walk(node: Any) -> list[Any]:
    out: list[Any] = []
    for child in getattr(node, "children", {}).values():
        out.append(child)
        out += _walk(child)
    return out
