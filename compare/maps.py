"""World-map data: ISO3 code and value per country, for a plotly choropleth with ``locationmode="ISO-3"``."""

from __future__ import annotations

import pandas as pd

from compare.filters import latest_per_country
from questionnaires.loader import Questionnaire
from refdata import country_name


def map_data(
    frame: pd.DataFrame, questionnaire: Questionnaire, *, pillar: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """iso3, name, value (overall or ``pillar`` score) and tier per country, its latest cycle in the frame.

    Countries without a value are left out (the map shows them as no data).
    """
    column = "overall" if pillar is None else f"score_{pillar}"
    tier_column = "overall_tier" if pillar is None else f"tier_{pillar}"
    if column not in frame.columns:
        raise ValueError(f"unknown pillar {pillar!r}")
    latest = latest_per_country(frame.dropna(subset=[column]))
    tier_names = {t.id: t.name.get(lang) for t in questionnaire.tiers}
    return pd.DataFrame(
        {
            "iso3": latest["country"],
            "name": latest["country"].map(lambda iso3: country_name(iso3, lang)),  # CLDR's in ar, es, ru, zh
            "cycle": latest["cycle"],
            "value": latest[column].astype(float),
            "tier": latest[tier_column],
            "tier_name": latest[tier_column].map(tier_names),
        }
    ).reset_index(drop=True)
