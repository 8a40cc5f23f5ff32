"""Group medians, ranks with ties, distributions and trends."""

from __future__ import annotations

import math

import pytest

from compare import distribution, group_medians, rank_label, ranks, scores_frame, trend
from compare.stats import distribution_summary
from tests.compare.conftest import MINI, make_doc


def test_group_median_of_three_members() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, c, level=lv) for c, lv in (("ETH", 0.0), ("HTI", 0.5), ("NPL", 1.0))])
    medians = group_medians(frame, MINI, ["ldc"])
    assert medians.loc["ldc", "n"] == 3
    assert medians.loc["ldc", "overall"] == frame.loc[frame["country"] == "HTI", "overall"].item()
    assert medians.loc["ldc", "score_ipv6"] == frame.loc[frame["country"] == "HTI", "score_ipv6"].item()


def test_group_median_only_counts_members() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "ETH", level=0.25), make_doc(MINI, "FRA", level=1.0)])
    assert group_medians(frame, MINI, ["ldc"]).loc["ldc", "overall"] == frame["overall"].iloc[0]


def test_a_group_without_assessments_has_no_median() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "FRA")])
    row = group_medians(frame, MINI, ["sids"]).loc["sids"]
    assert row["n"] == 0
    assert math.isnan(row.to_dict()["overall"])


def test_every_group_has_a_row_by_default() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "FRA")])
    assert len(group_medians(frame, MINI)) == 11  # 6 regions + 5 groups


def test_ties_share_the_lowest_rank_and_are_marked() -> None:
    frame = scores_frame(
        MINI,
        [make_doc(MINI, "KEN", level=1.0), make_doc(MINI, "ETH", level=0.5), make_doc(MINI, "FJI", level=0.5),
         make_doc(MINI, "FRA", level=0.25)],
    )
    r = ranks(frame).set_index("country")
    assert r.loc[["KEN", "ETH", "FJI", "FRA"], "rank_label"].tolist() == ["1", "=2", "=2", "4"]


def test_ranks_are_per_cycle() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "KEN", 2024, level=0.0), make_doc(MINI, "ETH", 2025, level=0.0)])
    assert ranks(frame)["rank"].tolist() == [1.0, 1.0]


def test_ranks_by_a_pillar() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "KEN", level=0.25), make_doc(MINI, "ETH", level=0.75)])
    assert ranks(frame, "score_ipv6")["country"].tolist() == ["ETH", "KEN"]


def test_a_missing_score_has_no_rank() -> None:
    # Every mini pillar has a question that cannot be N/A, so blank the score in the frame instead.
    doc = make_doc(MINI, "KEN", level=1.0)
    frame = scores_frame(MINI, [doc, make_doc(MINI, "ETH")])
    frame.loc[0, "score_ipv6"] = float("nan")
    r = ranks(frame, "score_ipv6").set_index("country")
    assert r.loc["KEN", "rank_label"] == ""
    assert r.loc["ETH", "rank"] == 1.0


@pytest.mark.parametrize(("rank", "tied", "label"), [(3.0, True, "=3"), (3.0, False, "3"), (float("nan"), False, "")])
def test_rank_label(rank: float, tied: bool, label: str) -> None:
    assert rank_label(rank, tied) == label


def test_distribution_has_one_row_per_country_and_pillar() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "KEN"), make_doc(MINI, "ETH")])
    long = distribution(frame, MINI)
    assert len(long) == 4
    assert set(long["pillar_id"]) == {"policy_regulation", "ipv6"}


def test_distribution_summary_median() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, c, level=lv) for c, lv in (("KEN", 0), ("ETH", 0.5), ("FJI", 1))])
    summary = distribution_summary(frame, MINI)
    assert summary.loc["ipv6", "median"] == frame.loc[frame["country"] == "ETH", "score_ipv6"].item()
    assert list(summary.index) == ["policy_regulation", "ipv6"]


def test_trend_of_a_country_follows_its_cycles() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "KEN", 2025, level=1.0), make_doc(MINI, "KEN", 2023, level=0.25)])
    t = trend(frame, MINI, country="KEN")
    assert t.index.tolist() == [2023, 2025]
    assert t["overall"].tolist() == sorted(frame["overall"])


def test_trend_of_a_group_is_its_median_per_cycle() -> None:
    docs = [make_doc(MINI, c, 2024, level=lv) for c, lv in (("ETH", 0.0), ("HTI", 0.5), ("NPL", 1.0), ("FRA", 1.0))]
    docs.append(make_doc(MINI, "ETH", 2025, level=1.0))
    frame = scores_frame(MINI, docs)
    t = trend(frame, MINI, group="ldc")
    assert t.loc[2024, "n"] == 3
    assert t.loc[2024, "overall"] == frame.loc[(frame["country"] == "HTI"), "overall"].item()
    assert t.loc[2025, "n"] == 1


def test_trend_refuses_both_country_and_group() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "KEN")])
    with pytest.raises(ValueError, match="at most one"):
        trend(frame, MINI, country="KEN", group="ldc")


def test_trend_of_the_whole_frame_is_its_median_per_cycle() -> None:
    docs = [make_doc(MINI, c, 2024, level=lv) for c, lv in (("KEN", 0.0), ("FRA", 0.5), ("CHL", 1.0))]
    frame = scores_frame(MINI, docs)
    t = trend(frame, MINI)
    assert t.loc[2024, "n"] == 3
    assert t.loc[2024, "overall"] == frame.loc[frame["country"] == "FRA", "overall"].item()
