"""Selections: countries or a group, a cycle, submitted only, real or illustrative (never both)."""

from __future__ import annotations

import pytest

from compare import group_members, latest_per_country, scores_frame, select, select_documents
from tests.compare.conftest import MINI, make_doc

DOCS = [
    make_doc(MINI, "KEN", 2025),
    make_doc(MINI, "ETH", 2025),
    make_doc(MINI, "FJI", 2025),
    make_doc(MINI, "KAZ", 2025),
    make_doc(MINI, "HTI", 2025),
    make_doc(MINI, "FRA", 2025, status="draft"),
    make_doc(MINI, "BRA", 2025, illustrative=True),
    make_doc(MINI, "KEN", 2024),
]
FRAME = scores_frame(MINI, DOCS)


def _codes(frame_or_docs: object) -> set[str]:
    if isinstance(frame_or_docs, list):
        return {d.country for d in frame_or_docs}
    return set(frame_or_docs["country"])  # type: ignore[index]


def test_default_keeps_only_submitted_real_assessments() -> None:
    assert _codes(select(FRAME)) == {"KEN", "ETH", "FJI", "KAZ", "HTI"}


def test_drafts_can_be_included() -> None:
    assert "FRA" in _codes(select(FRAME, submitted_only=False))


def test_illustrative_selects_only_illustrative() -> None:
    assert _codes(select(FRAME, illustrative=True)) == {"BRA"}


def test_cycle_filter() -> None:
    assert list(select(FRAME, cycle=2024)["country"]) == ["KEN"]


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("ldc", {"ETH", "HTI"}),
        ("sids", {"FJI", "HTI"}),
        ("lldc", {"ETH", "KAZ"}),
        ("economy_in_transition", {"KAZ"}),
        ("developing", {"KEN", "ETH", "FJI", "KAZ", "HTI"}),  # Kenya: M49-developing, in none of the four
        ("Africa", {"KEN", "ETH"}),
        ("CIS", {"KAZ"}),
    ],
)
def test_group_filter(group: str, expected: set[str]) -> None:
    assert _codes(select(FRAME, group=group)) == expected


def test_countries_and_group_together_intersect() -> None:
    assert _codes(select(FRAME, countries=["KEN", "ETH", "FJI"], group="Africa")) == {"KEN", "ETH"}


def test_unknown_group_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown group"):
        group_members("G20")


def test_documents_are_selected_like_the_frame() -> None:
    for kw in ({}, {"group": "ldc"}, {"illustrative": True}, {"cycle": 2024}, {"submitted_only": False}):
        assert _codes(select_documents(DOCS, **kw)) == _codes(select(FRAME, **kw))


def test_latest_per_country_keeps_each_countrys_last_cycle() -> None:
    latest = latest_per_country(select(FRAME))
    assert dict(zip(latest["country"], latest["cycle"], strict=True))["KEN"] == 2025
    assert latest["country"].is_unique
