"""Compare page: rerun time after one adviser's change, against a bare script drawing the same figures.

Data: 193 UN Member States x 5 cycles (2021-2025), all submitted, loaded into a temporary SQLite
database through ``assessment.service.import_document``. Both scripts are driven by Streamlit's AppTest
in the same run, interleaved, so machine noise hits both alike. Two changes are timed, alternating values
so every rerun is a real change: the map's "Score shown" (``compare.measure``) and the highlighted country
(``compare.focus``).

The app's rerun is what the page does for that change: the data stamp (one aggregate query), the cached
dataset (warm after the first run: the documents are not re-read nor re-scored, which is the point of
``ui.compare_data``), selection, ranks, medians, map data, distribution, trend, the change report, the
cached rank stability and assistance tables, and every table built for display. The bare script gets
every DataFrame precomputed and pickled outside the timed region (loaded once, ``st.cache_resource``),
and each rerun builds the same figures with the same ``ui.compare_charts`` functions and renders them
with the same tabs, widgets, tables, column configs and download buttons (data deferred to the click in
both), without logic. A check fails the run if the two do not show the same number of charts, tables
and table shapes, and warns if any figure (spec or config), table (values or column config), text or
widget (label and options) differs. Target: the app at most 1.5x the bare script.
Run: ``python benchmarks/compare_page.py [rounds]``.
"""

from __future__ import annotations

import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, Python puts benchmarks/ first on the path, where benchmarks/scoring.py would
# shadow the scoring package: use the project root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from sqlmodel import Session  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from answers.document import AnswersDocument  # noqa: E402
from assessment.filters import AssessmentFilter  # noqa: E402
from benchmarks.timing import timed_rerun  # noqa: E402
from questionnaires import Questionnaire, default_questionnaire  # noqa: E402

TARGET_RATIO = 1.5
FIRST_TARGET = 2.0
CYCLES: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025)
SCALE_ENV = "IOTREADY_BENCH_SCALE"  # set: every Member State over ten cycles (benchmarks/scale.py's data, its own copy)
LANG = "en"
OVERALL = "overall"
ALL = "all"


def documents(questionnaire: Questionnaire) -> list[AnswersDocument]:
    """193 UN Member States x 5 cycles, random valid answers, all submitted, not illustrative."""
    from benchmarks.generate import random_documents
    from refdata import countries

    members = [c.iso3 for c in countries() if c.un_member]
    n = len(members) * len(CYCLES)
    return [
        d.model_copy(update={"country": members[i % len(members)], "cycle": CYCLES[i // len(members)],
                             "status": "submitted", "illustrative": False})
        for i, d in enumerate(random_documents(questionnaire, n))
    ]


def load(url: str, questionnaire: Questionnaire, docs: list[AnswersDocument]) -> float:
    """Import every document through the service layer, as the exchange page does; return the seconds."""
    from assessment import db, service

    start = time.perf_counter()
    with Session(db.connect(url)) as s:
        for doc in docs:
            service.import_document(s, doc=doc, questionnaire=questionnaire)
    return time.perf_counter() - start


def precompute(url: str, questionnaire: Questionnaire, measures: list[str], focuses: list[str]) -> dict[str, Any]:
    """Every DataFrame and label the Compare page shows for the default selection (cycle 2025, every
    Member State), for each measure and highlighted country the benchmark switches to.

    Mirrors ``ui.views.compare`` step by step; nothing here is timed.
    """
    from assessment import db, service
    from compare import (
        GROUP_IDS,
        change_since_last_cycle,
        distribution,
        group_medians,
        map_data,
        rank_stability,
        ranks,
        scores_frame,
        trend,
    )
    from compare.priorities import assistance_priorities, group_target
    from compare.stats import distribution_summary
    from formatting.markdown import tier_name
    from formatting.numbers import fmt_number, fmt_score
    from questionnaires.messages import separator, t
    from refdata import country_name
    from ui import data as ui_data
    from ui.compare_data import ROW, Dataset, Selection
    from ui.compare_tables import (
        answers_change_table,
        distribution_table,
        group_label,
        map_table,
        medians_table,
        pillar_change_table,
        priorities_headers,
        priorities_table,
        scores_table,
        stability_table,
    )
    from ui.tables import text_columns

    q, lang = questionnaire, LANG
    engine = db.connect(url)
    with Session(engine) as s:
        docs = service.export_documents(s, AssessmentFilter(questionnaire=q))
        ids = [r.id for r in service.list_assessments(s, AssessmentFilter(questionnaire=q))]
    by_id = dict(zip(ids, docs, strict=True))
    frame = scores_frame(q, docs)
    frame[ROW] = ids
    frame["illustrative"] = frame["illustrative"].astype(bool)
    frame["validated"] = False  # all submitted, none validated (as ui.compare_data derives it from the state)
    ds = Dataset(stamp="bench", frame=frame, cycles={False: sorted(CYCLES, reverse=True)},
                 load=lambda wanted: [by_id[i] for i in wanted])
    selection = Selection(illustrative=False, submitted_only=True, cycle=max(CYCLES))
    rows = ds.rows(selection)
    rows["name"] = rows["name_en"]
    out: dict[str, Any] = {"labels": {}, "cycles": ds.cycles[False]}
    labels = out["labels"]
    for key in ("ui.nav.compare", "ui.compare.intro", "ui.compare.demo", "ui.compare.demo_help", "ui.compare.drafts",
                "ui.compare.drafts_help", "ui.col.cycle", "ui.compare.scope", "ui.compare.group",
                "ui.compare.focus", "ui.compare.focus_help", "ui.compare.overview_help", "ui.compare.medians_title",
                "ui.compare.medians_help", "ui.compare.measure", "ui.compare.map_help", "ui.compare.radar_pick",
                "ui.compare.trend_of", "ui.compare.trend_selection", "ui.compare.change_answers",
                "ui.compare.change_why", "ui.compare.stability_help", "ui.compare.assistance_help",
                "ui.compare.download_csv", "ui.compare.download_xlsx", "overall", "ui.compare.tier_before",
                "ui.compare.tier_now", "ui.sidebar.local_mode", "ui.sidebar.local_mode_help"):
        labels[key] = t(key, lang)
    labels["scopes"] = [t(f"ui.compare.scope_{s}", lang) for s in ("group", "countries")]
    labels["groups"] = [t("ui.compare.all_members", lang), *(group_label(g, lang) for g in GROUP_IDS)]
    labels["counted"] = t("ui.compare.counted", lang, n=rows["country"].nunique(), cycle=selection.cycle)
    latest = rows.drop_duplicates("country", keep="last")  # as the page counts them: "n of total"
    incomplete = latest.loc[latest["completeness"] < 1]
    labels["incomplete"] = (t("ui.compare.incomplete_counted", lang, n=len(incomplete), total=len(latest))
                            if len(incomplete) else None)
    labels["tabs"] = [t(f"ui.compare.tab.{k}", lang) for k in (
        "scores", "map", "distribution", "radar", "trends", "change", "stability", "assistance", "export")]
    labels["export_help"] = t("ui.compare.export_help", lang, n=len(rows))
    focus_options = sorted(rows["country"].unique(), key=lambda c: country_name(c, lang))
    labels["focus_options"] = [country_name(c, lang) for c in focus_options]

    # Scores tab: the heatmap of every country and its table, then the group medians.
    ordered = rows.sort_values(["overall", "name"], ascending=[False, True], na_position="last")
    scores = scores_table(q, ordered, ranks(ordered).set_index("country")["rank_label"], lang)
    out["scores"] = {"rows": ordered, "table": scores, "config": text_columns(scores)}
    medians, table = medians_table(q, group_medians(rows, q), lang)
    out["medians"] = {"rows": medians, "table": table}

    # Map tab, for every measure.
    every_measure = [OVERALL, *(p.id for p in q.pillars)]
    labels["measures"] = {m: t("overall", lang) if m == OVERALL else q.pillar(m).name.get(lang) for m in every_measure}
    out["map"] = {}
    for m in measures:
        points = map_data(rows, q, pillar=None if m == OVERALL else m, lang=lang)
        out["map"][labels["measures"][m]] = {"points": points, "table": map_table(points, lang)}

    # Distribution (the same boxes; the table and the diamond follow the highlighted country), change tab.
    out["long"] = distribution(rows, q)
    out["focus"] = {}
    for focus in focuses:
        name = country_name(focus, lang)
        summary = distribution_table(q, distribution_summary(rows, q), rows, focus, lang)
        report = change_since_last_cycle(q, ds.country_documents(focus, False), focus, cycle=selection.cycle,
                                         submitted_only=True, illustrative=False, lang=lang)
        assert report is not None
        assert not report.answers.empty
        out["focus"][name] = {
            "iso3": focus, "summary": summary,
            "title": t("ui.compare.change_title", lang, country=name, old=report.from_cycle, new=report.to_cycle),
            "metrics": (fmt_score(report.overall_new),
                        None if report.overall_delta is None else f"{report.overall_delta:+.1f}",
                        tier_name(q, report.tier_old, lang), tier_name(q, report.tier_new, lang)),
            "pillars": report.pillars, "change": pillar_change_table(q, report, lang),
            "answers": answers_change_table(q, report, lang),
            "answers_config": {t("ui.col.question", lang): st.column_config.TextColumn(width="large")},
        }

    # Radar (the three best by default), trend of the selection.
    options = list(rows.sort_values("overall", ascending=False)["country"].unique())
    chosen = rows.loc[rows["country"].isin(options[:3])].drop_duplicates("country", keep="last").set_index("country")
    out["radar"] = {"options": [country_name(c, lang) for c in options],
                    "default": [country_name(c, lang) for c in options[:3]],
                    "rows": chosen.loc[options[:3]].reset_index()}
    series = trend(ds.rows(selection, all_cycles=True), q)
    out["trend"] = {"series": series}

    # Rank stability and assistance needs (cached per selection by the app, so precomputed alike).
    # The page draws within the expert panel's spread when the version has one (a radio offers both), else uniform.
    panel = ui_data.panel()
    method = "uniform" if panel is None else "panel"
    latest = rows.drop_duplicates("country", keep="last")
    drawn = rank_stability(q, latest, method="panel", panel=panel) if panel else rank_stability(q, latest)
    result = drawn.merge(rows[["country", "name_en", "name_fr"]].drop_duplicates("country"), on="country")
    result["name"] = result["name_en"]
    out["stability"] = {
        "result": result, "table": stability_table(result, lang),
        "draw": None if panel is None else (t("ui.compare.stability_draw", lang),
                                            [t(f"ui.compare.stability_draw_{m}", lang) for m in ("panel", "uniform")]),
        "used": t(f"ui.compare.stability_used_{method}" if panel else "ui.compare.stability_used_uniform_no_panel",
                  lang),
    }
    tier = group_target(q, list(rows["overall"]))
    assist = assistance_priorities(q, ds.documents(rows), target_tier=tier, validated=list(rows["validated"]),
                                   lang=lang)
    headers = priorities_headers(lang)
    n = len(latest)
    shown = priorities_table(q, assist, lang)
    first = shown.to_dict("records")[0] if len(shown) else None
    out["assistance"] = {
        "table": shown,
        "config": {headers["action"]: st.column_config.TextColumn(width="large"),
                   headers["countries"]: st.column_config.TextColumn(width="large")},
        "target": t("ui.compare.need.target", lang), "target_help": t("ui.compare.need.target_help", lang),
        "targets": [t("ui.compare.need.target_group", lang, tier=tier_name(q, tier, lang)),
                    *(tier_name(q, x.id, lang) for x in sorted(q.tiers, key=lambda x: x.min_score)[1:])],
        "basis": t("ui.compare.need.basis", lang), "basis_help": t("ui.compare.need.basis_help", lang),
        "bases": [t(f"ui.compare.need.basis_{b}", lang) for b in ("all", "validated")],
        "shows": t("ui.compare.need.shows_all", lang, n=n, validated=0, reported=n),
        "method": t("ui.compare.need.method", lang, tier=tier_name(q, tier, lang),
                    score=fmt_number(q.tier(tier).min_score, lang)),
        "detail": t("ui.compare.need.detail", lang),
        "details": [f"{fmt_score(float(p), lang)} · {a}"
                    for p, a in zip(shown[headers["points_at_stake"]], shown[headers["action"]], strict=True)],
        # The first action in full, as the page's detail card shows it (translated labels, no ids).
        "first": None if first is None else {
            "action": first[headers["action"]],
            "facts": f"{first[headers['pillar_id']]} · {first[headers['horizon']]} · "
                     f"{headers['clause']}{separator(':', lang)}{first[headers['clause']]}",
            "who": t("ui.compare.need.detail_countries", lang, n=first[headers["n_countries"]],
                     validated=first[headers["validated"]], reported=first[headers["self_reported"]]),
            "countries": "\n".join(f"- {c}" for c in str(first[headers["countries"]]).split("; ")),
        },
    }
    return out


BARE = '''\
import pickle

import streamlit as st

from questionnaires import default_questionnaire
from ui import browser
from ui import compare_charts as charts
from ui.tables import chart_with_table, localized


@st.cache_resource
def load():
    with open({path!r}, "rb") as f:
        return pickle.load(f), default_questionnaire()


D, Q = load()
L = D["labels"]
MAP = {{"topojsonURL": charts.TOPOJSON_URL}}


def show(fig, table, key, side_by_side=True):
    chart_with_table(fig, table, key, side_by_side=side_by_side, config=MAP, table_height=420, lang="en")


st.set_page_config(page_title="IoT Readiness", layout="wide")
with st.sidebar:
    st.selectbox("Language / Langue", ["English", "Français"], key="lang")
    st.caption(L["ui.sidebar.local_mode"], help=L["ui.sidebar.local_mode_help"])
browser.page_scripts("en")  # the app's style sheet and script, on every page
st.title(L["ui.nav.compare"])
st.caption(L["ui.compare.intro"])
with st.container(border=True):
    top = st.columns([2, 2, 1], vertical_alignment="bottom")
    top[0].toggle(L["ui.compare.demo"], key="compare.illustrative", help=L["ui.compare.demo_help"])
    top[1].toggle(L["ui.compare.drafts"], key="compare.drafts", help=L["ui.compare.drafts_help"])
    top[2].selectbox(L["ui.col.cycle"], D["cycles"], key="compare.cycle")
    scope_col, pick_col = st.columns([1, 2])
    scope_col.radio(L["ui.compare.scope"], L["scopes"], key="compare.scope")
    pick_col.selectbox(L["ui.compare.group"], L["groups"], key="compare.group")
st.caption(L["counted"])
if L["incomplete"]:
    st.caption(L["incomplete"])
focus = st.selectbox(L["ui.compare.focus"], L["focus_options"], key="compare.focus", help=L["ui.compare.focus_help"])
F = D["focus"][focus]
tabs = st.tabs(L["tabs"])
with tabs[0]:
    st.caption(L["ui.compare.overview_help"])
    st.plotly_chart(charts.heatmap(D["scores"]["rows"], Q, "en"), key="compare.chart.heatmap",
                    config={{"displaylogo": False, "displayModeBar": False}})
    st.dataframe(localized(D["scores"]["table"], "en"), hide_index=True, width="stretch",
                 column_config=D["scores"]["config"])
    st.subheader(L["ui.compare.medians_title"])
    st.caption(L["ui.compare.medians_help"])
    show(charts.heatmap(D["medians"]["rows"], Q, "en"), D["medians"]["table"], "compare.chart.medians",
         side_by_side=False)
with tabs[1]:
    measure = st.selectbox(L["ui.compare.measure"], list(L["measures"].values()), key="compare.measure")
    M = D["map"][measure]
    show(charts.world_map(M["points"], "en", measure), M["table"], "compare.chart.map", side_by_side=False)
    st.caption(L["ui.compare.map_help"])
with tabs[2]:
    show(charts.distribution(D["long"], Q, "en", highlight=F["iso3"], highlight_name=focus), F["summary"],
         "compare.chart.distribution")
with tabs[3]:
    st.multiselect(L["ui.compare.radar_pick"], D["radar"]["options"], default=D["radar"]["default"],
                   key="compare.radar", max_selections=charts.MAX_RADAR)
    fig, table = charts.radar_overlay(D["radar"]["rows"], Q, "en")
    show(fig, table, "compare.chart.radar")
with tabs[4]:
    st.radio(L["ui.compare.trend_of"], [L["ui.compare.trend_selection"], focus], horizontal=True,
             key="compare.trend")
    fig, table = charts.trend_lines(D["trend"]["series"], Q, "en")
    show(fig, table, "compare.chart.trend", side_by_side=False)
with tabs[5]:
    st.markdown(F["title"])
    cols = st.columns(3)
    cols[0].metric(L["overall"], F["metrics"][0], delta=F["metrics"][1])
    cols[1].metric(L["ui.compare.tier_before"], F["metrics"][2])
    cols[2].metric(L["ui.compare.tier_now"], F["metrics"][3])
    show(charts.pillar_deltas(F["pillars"], Q, "en"), F["change"], "compare.chart.change")
    st.markdown("**" + L["ui.compare.change_answers"] + "**")
    st.dataframe(localized(F["answers"], "en"), hide_index=True, width="stretch", column_config=F["answers_config"])
    st.caption(L["ui.compare.change_why"])
with tabs[6]:
    st.caption(L["ui.compare.stability_help"])
    if D["stability"]["draw"]:
        st.radio(*D["stability"]["draw"], key="compare.stability_draw", horizontal=True)
    st.caption(D["stability"]["used"])
    show(charts.stability(D["stability"]["result"], "en"), D["stability"]["table"], "compare.chart.stability")
with tabs[7]:
    A = D["assistance"]
    st.caption(L["ui.compare.assistance_help"])
    left, right = st.columns(2)
    left.selectbox(A["target"], A["targets"], key="compare.need_target", help=A["target_help"])
    right.radio(A["basis"], A["bases"], key="compare.need_basis", horizontal=True, help=A["basis_help"])
    st.caption(A["shows"])
    st.dataframe(localized(A["table"], "en"), hide_index=True, width="stretch", column_config=A["config"])
    st.caption(A["method"])
    st.selectbox(A["detail"], A["details"], key="compare.need_detail")
    if A["first"]:
        with st.container(border=True):
            st.markdown(A["first"]["action"])
            st.caption(A["first"]["facts"])
            st.markdown(A["first"]["who"])
            st.markdown(A["first"]["countries"])
    left, right = st.columns(2)
    left.download_button(L["ui.compare.download_csv"], data=lambda: b"", file_name="a.csv", mime="text/csv",
                         on_click="ignore", key="compare.assist_csv", icon=":material/download:")
    right.download_button(L["ui.compare.download_xlsx"], data=lambda: b"", file_name="a.xlsx",
                          mime="application/octet-stream", on_click="ignore", key="compare.assist_xlsx",
                          icon=":material/download:")
with tabs[8]:
    st.caption(L["export_help"])
    cols = st.columns(3)
    cols[0].download_button("CSV", data=lambda: b"", file_name="a.csv", mime="text/csv", on_click="ignore",
                            key="compare.export_csv", icon=":material/download:")
    cols[1].download_button("XLSX", data=lambda: b"", file_name="a.xlsx", mime="application/octet-stream",
                            on_click="ignore", key="compare.export_xlsx", icon=":material/download:")
    cols[2].download_button("JSON", data=lambda: b"", file_name="a.json", mime="application/json",
                            on_click="ignore", key="compare.export_json", icon=":material/download:")
'''


def bare_script(pickle_path: Path) -> str:
    """The Compare page's layout, widgets, figures and tables from precomputed frames, with no logic."""
    return BARE.format(path=str(pickle_path))


def _shown(at: AppTest) -> tuple[int, list[tuple[int, int]]]:
    """Number of charts and the shape of every table, to check both scripts show as much."""
    return len(at.get("plotly_chart")), [df.value.shape for df in at.dataframe]


TEXTS = ("title", "subheader", "caption", "markdown", "html")
WIDGETS = ("toggle", "selectbox", "radio", "multiselect", "download_button")


def _texts(at: AppTest) -> list[str]:
    """Every text and widget a reader sees (widgets by label and shown options), in page order per kind."""
    out = [f"{kind}: {e.proto.body}" for kind in TEXTS for e in at.get(kind)]
    out += [f"metric: {m.label} {m.value} {m.proto.body}" for m in at.metric]
    for kind in WIDGETS:
        out += [f"{kind}: {e.proto.label} {list(getattr(e.proto, 'options', []))}" for e in at.get(kind)]
    return out


def _differences(app: AppTest, bare: AppTest) -> list[str]:
    """The charts (figure and config), tables (values and column config) and texts that differ between the scripts."""
    if _shown(app) != _shown(bare):
        raise RuntimeError(f"the two scripts show different things: app {_shown(app)}, bare {_shown(bare)}")
    pairs = zip(app.get("plotly_chart"), bare.get("plotly_chart"), strict=True)
    charts = [f"chart {i + 1}" for i, (a, b) in enumerate(pairs)
              if (a.proto.spec, a.proto.config) != (b.proto.spec, b.proto.config)]
    frames = zip(app.dataframe, bare.dataframe, strict=True)
    tables = [f"table {i + 1}" for i, (x, y) in enumerate(frames)
              if not x.value.equals(y.value) or x.proto.columns != y.proto.columns]
    a, b = _texts(app), _texts(bare)
    texts = [f"page only: {x[:80]!r}" for x in a if x not in b] + [f"bare only: {x[:80]!r}" for x in b if x not in a]
    return charts + tables + texts


def _check(app: AppTest, bare: AppTest) -> None:
    """Fail if the scripts show different numbers of charts or table shapes; warn if some content differs."""
    differ = _differences(app, bare)
    if differ:
        print(f"WARNING: the bare script no longer mirrors the page ({', '.join(differ)}): update precompute()")


def _timed(at: AppTest, key: str, value: object) -> float:
    at.selectbox(key=key).set_value(value)
    return timed_rerun(at)


def _ms(times: list[float], q: float) -> float:
    """The median (q=0.5) or the 90th percentile (q=0.9) in milliseconds."""
    if q == 0.5 or len(times) < 2:
        return 1000 * (statistics.median(times) if q == 0.5 else max(times))
    return 1000 * statistics.quantiles(times, n=10)[8]


def first_renders(bare_path: Path, rounds: int) -> dict[str, float]:
    """A new session's first render of Compare (after its first page, Home, untimed) against the bare
    script's first run in a new session, interleaved, same process (so both find the process-wide caches
    warm, as a second adviser does). Neither side's time includes making its AppTest session (the bare
    side's did until 2026-11-30, which flattered the app). Medians in ms."""
    app_t: list[float] = []
    bare_t: list[float] = []
    for _ in range(rounds):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        app.run()
        start = time.perf_counter()
        app.switch_page("ui/pages/compare.py").run()
        app_t.append(time.perf_counter() - start)
        if app.exception:
            raise RuntimeError(f"the Compare page failed: {app.exception}")
        bare = AppTest.from_file(str(bare_path), default_timeout=300)  # one file: its cache stays warm
        start = time.perf_counter()  # like the app's, the timer starts once the session exists
        bare.run()
        bare_t.append(time.perf_counter() - start)
        if bare.exception:
            raise RuntimeError(f"the bare script failed: {bare.exception}")
    app_ms, bare_ms = 1000 * statistics.median(app_t), 1000 * statistics.median(bare_t)
    print(f"  first render in a new session (Compare vs the bare script, {rounds} rounds): "
          f"app {app_ms:.0f} ms, bare {bare_ms:.0f} ms, {app_ms / bare_ms:.2f}x (target <= {FIRST_TARGET}x)")
    return {"first_app_ms": app_ms, "first_bare_ms": bare_ms, "first_ratio": app_ms / bare_ms}


def main(rounds: int = 30) -> dict[str, float]:
    """Load the data, time ``rounds`` interleaved reruns of each change, print and return the figures."""
    from refdata import country_name

    questionnaire = default_questionnaire()
    measures = [*(p.id for p in questionnaire.pillars[:3]), OVERALL]  # alternates; starts away from "overall"
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ["DATABASE_URL"] = url
        os.environ["IOTREADY_LOG_DIR"] = tmp
        os.environ.pop("IOTREADY_QUESTIONNAIRE_DIR", None)
        if os.environ.get(SCALE_ENV):  # scale.py's 194 x 10 data, Compare's own cached copy
            global CYCLES
            from assessment import db, service
            from benchmarks import scale

            CYCLES = scale.CYCLES
            kind = "postgresql" if os.environ[SCALE_ENV] == "postgresql" else "sqlite"
            url = scale.database(kind, questionnaire, name="compare") or url
            os.environ["DATABASE_URL"] = url
            with Session(db.connect(url)) as s:
                docs = service.export_documents(s, AssessmentFilter(questionnaire=questionnaire))
        else:
            docs = documents(questionnaire)
            figures["import_s"] = load(url, questionnaire, docs)
            print(f"imported {len(docs)} documents through service.import_document in {figures['import_s']:.1f} s")

        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        app.run()
        start = time.perf_counter()
        app.switch_page("ui/pages/compare.py").run()
        figures["first_run_s"] = time.perf_counter() - start
        if app.exception:
            raise RuntimeError(f"the Compare page failed: {app.exception}")
        options = list(app.selectbox(key="compare.focus").options)  # formatted names, alphabetical
        by_name = {country_name(d.country, LANG): d.country for d in docs}
        focuses = [by_name[name] for name in options[:3]]
        focuses = [*focuses[1:], focuses[0]]  # starts away from the default (the first country)

        data = precompute(url, questionnaire, measures, focuses)
        pickle_path = Path(tmp) / "compare.pickle"
        pickle_path.write_bytes(pickle.dumps(data))
        bare = AppTest.from_string(bare_script(pickle_path), default_timeout=300).run()
        if bare.exception:
            raise RuntimeError(f"the bare script failed: {bare.exception}")
        _check(app, bare)
        bare_path = Path(tmp) / "bare_compare.py"
        bare_path.write_text(bare_script(pickle_path), encoding="utf-8")
        figures.update(first_renders(bare_path, max(3, rounds // 5)))

        times: dict[str, list[float]] = {k: [] for k in ("measure_app", "measure_bare", "focus_app", "focus_bare")}
        for i in range(rounds + 3):  # the first 3 rounds warm up both
            m, f = measures[i % len(measures)], focuses[i % len(focuses)]
            sample = {
                "measure_app": _timed(app, "compare.measure", m),
                "measure_bare": _timed(bare, "compare.measure", data["labels"]["measures"][m]),
                "focus_app": _timed(app, "compare.focus", f),
                "focus_bare": _timed(bare, "compare.focus", country_name(f, LANG)),
            }
            if i >= 3:
                for k, v in sample.items():
                    times[k].append(v)
        _check(app, bare)
    charts, tables = _shown(app)
    print(f"Compare page rerun, {len(docs)} assessments ({len(CYCLES)} cycles), cycle 2025, every Member State "
          f"({charts} charts, {len(tables)} tables; {rounds} rounds; first run {figures['first_run_s']:.1f} s):")
    for change, what in (("measure", "map's score shown"), ("focus", "highlighted country")):
        app_ms, bare_ms = _ms(times[f"{change}_app"], 0.5), _ms(times[f"{change}_bare"], 0.5)
        ratio = app_ms / bare_ms
        figures.update({f"{change}_app_ms": app_ms, f"{change}_bare_ms": bare_ms, f"{change}_ratio": ratio,
                        f"{change}_app_p90_ms": _ms(times[f"{change}_app"], 0.9),
                        f"{change}_bare_p90_ms": _ms(times[f"{change}_bare"], 0.9)})
        verdict = "OK" if ratio <= TARGET_RATIO else "ABOVE TARGET"
        print(f"  change of the {what}:")
        print(f"    app:  median {app_ms:7.1f} ms, p90 {figures[f'{change}_app_p90_ms']:7.1f} ms")
        print(f"    bare: median {bare_ms:7.1f} ms, p90 {figures[f'{change}_bare_p90_ms']:7.1f} ms")
        print(f"    ratio: {ratio:.2f}x (target <= {TARGET_RATIO}x) -> {verdict}")
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
