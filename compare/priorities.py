"""Where help goes: assistance needs ranked by the points at stake, not by how many countries share them.

For the LDCs, 17 of 68 actions hit 100 % of countries in the 1.0.0 table, so a count ranks nothing.
Here each action's weight is the sum, over the countries that need it, of its **re-scored gain** (the
overall points that country would gain by doing it, :func:`recommendations.recommend`) times **how far
the country is below the group's target tier** (0 at or above the target, 1 at a score of 0). So an
action that moves the countries furthest from the target the most comes first.

Each row also says whether the need is **validated** (the answer that triggered it cites evidence)
or **self-reported** (no evidence), per country, and names the countries with region and groups.
Not yet wired into the Compare page (which still shows :func:`compare.assistance_needs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from answers.document import AnswersDocument
from questionnaires.loader import Questionnaire
from recommendations.engine import recommend
from refdata import GROUPS, country
from scoring.engine import score

COLUMNS = ["rule_id", "pillar_id", "horizon", "clause", "action", "points_at_stake", "n_countries",
           "validated", "self_reported", "countries"]


@dataclass
class _Need:
    rule_id: str
    pillar_id: str
    horizon: str
    clause: str
    action: str
    points_at_stake: float = 0.0
    validated: int = 0
    self_reported: int = 0
    countries: list[str] = field(default_factory=list)

    def row(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id, "pillar_id": self.pillar_id, "horizon": self.horizon, "clause": self.clause,
            "action": self.action, "points_at_stake": self.points_at_stake, "n_countries": len(self.countries),
            "validated": self.validated, "self_reported": self.self_reported,
            "countries": "; ".join(sorted(self.countries)),
        }


def distance_below(overall: float | None, target: float) -> float:
    """How far below the target a score is, in [0, 1]: 0 at or above it, 1 at 0."""
    if target <= 0:
        return 0.0
    return max(0.0, target - (overall or 0.0)) / target


def _who(iso3: str, lang: str) -> str:
    try:
        c = country(iso3)
    except KeyError:
        return iso3
    groups = [g for g in GROUPS if g != "developing" and c.in_group(g)]
    return f"{c.name(lang)} ({c.itu_region}{', ' + ', '.join(g.upper() for g in groups) if groups else ''})"


def assistance_priorities(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, target_tier: str = "establishing",
    lang: str = "en",
) -> pd.DataFrame:
    """One row per action some country needs, the most points at stake first (one document per country)."""
    target = questionnaire.tier(target_tier).min_score
    rows: dict[str, _Need] = {}
    for doc in docs:
        result = score(questionnaire, doc)
        weight = distance_below(result.overall, target)
        for rec in recommend(questionnaire, result, doc):
            need = rows.setdefault(rec.rule_id, _Need(rec.rule_id, rec.pillar_id, rec.horizon, rec.clause,
                                                      rec.action.get(lang)))
            need.points_at_stake += rec.expected_gain * weight
            if doc.answer(rec.trigger.question_id or "").has_evidence:
                need.validated += 1
            else:
                need.self_reported += 1
            need.countries.append(_who(doc.country, lang))
    table = pd.DataFrame([n.row() for n in rows.values()], columns=COLUMNS)
    if table.empty:
        return table
    return table.sort_values(["points_at_stake", "n_countries", "rule_id"], ascending=[False, False, True]) \
        .reset_index(drop=True)
