"""Compare page: the selection (data set, drafts, cycle, group, countries) and every section it drives."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from answers.document import AnswersDocument
from assessment import service
from compare import group_members
from tests.compare.conftest import make_doc
from tests.localization import OTHER_LANGUAGES, html_tables, pictures
from tests.ui.conftest import Env, open_page, switch_language, texts


def seed(env: Env, *docs: AnswersDocument) -> None:
    with env.session() as s:
        for doc in docs:
            service.import_document(s, doc=doc, questionnaire=env.questionnaire)


def doc(env: Env, country: str, cycle: int = 2025, level: float = 0.5, **kw: Any) -> AnswersDocument:
    return make_doc(env.questionnaire, country, cycle, level, **kw)


def compare(env: Env) -> AppTest:
    at = open_page(env.app(), "compare")
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def open_tab(at: AppTest, name: str, lang: str = "en") -> AppTest:
    """Open one of Compare's tabs by its catalog name and rerun: only the open tab is drawn (issue 26)."""
    from questionnaires.messages import t

    at.session_state["compare.tab"] = t(f"ui.compare.tab.{name}", lang)
    at.run()
    assert not at.exception
    return at


def specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def values(data: Any) -> list[Any]:
    """A trace's array, decoded when plotly sent it as a base64 typed array."""
    if isinstance(data, dict) and "bdata" in data:
        return list(np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"])))
    return list(data)


def heatmap_rows(at: AppTest) -> list[str]:
    """The countries of the selection as the first screen lists them: the map's table (the map is the first tab
    since issue 26, a plain table; the scores tab's heatmap has the same rows, see
    test_the_map_and_the_scores_list_the_same_rows)."""
    return list(html_tables(at)[0]["Member State"])


def scores_table(at: AppTest) -> Any:
    """The scores tab's table (rank, name, overall, tier, completeness, pillars), the open tab being scores."""
    return at.dataframe[0].value


def chart(at: AppTest, trace_type: str) -> dict[str, Any]:
    return next(s for s in specs(at) if s["data"] and s["data"][0]["type"] == trace_type)


@pytest.fixture
def three(env: Env) -> Env:
    """Kenya, Chile and Rwanda, submitted in 2024 and 2025, real; two illustrative ones besides."""
    seed(
        env,
        doc(env, "KEN", 2024, 0.25), doc(env, "KEN", 2025, 0.75),
        doc(env, "CHL", 2024, 0.5), doc(env, "CHL", 2025, 0.5),
        doc(env, "RWA", 2024, 0.0), doc(env, "RWA", 2025, 0.25),
        doc(env, "FRA", 2025, 1.0, illustrative=True), doc(env, "MUS", 2025, 0.0, illustrative=True),
    )
    return env


def test_without_assessments_the_page_says_how_to_get_some(env: Env) -> None:
    at = compare(env)
    assert "No assessment to compare yet" in texts(at)
    assert not at.get("plotly_chart")


def test_real_assessments_are_shown_and_illustrative_ones_are_not(three: Env) -> None:
    at = compare(three)
    assert at.toggle(key="compare.illustrative").value is False
    assert sorted(heatmap_rows(at)) == ["Chile", "Kenya", "Rwanda"]
    assert "Illustrative data" not in texts(at)


def test_the_illustrative_set_is_shown_alone_and_labelled(three: Env) -> None:
    at = compare(three)
    at.toggle(key="compare.illustrative").set_value(True).run()
    assert sorted(heatmap_rows(at)) == ["France", "Mauritius"]
    assert any("Illustrative data" in w.value for w in at.warning)


def test_with_only_illustrative_data_the_page_starts_on_it(env: Env) -> None:
    seed(env, doc(env, "FRA", illustrative=True))
    at = compare(env)
    assert at.toggle(key="compare.illustrative").value is True
    assert heatmap_rows(at) == ["France"]


def test_drafts_count_only_when_asked(three: Env) -> None:
    seed(three, doc(three, "NPL", 2025, 1.0, status="draft"))
    at = compare(three)
    assert "Nepal" not in heatmap_rows(at)
    at.toggle(key="compare.drafts").set_value(True).run()
    assert "Nepal" in heatmap_rows(at)


def test_the_cycle_picker_lists_the_cycles_newest_first(three: Env) -> None:
    at = compare(three)
    assert at.radio(key="compare.cycle").options == ["2025", "2024"]
    at.radio(key="compare.cycle").set_value(2024).run()
    assert "(cycle 2024)" in texts(at)


def test_ties_share_a_rank(env: Env) -> None:
    seed(env, doc(env, "KEN", level=0.5), doc(env, "CHL", level=0.5), doc(env, "RWA", level=0.0))
    table = scores_table(open_tab(compare(env), "scores"))
    assert dict(zip(table["Member State"], table["Rank"], strict=True)) == {"Chile": "=1", "Kenya": "=1", "Rwanda": "3"}


def test_a_group_keeps_only_its_members(three: Env) -> None:
    at = compare(three)
    at.radio(key="compare.group").set_value("ldc").run()
    assert heatmap_rows(at) == ["Rwanda"]
    assert {"RWA"} <= group_members("ldc") and "KEN" not in group_members("ldc")


def test_chosen_countries_are_compared_alone(three: Env) -> None:
    at = compare(three)
    at.radio(key="compare.scope").set_value("countries").run()
    assert "Choose one or more countries" in texts(at)
    at.multiselect(key="compare.countries").set_value(["KEN", "CHL"]).run()
    assert sorted(heatmap_rows(at)) == ["Chile", "Kenya"]
    assert "Countries counted: 2 (cycle 2025)." in texts(at)


def test_group_medians_name_each_group_with_its_count(three: Env) -> None:
    at = open_tab(compare(three), "scores")
    medians = specs(at)[1]["data"][0]
    assert "Africa (n=2)" in medians["y"]
    assert "Americas (n=1)" in medians["y"]


def interactive_map(at: AppTest) -> AppTest:
    """The map tab with its interactive (Plotly) map switched on: the first screen draws the server's map."""
    open_tab(at, "map")
    at.toggle(key="compare.map_interactive").set_value(True).run()
    assert not at.exception
    return at


def test_the_map_draws_iso3_codes_from_the_apps_own_topojson(three: Env) -> None:
    at = interactive_map(compare(three))
    choropleth = chart(at, "choropleth")["data"][0]
    assert choropleth["locationmode"] == "ISO-3"
    assert sorted(choropleth["locations"]) == ["CHL", "KEN", "RWA"]
    config = json.loads(next(e for e in at.get("plotly_chart") if "choropleth" in e.proto.spec).proto.config)
    assert config["topojsonURL"] == "/app/static/topojson/"


def test_the_map_can_show_a_pillar(three: Env) -> None:
    at = interactive_map(compare(three))
    at.radio(key="compare.measure").set_value("ipv6").run()
    assert chart(at, "choropleth")["data"][0]["colorbar"]["title"]["text"] == three.questionnaire.pillar("ipv6").name.en


def test_the_first_screen_sends_no_drop_down_picker(three: Env) -> None:
    """Issue 26: a fresh browser draws nothing before it has fetched the scripts of every kind of element the page
    sends, and a selectbox's are 20 files: the cycle, the group and the score are radio buttons, and the highlighted
    country's picker is only in the tabs that use it."""
    at = compare(three)
    assert not at.selectbox and not at.multiselect
    assert at.radio(key="compare.cycle").value == 2025 and at.radio(key="compare.group").value == "all"
    assert at.radio(key="compare.measure").value == "overall"
    for name in ("distribution", "trends", "change"):
        assert open_tab(at, name).selectbox(key="compare.focus")
    for name in ("map", "scores", "radar", "stability"):
        assert not [b for b in open_tab(at, name).selectbox if b.key == "compare.focus"]


def test_the_highlighted_country_is_kept_while_another_tab_is_open(three: Env) -> None:
    at = open_tab(compare(three), "distribution")
    at.selectbox(key="compare.focus").set_value("KEN").run()
    open_tab(at, "map")
    open_tab(at, "scores")
    assert open_tab(at, "change").selectbox(key="compare.focus").value == "KEN"
    assert "Kenya: from cycle 2024 to cycle 2025" in texts(at)


def test_the_distribution_highlights_the_chosen_country(three: Env) -> None:
    at = compare(three)
    open_tab(at, "distribution")
    at.selectbox(key="compare.focus").set_value("KEN").run()
    box = chart(at, "box")
    assert [trace["name"] for trace in box["data"]] == ["All countries", "Kenya"]
    assert box["data"][1]["marker"]["symbol"] == "diamond"


def test_the_radar_starts_with_the_top_three_and_takes_at_most_five(three: Env) -> None:
    at = compare(three)
    open_tab(at, "radar")
    assert at.multiselect(key="compare.radar").value == ["KEN", "CHL", "RWA"]
    assert at.multiselect(key="compare.radar").max_selections == 5
    radar = chart(at, "scatterpolar")
    assert [trace["name"] for trace in radar["data"]] == ["Kenya", "Chile", "Rwanda"]


def test_the_trend_covers_every_cycle_of_the_selection(three: Env) -> None:
    at = compare(three)
    open_tab(at, "trends")
    trend = chart(at, "scatter")  # the first scatter chart is the trend (overall first)
    assert trend["data"][0]["x"] == ["2024", "2025"]


def test_the_change_since_last_cycle_explains_the_move(three: Env) -> None:
    at = compare(three)
    open_tab(at, "change")
    at.selectbox(key="compare.focus").set_value("KEN").run()
    assert "Kenya: from cycle 2024 to cycle 2025" in texts(at)
    overall = next(m for m in at.metric if m.label == "Overall")
    assert overall.delta is not None and overall.delta.startswith("+")
    bars = next(s for s in specs(at) if s["data"][0]["type"] == "bar")["data"][0]
    assert all(x > 0 for x in values(bars["x"]))


def test_the_answers_that_moved_their_pillar_most_come_first(three: Env) -> None:
    at = compare(three)
    open_tab(at, "change")
    at.selectbox(key="compare.focus").set_value("KEN").run()
    moved = next(df.value for df in at.dataframe if "Points moved in the pillar" in df.value.columns)
    sizes = list(moved["Points moved in the pillar"].abs())
    assert len(sizes) > 1 and sizes == sorted(sizes, reverse=True)


def test_a_country_with_one_cycle_has_no_change_to_show(three: Env) -> None:
    seed(three, doc(three, "NPL", 2025))
    at = compare(three)
    open_tab(at, "change")
    at.selectbox(key="compare.focus").set_value("NPL").run()
    assert "Nepal has no earlier cycle" in texts(at)


def test_rank_stability_gives_each_country_a_median_rank_and_interval(three: Env) -> None:
    at = compare(three)
    open_tab(at, "stability")
    table = next(df.value for df in at.dataframe if "Median rank" in df.value.columns)
    assert sorted(table["Member State"]) == ["Chile", "Kenya", "Rwanda"]
    assert all(table["90% interval"].str.match(r"^\d+–\d+$"))


def needs_table(at: AppTest, header: str = "Points at stake") -> Any:
    from tests.localization import displayed

    return next(displayed(df) for df in at.dataframe if header in df.value.columns)


def test_assistance_needs_rank_actions_by_points_at_stake_and_name_countries(three: Env) -> None:
    at = compare(three)
    open_tab(at, "assistance")
    raw = next(df.value for df in at.dataframe if "Points at stake" in df.value.columns)
    assert len(raw) > 0
    assert list(raw["Points at stake"]) == sorted(raw["Points at stake"], reverse=True)
    assert raw["Points at stake"].dtype.kind == "f"  # a number in the file and for sorting, one decimal on screen
    assert any("Rwanda (Africa, LDC, LLDC)" in who for who in raw["Which countries (region, groups)"])
    assert not any(code in who for who in raw["Which countries (region, groups)"] for code in ("RWA", "KEN", "CHL"))
    assert list(raw["Validated"] + raw["Self-reported"]) == list(raw["Countries"])
    assert (raw["Validated"] == 0).all()  # imported as submitted: nobody validated them
    assert "Validated by a BDT adviser: 0 of 3; self-reported: 3 of 3." in texts(at)
    assert at.selectbox(key="compare.need_target").value == "group"
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Download CSV", "Download XLSX"} <= set(labels)
    exports = [b.proto.label for b in open_tab(at, "export").get("download_button")]
    assert {"CSV", "XLSX", "JSON"} <= set(exports)


def test_assistance_needs_show_no_rule_clause_or_question_id(three: Env) -> None:
    at = compare(three)
    open_tab(at, "assistance")
    raw = next(df.value for df in at.dataframe if "Points at stake" in df.value.columns)
    assert not {"Rule", "rule_id", "clause", "pillar_id"} & set(raw.columns)
    assert not any(str(c).startswith(("instructs-", "invites-", "recognizing-", "resolves-"))
                   for c in raw["Resolution 197 clause"])
    assert any(c == "instructs the Director of BDT, 3" for c in raw["Resolution 197 clause"])
    assert all(p in {p.short_name("en") for p in three.questionnaire.pillars} for p in raw["Pillar"])


def test_a_higher_target_tier_puts_more_points_at_stake(three: Env) -> None:
    at = compare(three)
    open_tab(at, "assistance")
    assert at.selectbox(key="compare.need_target").format_func("group").endswith("(the group's target)")
    at.selectbox(key="compare.need_target").set_value("evolving").run()
    before = next(df.value for df in at.dataframe if "Points at stake" in df.value.columns)["Points at stake"].sum()
    at.selectbox(key="compare.need_target").set_value("role_modelling").run()
    assert not at.exception
    after = next(df.value for df in at.dataframe if "Points at stake" in df.value.columns)["Points at stake"].sum()
    assert after > before
    assert "below the target (Role-modelling, 85 points" in texts(at)


def test_validated_only_counts_the_assessments_an_adviser_validated(three: Env) -> None:
    with three.session() as s:
        s.execute(text("UPDATE assessment SET status = 'validated' WHERE country = 'RWA' AND cycle = 2025"))
        s.commit()
    at = compare(three)
    open_tab(at, "assistance")
    raw = next(df.value for df in at.dataframe if "Points at stake" in df.value.columns)
    rwanda = raw["Which countries (region, groups)"].str.contains("Rwanda")
    assert rwanda.any() and (raw.loc[rwanda, "Validated"] == 1).all() and (raw.loc[~rwanda, "Validated"] == 0).all()
    at.radio(key="compare.need_basis").set_value("validated").run()
    assert not at.exception
    raw = next(df.value for df in at.dataframe if "Points at stake" in df.value.columns)
    assert set(raw["Self-reported"]) == {0} and set(raw["Countries"]) == {1}
    assert all(who.startswith("Rwanda") for who in raw["Which countries (region, groups)"])
    assert "Countries counted: 1; self-reported countries left out: 2." in texts(at)


def test_validated_only_with_nothing_validated_says_so(three: Env) -> None:
    at = compare(three)
    open_tab(at, "assistance")
    at.radio(key="compare.need_basis").set_value("validated").run()
    assert not at.exception
    assert "No assessment of this selection has been validated" in texts(at)
    assert not any("Points at stake" in df.value.columns for df in at.dataframe)


def test_the_french_assistance_table_speaks_french(three: Env) -> None:
    from tests.localization import code_like_tokens, decimal_points

    at = compare(three)
    switch_language(at, "fr")
    open_tab(at, "assistance", "fr")
    assert not at.exception
    table = needs_table(at, "Points en jeu")
    assert list(table.columns[:3]) == ["Points en jeu", "Action", "Pays"]
    assert {"Pilier", "Horizon", "Validés", "Auto-déclarés"} <= set(table.columns)
    assert all("," in v for v in table["Points en jeu"] if v not in ("0", "–"))  # one decimal, with a comma
    assert any("Rwanda (Afrique, PMA, PDSL)" in who for who in table["Quels pays (région, groupes)"])
    assert set(table["Horizon"]) <= {"Gains rapides", "1 à 2 ans", "Long terme"}
    cells = "\n".join(str(v) for row in table.itertuples(index=False) for v in row)
    assert code_like_tokens(cells, three.questionnaire) == [] and decimal_points(cells, three.questionnaire) == []
    assert "Validées par un conseiller du BDT\u202f: 0 sur 3\u202f; auto-déclarées\u202f: 3 sur 3." in texts(at)
    assert at.radio(key="compare.need_basis").format_func("validated") == "Validées seulement"


def test_an_assessment_the_questionnaire_cannot_score_is_left_out_and_counted(three: Env) -> None:
    with three.session() as s:
        s.execute(text("UPDATE assessment SET questionnaire_hash = 'edited' WHERE country = 'CHL' AND cycle = 2025"))
        s.commit()
    at = compare(three)
    assert sorted(heatmap_rows(at)) == ["Kenya", "Rwanda"]
    shown = texts(at)
    assert "Assessments left out, made with another version" in shown and "): 1." in shown
    assert "A draft counts once upgraded" in shown  # and what to do about it


def test_a_new_submission_shows_on_the_next_rerun(three: Env) -> None:
    at = compare(three)
    seed(three, doc(three, "NPL", 2025))
    at.run()
    assert "Nepal" in heatmap_rows(at)


def test_the_page_speaks_french(three: Env) -> None:
    at = three.app()
    at.query_params["lang"] = "fr"
    at = open_page(at, "compare")
    assert not at.exception
    assert at.title[0].value == "Comparer"
    at.radio(key="compare.group").set_value("sids").run()
    assert "Petits États insulaires" in at.radio(key="compare.group").format_func("sids")


def test_only_drafts_says_why_nothing_counts_and_offers_to_count_them(env: Env) -> None:
    seed(env, doc(env, "NPL", 2025, 0.6, status="draft"), doc(env, "KEN", 2025, 0.4, status="draft"))
    at = compare(env)
    assert "Drafts that do: 2." in texts(at)
    assert not at.get("plotly_chart")
    at.button(key="compare.switch_drafts").click().run()
    assert not at.exception
    assert at.toggle(key="compare.drafts").value is True
    assert set(heatmap_rows(at)) == {"Nepal", "Kenya"}


def test_real_drafts_only_offer_the_illustrative_data_too(env: Env) -> None:
    seed(env, doc(env, "NPL", 2025, 0.6, status="draft"), doc(env, "BRA", 2025, 0.6, illustrative=True))
    at = compare(env)
    at.button(key="compare.switch_demo").click().run()
    assert not at.exception
    assert at.toggle(key="compare.illustrative").value is True
    assert heatmap_rows(at) == ["Brazil"]


def test_incomplete_submissions_count_and_are_said_to(env: Env) -> None:
    from answers.document import Answer

    seed(env, doc(env, "NPL", 2025, 0.6), doc(env, "KEN", 2025, answers={"pol_framework": Answer(value="adopted")}))
    at = compare(env)
    assert set(heatmap_rows(at)) == {"Nepal", "Kenya"}
    assert "Incomplete assessments: 1 of 2." in texts(at)


@pytest.mark.parametrize("section", ["_map", "_radar", "_trend"])
def test_a_section_with_its_own_widget_is_a_fragment(section: str) -> None:
    """In the browser a fragment's widget reruns that section only (AppTest reruns the whole script, so the
    page's logic is checked there and this checks the wiring: the section is wrapped by ``st.fragment``)."""
    import inspect

    from ui.views import compare as view

    wrapped = getattr(view, section)
    assert getattr(wrapped, "__wrapped__", None) is not None
    assert "fragment" in inspect.getsource(inspect.getmodule(wrapped) or view).split(f"def {section}(")[0][-40:]


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_table_of_every_tab_writes_the_languages_numbers_and_no_internal_id(three: Env, lang: str) -> None:
    """Issue 12.1, then 24: the tables of all nine tabs (AppTest renders every tab), as displayed, in each offered
    language: its decimal mark, no id, no English catalog text; French's own forms checked in French."""
    from questionnaires.languages import cldr
    from questionnaires.messages import t
    from tests.localization import code_like_tokens, displayed, english_leaks, wrong_decimals

    at = compare(three)
    open_tab(at, "distribution")  # the highlighted country's picker is in the tabs that use it
    at.selectbox(key="compare.focus").set_value("KEN").run()  # KEN has 2024 and 2025: the change tab has tables
    switch_language(at, lang)
    assert not at.exception
    tables: list[Any] = []
    seen: list[str] = []
    for name in ("map", "scores", "distribution", "radar", "trends", "change", "stability", "assistance", "export"):
        open_tab(at, name, lang)  # only the open tab is drawn: open each in turn
        tables += [*html_tables(at), *(displayed(d) for d in at.dataframe)]  # the map's is a plain table
        seen += [texts(at), *(f"{m.label} {m.value}" for m in at.metric)]
    assert len(tables) >= 9
    cells = [str(v) for table in tables for row in table.itertuples(index=False) for v in row]
    cells += [str(c) for table in tables for c in table.columns]
    shown = "\n".join([*seen, *cells])
    assert code_like_tokens(shown, three.questionnaire) == []
    assert wrong_decimals(shown, three.questionnaire, lang) == []
    assert english_leaks(shown, lang) == []
    assert "None" not in cells and "nan" not in cells
    scores = tables[1]  # the map's table first, then the scores tab's
    assert any(cldr(lang)["decimal"] in v for v in scores[t("overall", lang)])
    assert scores_table(open_tab(at, "scores", lang))[t("overall", lang)].dtype.kind == "f"  # the column sorts so
    changes = (t("ui.compare.delta", lang), t("ui.compare.points_delta", lang))
    signed = [v for table in tables for c in changes if c in table.columns for v in table[c]]
    assert signed and all(v == "–" or v[0] in "+-" for v in signed)  # changes keep their sign: "+12,5"
    if lang == "fr":
        assert all(v.endswith("\u202f%") for v in scores["Complétude"])  # a percent, no decimal point


def test_one_action_in_full_lists_every_country_that_needs_it(three: Env) -> None:
    at = compare(three)
    open_tab(at, "assistance")
    raw = next(df.value for df in at.dataframe if "Points at stake" in df.value.columns)
    last = len(raw) - 1
    at.selectbox(key="compare.need_detail").set_value(last).run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert raw.iloc[last]["Action"] in shown
    n = raw.iloc[last]["Countries"]
    assert any(v.startswith(f"**Countries: {n}**") for v in shown)
    bullets = next(v for v in shown if v.startswith("- "))
    lines = bullets.splitlines()
    assert len(lines) == n and all(line.split(" (")[0][2:] in {"Kenya", "Chile", "Rwanda"} for line in lines)


def _in_french(at: AppTest) -> AppTest:
    switch_language(at, "fr")
    assert not at.exception
    return at


def test_french_counts_read_right_for_one_and_many(env: Env) -> None:
    """Counts are "n sur total" labels, so no plural has to agree (reviewers read "1 ont été validés")."""
    from answers.document import Answer

    seed(env, doc(env, "NPL", 2025, 0.6), doc(env, "KEN", 2025, answers={"pol_framework": Answer(value="adopted")}))
    at = _in_french(compare(env))
    shown = "\n".join([texts(at), texts(open_tab(at, "export", "fr")), texts(open_tab(at, "assistance", "fr"))])
    assert "Pays pris en compte\u202f: 2 (cycle 2025)." in shown
    assert "Évaluations incomplètes\u202f: 1 sur 2." in shown
    assert "d'entre elles" not in shown and "soumises incomplètes" not in shown
    assert "Validées par un conseiller du BDT\u202f: 0 sur 2\u202f; auto-déclarées\u202f: 2 sur 2." in shown
    assert "Les évaluations de cette sélection (2)" in shown


def test_a_published_incomplete_assessment_is_not_called_submitted(env: Env) -> None:
    from answers.document import Answer

    seed(env, doc(env, "KEN", 2025, answers={"pol_framework": Answer(value="adopted")}))
    with env.session() as s:
        s.execute(text("UPDATE assessment SET status = 'published' WHERE country = 'KEN'"))
        s.commit()
    shown = texts(_in_french(compare(env)))
    assert "Évaluations incomplètes\u202f: 1 sur 1." in shown
    assert "soumise incomplète" not in shown and "soumises incomplètes" not in shown


def test_the_french_illustrative_toggle_is_short_and_its_help_says_the_rest(three: Env) -> None:
    toggle = _in_french(compare(three)).toggle(key="compare.illustrative")
    assert toggle.label == "Données illustratives"
    assert "démonstration" in toggle.help and "jamais mélangées" in toggle.help


def test_the_french_tab_names_are_short(three: Env) -> None:
    """Nine tabs fit a 1280 px screen (the browser test measures it); long names were cut to "Besoins d'assistanc›"."""
    labels = [tab.label for tab in _in_french(compare(three)).tabs]
    assert labels == ["Carte", "Scores et rangs", "Distribution", "Radar", "Tendances", "Évolution", "Stabilité",
                      "Assistance", "Exporter"]


def test_heatmap_cells_print_the_tables_figure_in_french(env: Env) -> None:
    """The cell and the table beside it show the same one-decimal score with a decimal comma (57,5, not 58)."""
    from tests.localization import displayed

    seed(env, doc(env, "NPL", 2025, 0.6), doc(env, "KEN", 2025, 0.25))
    at = open_tab(_in_french(compare(env)), "scores", "fr")
    heat = specs(at)[0]["data"][0]
    table = displayed(at.dataframe[0]).set_index("État Membre")
    assert heat["x"][0] == "Global"
    for name, cells in zip(heat["y"], heat["text"], strict=True):
        assert cells[0] == table.loc[name, "Global"]
        assert all("," in c and "." not in c for c in cells)
    assert "%{text}" in heat["hovertemplate"] and "\u202f:" in heat["hovertemplate"]


def _drawn_map(at: AppTest) -> tuple[str, str]:
    """The first tab's server-drawn map: its SVG (decoded from the image's data URL) and its text alternative."""
    (drawn,) = pictures(at)
    return drawn


def _tooltips(svg: str) -> dict[str, str]:
    """Country -> the score its tooltip says, as written in the SVG."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    tips = [p.findtext(f"{ns}title") or "" for p in ET.fromstring(svg).iter(f"{ns}path")]
    return {tip.split(":")[0].rstrip("\u202f"): tip.split(": ")[1].split(" · ")[0] for tip in tips if tip}


def test_the_first_screen_is_the_servers_map_and_its_table_without_plotly(three: Env) -> None:
    """Issue 26: the first tab draws no Plotly chart (its bundle made the first screen 3× a bare page); the map
    comes from the server as an image with a text alternative, and its table holds each country's score as shown."""
    at = _in_french(compare(three))
    assert not at.get("plotly_chart")
    svg, alt = _drawn_map(at)
    assert alt == "Carte du monde\u202f: Global, 3 pays colorés selon leur niveau\u202f; le tableau donne chaque score."
    table = html_tables(at)[0].set_index("État Membre")
    assert sorted(table.index) == ["Chili", "Kenya", "Rwanda"]
    assert _tooltips(svg) == dict(table["Score"])  # the map says what the table says: "62,5", decimal comma
    assert all("," in v for v in table["Score"])
    assert at.toggle(key="compare.map_interactive").label == "Carte interactive (zoom, survol)"


def test_the_drawn_map_follows_the_score_shown(three: Env) -> None:
    at = compare(three)
    at.radio(key="compare.measure").set_value("ipv6").run()
    pillar = three.questionnaire.pillar("ipv6").name.en
    svg, alt = _drawn_map(at)
    assert alt.startswith(f"World map of {pillar}: 3 countries")
    shown = html_tables(at)[0].set_index("Member State")["Score"]
    assert _tooltips(svg) == dict(shown)
    assert not at.get("plotly_chart")


def test_the_map_and_the_scores_list_the_same_rows(three: Env) -> None:
    """The first screen's map table and the scores tab's heatmap count the same countries."""
    at = compare(three)
    first = sorted(heatmap_rows(at))
    assert first == sorted(specs(open_tab(at, "scores"))[0]["data"][0]["y"]) == ["Chile", "Kenya", "Rwanda"]


# Issue 26: the map's table is a plain HTML table (no data grid to load on the first screen); the interactive
# map brings the grid.


def test_the_first_screen_draws_no_data_grid_and_no_image_element(three: Env) -> None:
    """The map is a plain <img> in the page's HTML: an image element made a fresh browser fetch its viewer's
    scripts (toolbar, full-screen frame) before the map could be drawn."""
    at = compare(three)
    assert not at.exception
    assert not at.dataframe and not at.get("image")
    assert sorted(heatmap_rows(at)) == ["Chile", "Kenya", "Rwanda"]


def test_the_maps_plain_table_shows_what_the_interactive_maps_grid_shows_in_french(three: Env) -> None:
    from tests.localization import displayed

    at = _in_french(compare(three))
    plain = html_tables(at)[0]
    at.toggle(key="compare.map_interactive").set_value(True).run()
    grid = displayed(at.dataframe[0]).astype(str)
    assert list(plain.columns) == list(grid.columns)
    assert plain.values.tolist() == grid.values.tolist()
    assert all("," in v and "." not in v for v in plain["Score"])


def test_the_maps_plain_table_scrolls_in_a_named_region_the_keyboard_reaches(three: Env) -> None:
    at = _in_french(compare(three))
    (body,) = [h.proto.body for h in at.get("html") if "<table" in h.proto.body]
    assert 'tabindex="0"' in body and 'role="region"' in body
    assert 'aria-label="Tableau de la carte\u202f: Global, le score et le niveau de chaque pays"' in body


def test_the_map_and_its_table_are_sent_before_the_interactive_switch(three: Env) -> None:
    """Issue 26: the first screen (the drawn map, its table) comes before the switch to Plotly's map and its
    script chunks; the switch stays, under them."""
    from tests.ui.test_results import _walk

    at = compare(three)
    sent = [n for n in _walk(at.main) if n.type in ("html", "toggle")]
    kinds = [str(n.key) if n.type == "toggle" else "picture" if "iot-picture" in n.proto.body else
             "table" if "iot-table" in n.proto.body else n.type for n in sent]
    picture = kinds.index("picture")
    assert kinds[picture + 1] == "table" and "compare.map_interactive" in kinds[picture + 2:]
    assert "compare.map_interactive" not in kinds[:picture]


def test_the_open_tab_stays_open_after_a_language_switch(three: Env) -> None:
    """The open tab is held by its name: after a switch to French the scores tab is still the one open (it fell back
    to the map), now by its French name, and it is drawn."""
    from questionnaires.messages import t

    at = open_tab(compare(three), "scores")
    assert specs(at)  # the heatmap
    switch_language(at, "fr")
    assert not at.exception and not at.warning
    assert at.session_state["compare.tab"] == t("ui.compare.tab.scores", "fr")
    assert specs(at) and not pictures(at)  # the heatmap again, not the map tab
