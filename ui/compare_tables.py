"""The Compare page's tables as shown: translated headers, names and labels (pure pandas, no Streamlit).

One place for them, so the page and its benchmark's bare script show the very same tables.
"""

from __future__ import annotations

import pandas as pd

from compare.change import ChangeReport
from formatting.markdown import tier_name
from formatting.scripts import forward
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from questionnaires.references import clause_reference
from refdata import country_name
from ui import compare_charts as charts
from ui.charts import PERCENT_COLUMNS, SIGNED_COLUMNS

# The points-at-stake table (compare.priorities) as shown: what to do first, then how much and for whom.
# Points first: on a laptop the action's text fills the width, and the measure the rows are ranked by must show.
PRIORITY_COLUMNS = ["points_at_stake", "action", "n_countries", "validated", "self_reported", "pillar_id", "horizon",
                    "countries", "with_evidence", "clause"]


def group_label(group: str, lang: str) -> str:
    """A region or group id ("Asia & Pacific", "ldc") as shown to the user."""
    slug = group.lower().replace(" & ", "_").replace(" ", "_")
    return t(f"group.{slug}", lang)


def scores_table(questionnaire: Questionnaire, rows: pd.DataFrame, ranked: pd.Series, lang: str) -> pd.DataFrame:
    """Rank (ties as "=3"), name, overall, tier, completeness (%) and pillar scores of ``rows`` (with ``name``).

    Its ``attrs`` name the percent column, for :func:`ui.tables.localized`.
    """
    table = pd.DataFrame(
        {
            t("ui.compare.rank", lang): rows["country"].map(ranked),
            t("ui.col.country", lang): rows["name"],
            t("overall", lang): rows["overall"],
            t("tier", lang): [tier_name(questionnaire, x, lang) for x in rows["overall_tier"]],
            t("completeness", lang): 100 * rows["completeness"],
        }
    )
    for p in questionnaire.pillars:
        table[p.name.get(lang)] = rows[f"score_{p.id}"]
    table.attrs[PERCENT_COLUMNS] = [t("completeness", lang)]
    return table


def medians_table(questionnaire: Questionnaire, medians: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The groups with countries (labelled "Africa (n=6)", for the heatmap) and their table."""
    rows = medians.reset_index()
    rows = rows.loc[rows["n"] > 0].copy()
    rows["name"] = [f"{group_label(g, lang)} (n={n})" for g, n in zip(rows["group"], rows["n"], strict=True)]
    table = rows.drop(columns="group").rename(columns=charts.score_headers(questionnaire, lang))
    table = table[["name", *[c for c in table.columns if c != "name"]]]
    return rows, table.rename(columns={"name": t("ui.compare.group", lang)})


def map_table(points: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The map's values, best first."""
    return points[["name", "value", "tier_name"]].rename(
        columns={"name": t("ui.col.country", lang), "value": t("score", lang), "tier_name": t("tier", lang)}
    ).sort_values(t("score", lang), ascending=False)


def distribution_table(
    questionnaire: Questionnaire, summary: pd.DataFrame, rows: pd.DataFrame, focus: str | None, lang: str
) -> pd.DataFrame:
    """Per pillar: n, min, quartiles, median and max (``distribution_summary``), and the highlighted country's."""
    table = summary.reset_index(drop=True)
    table.insert(0, t("pillar", lang), charts.pillar_names(questionnaire, lang))
    if focus is not None:
        mine = rows.loc[rows["country"] == focus].iloc[-1]
        table[country_name(focus, lang)] = [mine[f"score_{p.id}"] for p in questionnaire.pillars]
    return table.rename(columns={"median": t("ui.compare.median", lang)})


def pillar_change_table(questionnaire: Questionnaire, report: ChangeReport, lang: str) -> pd.DataFrame:
    """Each pillar before, after, the change and the tier move."""
    pillars = report.pillars
    arrow = forward(lang)
    table = pd.DataFrame(
        {
            t("pillar", lang): [questionnaire.pillar(p).name.get(lang) for p in pillars["pillar_id"]],
            str(report.from_cycle): pillars["old"],
            str(report.to_cycle): pillars["new"],
            t("ui.compare.delta", lang): pillars["delta"],
            t("ui.compare.tier_moved", lang): [
                f"{tier_name(questionnaire, a, lang)} {arrow} {tier_name(questionnaire, b, lang)}" if moved else ""
                for a, b, moved in zip(pillars["old_tier"], pillars["new_tier"], pillars["tier_moved"], strict=True)
            ],
        }
    )
    table.attrs[SIGNED_COLUMNS] = [t("ui.compare.delta", lang)]
    return table


def answers_change_table(questionnaire: Questionnaire, report: ChangeReport, lang: str) -> pd.DataFrame:
    """The changed answers, those that moved their pillar most first: they are the "why"."""
    answers = report.answers
    answers = answers.loc[answers["points_delta"].abs().fillna(0).sort_values(ascending=False, kind="stable").index]
    table = pd.DataFrame(
        {
            t("pillar", lang): [questionnaire.pillar(p).name.get(lang) for p in answers["pillar_id"]],
            t("ui.col.question", lang): [questionnaire.question(q).text.get(lang) for q in answers["question_id"]],
            str(report.from_cycle): answers["old_label"],
            str(report.to_cycle): answers["new_label"],
            t("ui.compare.points_delta", lang): answers["points_delta"],
        }
    )
    table.attrs[SIGNED_COLUMNS] = [t("ui.compare.points_delta", lang)]
    return table


def stability_table(result: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Name, nominal rank, median rank and 90% interval of ``rank_stability``'s result (with ``name``)."""
    return pd.DataFrame(
        {
            t("ui.col.country", lang): result["name"],
            t("ui.compare.rank", lang): result["rank_label"],
            t("ui.compare.median_rank", lang): result["median_rank"],
            t("ui.compare.interval", lang): [
                "" if pd.isna(lo) else f"{lo:.0f}–{hi:.0f}"
                for lo, hi in zip(result["rank_p05"], result["rank_p95"], strict=True)
            ],
        }
    )


def priorities_headers(lang: str) -> dict[str, str]:
    """Column id -> header of the points-at-stake table, in the reader's language."""
    return {c: t(f"ui.compare.need.{c}", lang) for c in PRIORITY_COLUMNS}


def priorities_table(questionnaire: Questionnaire, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`compare.priorities.assistance_priorities` as read: translated labels and headers, no ids.

    Points at stake stay a float (one decimal in the reader's language through ``ui.tables.localized``),
    counts stay integers, so the same table can be written to a file with real numbers.
    """
    out = pd.DataFrame({
        "action": table["action"],
        "pillar_id": [questionnaire.pillar(p).short_name(lang) for p in table["pillar_id"]],  # the heatmap's names
        "horizon": [t(f"horizon.{h}", lang) for h in table["horizon"]],
        "points_at_stake": table["points_at_stake"].astype(float).round(1),
        "n_countries": table["n_countries"].astype(int),
        "validated": table["validated"].astype(int),
        "self_reported": table["self_reported"].astype(int),
        "with_evidence": table["with_evidence"].astype(int),
        "countries": table["countries"],
        "clause": [clause_reference(questionnaire, c, lang) for c in table["clause"]],
    }, columns=PRIORITY_COLUMNS)
    return out.rename(columns=priorities_headers(lang))
