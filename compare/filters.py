"""Which assessments a comparison uses: countries or a group, a cycle, submitted only, real or illustrative.

Illustrative (demo) assessments are never mixed with real ones: every selector takes one
``illustrative`` flag and returns only that set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from answers.document import AnswersDocument
from refdata import GROUPS, REGIONS, countries

# A group is an ITU-D region name or a group flag; "developing" = LDC, LLDC, SIDS and EIT together
# (the footnote of Resolution 197).
GROUP_IDS: tuple[str, ...] = (*REGIONS, *GROUPS)


def group_members(group: str) -> frozenset[str]:
    """ISO3 codes of the Member States in a region or group; ValueError for an unknown group."""
    if group not in GROUP_IDS:
        raise ValueError(f"unknown group {group!r}; known: {', '.join(GROUP_IDS)}")
    return frozenset(c.iso3 for c in countries() if c.in_group(group))


def _wanted(countries_: Iterable[str] | None, group: str | None) -> frozenset[str] | None:
    wanted: frozenset[str] | None = None
    if countries_ is not None:
        wanted = frozenset(c.upper() for c in countries_)
    if group is not None:
        members = group_members(group)
        wanted = members if wanted is None else wanted & members
    return wanted


def select(
    frame: pd.DataFrame,
    *,
    countries: Iterable[str] | None = None,
    group: str | None = None,
    cycle: int | None = None,
    submitted_only: bool = True,
    illustrative: bool = False,
) -> pd.DataFrame:
    """Rows of a scores frame for these countries and/or group and cycle (all cycles when None).

    ``countries`` and ``group`` together keep the countries in both.
    """
    mask = frame["illustrative"].astype(bool) == illustrative
    if submitted_only:
        mask &= frame["status"] == "submitted"
    if cycle is not None:
        mask &= frame["cycle"] == cycle
    wanted = _wanted(countries, group)
    if wanted is not None:
        mask &= frame["country"].isin(wanted)
    return frame.loc[mask].reset_index(drop=True)


def select_documents(
    docs: Sequence[AnswersDocument],
    *,
    countries: Iterable[str] | None = None,
    group: str | None = None,
    cycle: int | None = None,
    submitted_only: bool = True,
    illustrative: bool = False,
) -> list[AnswersDocument]:
    """The same selection as :func:`select`, on answers documents (for exports)."""
    wanted = _wanted(countries, group)
    return [
        d
        for d in docs
        if d.illustrative == illustrative
        and (not submitted_only or d.status == "submitted")
        and (cycle is None or d.cycle == cycle)
        and (wanted is None or d.country in wanted)
    ]


def latest_per_country(frame: pd.DataFrame) -> pd.DataFrame:
    """Each country's most recent cycle in the frame (for a map or a table with no cycle chosen)."""
    if frame.empty:
        return frame
    idx = frame.groupby("country")["cycle"].idxmax()
    return frame.loc[idx.sort_values()].reset_index(drop=True)
