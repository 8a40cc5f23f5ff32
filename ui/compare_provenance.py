"""Compare's provenance line: how many of the countries shown were validated by an adviser, how many self-reported.

Validated means the workflow's ``validated`` or ``published`` states (checked by a BDT adviser); every
other state past draft is self-reported. Shown in the multi-user mode, where the workflow runs (the
local mode has no adviser, so everything there is self-reported and the page stays as it was).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment import workflow
from questionnaires.messages import t
from ui.security import multi_user


def counts(statuses: dict[str, str], countries: list[str]) -> tuple[int, int]:
    """(validated, self-reported) among ``countries`` given each country's status."""
    validated = sum(statuses.get(c) in workflow.VALIDATED for c in countries)
    return validated, len(countries) - validated


def caption(rows: pd.DataFrame, cycle: int | None, illustrative: bool, lang: str) -> None:
    """The line, from the selection's rows (their workflow ``state`` is in the Compare dataset: no query)."""
    if not multi_user() or rows.empty:
        return
    latest = rows.drop_duplicates("country", keep="last")
    statuses = dict(zip(latest["country"], latest["state"], strict=True))
    validated, reported = counts(statuses, sorted(statuses))
    # "n of total" labels rather than "1 ont été validés": right for 0, 1 and many without a plural engine.
    st.caption(t("ui.compare.provenance", lang, validated=validated, reported=reported, n=validated + reported))
