"""Comparison analytics for BDT advisers: pure pandas/numpy functions the Compare page and the CLI call."""

from compare.assistance import assistance_needs, fired_rules
from compare.change import ChangeReport, change_since_last_cycle, compare_documents
from compare.filters import GROUP_IDS, group_members, latest_per_country, select, select_documents
from compare.frame import pillar_columns, scores_frame
from compare.maps import map_data
from compare.stability import rank_stability
from compare.stats import distribution, group_medians, rank_label, ranks, trend

__all__ = [
    "GROUP_IDS",
    "ChangeReport",
    "assistance_needs",
    "change_since_last_cycle",
    "compare_documents",
    "distribution",
    "fired_rules",
    "group_medians",
    "group_members",
    "latest_per_country",
    "map_data",
    "pillar_columns",
    "rank_label",
    "rank_stability",
    "ranks",
    "scores_frame",
    "select",
    "select_documents",
    "trend",
]
