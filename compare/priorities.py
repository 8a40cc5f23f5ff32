"""Where help goes: assistance needs ranked by the points at stake, not by how many countries share them.

For the LDCs, 17 of 68 actions hit 100 % of countries in the 1.0.0 table, so a count ranks nothing.
Here each action's weight is the sum, over the countries that need it, of its **re-scored gain** (the
overall points that country would gain by doing it, :func:`recommendations.recommend`) times **how far
the country is below the target tier** (0 at or above the target, 1 at a score of 0). So an action that
moves the countries furthest from the target the most comes first.

The target defaults to the **group's target** (:func:`group_target`): the tier above the one the
selection's median overall score reaches, i.e. the group's next step; the reader may pick another tier.

Each row says how many of its countries are **validated** (their assessment was validated or published
by a BDT adviser: the workflow state, passed in by the caller) and how many **self-reported** (handed in,
not validated yet, or a draft when drafts are counted), and separately how many cite **evidence** for
the answer that triggered the need. Countries are named with their region and groups in the reader's
language; ids stay in the id columns, which the page does not show.

Cost: one re-scoring per (country, action it needs), about 35 per country. They are the gains of
:func:`recommendations.recommend` (a test checks they agree) but scored in one batch
(:func:`scoring.batch.score_many`), not one :func:`scoring.score` each.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from answers.document import AnswersDocument
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from questionnaires.models import TriggerQuestion
from recommendations.engine import fired_rule_ids, target_value
from refdata import country
from scoring.batch import score_many
from scoring.engine import score

GROUP_FLAGS = ("ldc", "lldc", "sids", "economy_in_transition")  # "developing" is most of the table: not shown
COLUMNS = ["rule_id", "pillar_id", "horizon", "clause", "action", "points_at_stake", "n_countries",
           "validated", "self_reported", "with_evidence", "countries", "country_ids"]


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
    with_evidence: int = 0
    countries: list[tuple[str, str]] = field(default_factory=list)  # (name with region and groups, ISO3)

    def row(self) -> dict[str, object]:
        named = sorted(self.countries, key=lambda c: _collation(c[0]))
        return {
            "rule_id": self.rule_id, "pillar_id": self.pillar_id, "horizon": self.horizon, "clause": self.clause,
            "action": self.action, "points_at_stake": self.points_at_stake, "n_countries": len(self.countries),
            "validated": self.validated, "self_reported": self.self_reported, "with_evidence": self.with_evidence,
            "countries": "; ".join(n for n, _ in named), "country_ids": " ".join(c for _, c in named),
        }


def _collation(name: str) -> str:
    """A sort key that files "Égypte" under E and "République" before "Rwanda", as a French reader expects."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch))


def _with(doc: AnswersDocument, question_id: str, value: str | float | list[str]) -> AnswersDocument:
    """``doc`` with the action done: as ``recommendations.engine`` re-scores it (texts kept as stored)."""
    answers = dict(doc.answers)
    answers[question_id] = doc.answer(question_id).model_copy(
        update={"value": value, "not_applicable": False, "dont_know": False, "justification": None})
    return doc.model_copy(update={"answers": answers})


def distance_below(overall: float | None, target: float) -> float:
    """How far below the target a score is, in [0, 1]: 0 at or above it, 1 at 0."""
    if target <= 0:
        return 0.0
    return max(0.0, target - (overall or 0.0)) / target


def group_target(questionnaire: Questionnaire, overall_scores: Sequence[float | None]) -> str:
    """The group's target tier: the tier above the one its median overall score reaches (the top tier stays)."""
    values = [v for v in overall_scores if v is not None and v == v]
    tiers = sorted(questionnaire.tiers, key=lambda x: x.min_score)
    if not values:
        return tiers[min(1, len(tiers) - 1)].id
    median = statistics.median(values)
    reached = max(i for i, tier in enumerate(tiers) if tier.min_score <= median + 1e-9) if median >= 0 else 0
    return tiers[min(reached + 1, len(tiers) - 1)].id


def country_label(iso3: str, lang: str) -> str:
    """'Ethiopia (Africa, LDC, LLDC)' in the reader's language; the ISO3 code only for an unknown country."""
    try:
        c = country(iso3)
    except KeyError:
        return iso3
    slug = c.itu_region.lower().replace(" & ", "_").replace(" ", "_")
    parts = [t(f"group.{slug}", lang), *(t(f"group_short.{g}", lang) for g in GROUP_FLAGS if c.in_group(g))]
    return f"{c.name(lang)} ({', '.join(parts)})"


def assistance_priorities(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, target_tier: str | None = None,
    validated: Sequence[bool] | None = None, lang: str = "en",
) -> pd.DataFrame:
    """One row per action some country needs, the most points at stake first (one document per country).

    ``validated`` says, per document (same order), whether an adviser validated it (default: none);
    ``target_tier`` None is the group's target (:func:`group_target`). ``attrs["target_tier"]`` names
    the tier used.
    """
    flags = list(validated) if validated is not None else [False] * len(docs)
    if len(flags) != len(docs):
        raise ValueError("one validated flag per document")
    results = [score(questionnaire, doc) for doc in docs]
    tier = target_tier or group_target(questionnaire, [r.overall for r in results])
    target = questionnaire.tier(tier).min_score
    # Every (document, fired question rule) and the answers the action would give, re-scored in one batch.
    rules = {r.id: r for r in questionnaire.rules if isinstance(r.trigger, TriggerQuestion)}
    pairs: list[tuple[int, str]] = []
    improved: list[AnswersDocument] = []
    for n, (doc, result) in enumerate(zip(docs, results, strict=True)):
        for rule_id in sorted(fired_rule_ids(questionnaire, result) & set(rules), key=list(rules).index):
            trig = rules[rule_id].trigger
            assert isinstance(trig, TriggerQuestion)
            value = target_value(questionnaire.question(trig.question), questionnaire, trig.below,
                                 result.question(trig.question).value)
            pairs.append((n, rule_id))
            improved.append(_with(doc, trig.question, value))
    after: list[float] = list(score_many(questionnaire, improved, check=False)["overall"]) if improved else []
    rows: dict[str, _Need] = {}
    for (n, rule_id), overall_after in zip(pairs, after, strict=True):
        doc, result, rule = docs[n], results[n], rules[rule_id]
        assert isinstance(rule.trigger, TriggerQuestion)
        gain = max(0.0, (0.0 if overall_after != overall_after else float(overall_after)) - (result.overall or 0.0))
        need = rows.setdefault(rule_id, _Need(rule_id, questionnaire.question(rule.trigger.question).pillar,
                                              rule.horizon, rule.clause, rule.action.get(lang)))
        need.points_at_stake += gain * distance_below(result.overall, target)
        if flags[n]:
            need.validated += 1
        else:
            need.self_reported += 1
        if doc.answer(rule.trigger.question).has_evidence:
            need.with_evidence += 1
        need.countries.append((country_label(doc.country, lang), doc.country))
    table = pd.DataFrame([n.row() for n in rows.values()], columns=COLUMNS)
    if not table.empty:
        table = table.sort_values(["points_at_stake", "n_countries", "rule_id"], ascending=[False, False, True]) \
            .reset_index(drop=True)
    table.attrs["target_tier"] = tier
    return table
