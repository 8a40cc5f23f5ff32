"""Group medians, ranks with ties, distributions and trends over a scores frame (see :mod:`compare.frame`)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from compare.filters import GROUP_IDS, group_members
from questionnaires.loader import Questionnaire


def _value_columns(questionnaire: Questionnaire) -> list[str]:
    return ["overall", *(f"score_{p.id}" for p in questionnaire.pillars)]


def group_medians(
    frame: pd.DataFrame, questionnaire: Questionnaire, groups: Iterable[str] = GROUP_IDS
) -> pd.DataFrame:
    """Median overall and pillar scores of each group (rows), with ``n`` the countries that count.

    The frame should hold one cycle; a group with no assessed country gets NaN medians and n = 0.
    """
    cols = _value_columns(questionnaire)
    rows = []
    for g in groups:
        part = frame.loc[frame["country"].isin(group_members(g)), cols]
        medians = part.median(numeric_only=True) if len(part) else pd.Series(np.nan, index=cols)
        rows.append({"group": g, "n": len(part), **medians.to_dict()})
    return pd.DataFrame(rows, columns=["group", "n", *cols]).set_index("group")


# Disclosure control for group statistics shown to a country's users (docs/methodology.md, docs/security.md).
# A median of an odd number of countries IS one country's score, so a small group gives it away: with 3
# published countries, Kenya's focal point read "Africa 20.7", exactly Tanzania's score. A statistic is
# published only over at least MIN_GROUP countries other than the reader's own (the reader knows their own
# score, so it hides no one), and rounded to whole points, so it no longer matches a score to the decimal.
MIN_GROUP = 5
PUBLISHED_DECIMALS = 0


def disclosable_medians(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    reader_countries: Iterable[str] = (),
    minimum: int = MIN_GROUP,
    decimals: int = PUBLISHED_DECIMALS,
    groups: Iterable[str] = GROUP_IDS,
) -> pd.DataFrame:
    """:func:`group_medians` as it may be shown to a country's user: small groups dropped, values rounded.

    A group is kept only when it counts at least ``minimum`` countries besides ``reader_countries`` (the
    reader's own, which are in the frame when published): "one of too few others" would let the reader
    take their own score out and read another's. ``n`` stays the number of countries counted.
    """
    own = set(reader_countries)
    medians = group_medians(frame, questionnaire, groups)
    counted = frame.drop_duplicates("country")
    others = {
        g: int((counted["country"].isin(group_members(g)) & ~counted["country"].isin(own)).sum())
        for g in medians.index
    }
    kept = medians.loc[[others[g] >= minimum for g in medians.index]].copy()
    cols = _value_columns(questionnaire)
    kept[cols] = kept[cols].round(decimals)
    return kept


def rank_label(rank: float, tied: bool) -> str:
    """'3', or '=3' when other countries share the rank; '' for no rank."""
    if pd.isna(rank):
        return ""
    return f"={int(rank)}" if tied else str(int(rank))


def ranks(frame: pd.DataFrame, column: str = "overall") -> pd.DataFrame:
    """Rank countries by ``column`` within each cycle, best first; ties share the lowest rank ("=3").

    Returns the frame's country, cycle and value with ``rank`` (NaN when the value is missing),
    ``tied`` and ``rank_label``, sorted by cycle and rank. Scores are compared to 9 decimals so
    float noise never breaks a real tie.
    """
    out = frame[["country", "cycle", column]].copy()
    rounded = out[column].astype(float).round(9)
    out["rank"] = rounded.groupby(out["cycle"]).rank(method="min", ascending=False)
    counts = out.groupby(["cycle", "rank"])["rank"].transform("size")
    out["tied"] = out["rank"].notna() & (counts > 1)
    out["rank_label"] = [rank_label(r, t) for r, t in zip(out["rank"], out["tied"], strict=True)]
    return out.sort_values(["cycle", "rank", "country"], na_position="last").reset_index(drop=True)


def distribution(frame: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Long form for a box or strip plot: one row per (country, cycle, pillar) with its score."""
    cols = [f"score_{p.id}" for p in questionnaire.pillars]
    long = frame.melt(id_vars=["country", "cycle"], value_vars=cols, var_name="pillar_id", value_name="score")
    long["pillar_id"] = long["pillar_id"].str.removeprefix("score_")
    return long.dropna(subset=["score"]).reset_index(drop=True)


def distribution_summary(frame: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Per pillar: n, min, quartiles, median and max of the scores in the frame."""
    long = distribution(frame, questionnaire)
    order = [p.id for p in questionnaire.pillars]
    grouped = long.groupby("pillar_id")["score"]
    summary = pd.DataFrame(
        {
            "n": grouped.size(),
            "min": grouped.min(),
            "q1": grouped.quantile(0.25),
            "median": grouped.median(),
            "q3": grouped.quantile(0.75),
            "max": grouped.max(),
        }
    )
    return summary.reindex(order)


def trend(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    country: str | None = None,
    group: str | None = None,
) -> pd.DataFrame:
    """Overall and pillar scores across cycles: one country's own, a group's median, or the frame's (with n).

    Give at most one of ``country`` or ``group``; with neither, the median of every row of the frame
    (e.g. countries already selected). Cycles come out in ascending order.
    """
    if country is not None and group is not None:
        raise ValueError("give at most one of country or group")
    cols = _value_columns(questionnaire)
    if country is not None:
        part = frame.loc[frame["country"] == country.upper()]
        # One row per cycle even if a cycle holds several documents: the median of them.
    elif group is not None:
        part = frame.loc[frame["country"].isin(group_members(group))]
    else:
        part = frame
    grouped = part.groupby("cycle")
    out = grouped[cols].median()
    out.insert(0, "n", grouped.size())
    return out.sort_index()
