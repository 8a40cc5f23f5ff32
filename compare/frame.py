"""The comparison frame: one row per (country, cycle) with scores, tiers and reference-data flags."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from answers.document import AnswersDocument
from questionnaires.loader import Questionnaire
from refdata import countries
from scoring.batch import score_many

# Reference-data columns added to every frame (False/"" for a code that is not an ITU Member State).
FLAG_COLUMNS: tuple[str, ...] = ("ldc", "lldc", "sids", "economy_in_transition", "developing")
REF_COLUMNS: tuple[str, ...] = ("name_en", "name_fr", "itu_region", *FLAG_COLUMNS, "income_group", "member")


def pillar_columns(questionnaire: Questionnaire) -> list[str]:
    """The score column of each pillar, in questionnaire order (``score_<pillar_id>``)."""
    return [f"score_{p.id}" for p in questionnaire.pillars]


def reference_frame() -> pd.DataFrame:
    """The 194 Member States with region and group flags, indexed by ISO3 code (a copy: callers may edit it)."""
    return _reference_frame().copy()


@lru_cache(maxsize=1)
def _reference_frame() -> pd.DataFrame:
    rows = [
        {
            "country": c.iso3,
            "name_en": c.name_en,
            "name_fr": c.name_fr,
            "itu_region": c.itu_region,
            "ldc": c.ldc,
            "lldc": c.lldc,
            "sids": c.sids,
            "economy_in_transition": c.economy_in_transition,
            "developing": c.developing,
            "income_group": c.income_group,
            "member": True,
        }
        for c in countries()
    ]
    return pd.DataFrame(rows).set_index("country")


def scores_frame(questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, check: bool = True) -> pd.DataFrame:
    """One row per document: overall and pillar scores and tiers, completeness, status, region and groups.

    Scores come from the batch path (:func:`scoring.batch.score_many`), which equals ``scoring.score``
    exactly; a document that does not fit the questionnaire raises ``ScoringError`` (``check=False``: the
    caller has checked them already).
    """
    return with_reference(score_many(questionnaire, docs, check=check))


def with_reference(frame: pd.DataFrame) -> pd.DataFrame:
    """A scores frame (one row per assessment, a ``country`` column) joined to the Member States' names,
    region and group flags (False/"" for a code that is not a Member State)."""
    ref = reference_frame()
    joined = frame.join(ref, on="country")
    for col in FLAG_COLUMNS:
        joined[col] = joined[col].fillna(False).astype(bool)
    joined["member"] = joined["member"].fillna(False).astype(bool)
    for col in ("name_en", "name_fr"):
        joined[col] = joined[col].fillna(joined["country"])
    joined["itu_region"] = joined["itu_region"].fillna("")
    joined["income_group"] = joined["income_group"].fillna("")
    return joined.reset_index(drop=True)
