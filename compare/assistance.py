"""Assistance needs: for each recommendation rule, how many and which countries trigger it, by region and group.

The planning table for BDT workshops and capacity building. Rules are evaluated on whole arrays
with the same conditions as :func:`recommendations.recommend` (a test checks they agree), so a
table over 193 countries costs one batch scoring, not 193 single ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from answers.document import AnswersDocument
from compare.frame import reference_frame
from questionnaires.loader import Questionnaire
from questionnaires.models import TriggerQuestion
from refdata import GROUPS, REGIONS
from scoring.batch import score_many
from scoring.engine import question_score, visibility

FIRED_COLUMNS = ["rule_id", "country", "cycle"]


def _question_scores(questionnaire: Questionnaire, docs: Sequence[AnswersDocument], qids: list[str]) -> np.ndarray:
    """Question scores (documents x questions) with NaN where the engine gives none (hidden or N/A)."""
    out = np.full((len(docs), len(qids)), np.nan)
    questions = [questionnaire.question(qid) for qid in qids]
    for i, doc in enumerate(docs):
        shown = visibility(questionnaire, doc.answers)
        for j, q in enumerate(questions):
            a = doc.answer(q.id)
            # Unanswered questions are "to answer", never gaps (recommendations.engine).
            if shown[q.id] and a.status in ("answered", "dont_know"):
                out[i, j] = question_score(questionnaire, q, a)
    return out


def fired_rules(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per (rule, document) where the rule fires: rule_id, country, cycle.

    ``frame`` may pass the documents' precomputed scores (:func:`compare.frame.scores_frame` or
    ``score_many``, same order) to avoid scoring twice.
    """
    if not docs:
        return pd.DataFrame(columns=FIRED_COLUMNS)
    scores = frame if frame is not None else score_many(questionnaire, docs)
    q_rules = [r for r in questionnaire.rules if isinstance(r.trigger, TriggerQuestion)]
    qids = sorted({r.trigger.question for r in q_rules if isinstance(r.trigger, TriggerQuestion)})
    qscores = _question_scores(questionnaire, docs, qids)
    col = {qid: j for j, qid in enumerate(qids)}
    countries = np.array([d.country for d in docs])
    cycles = np.array([d.cycle for d in docs])
    parts = []
    # A pillar rule is folded into its pillar's question actions: it fires only where one of them does.
    pillar_gap = {p.id: np.zeros(len(docs), dtype=bool) for p in questionnaire.pillars}
    question_fires: dict[str, np.ndarray] = {}
    for rule in q_rules:
        assert isinstance(rule.trigger, TriggerQuestion)
        values = qscores[:, col[rule.trigger.question]]
        question_fires[rule.id] = ~np.isnan(values) & (np.nan_to_num(values, nan=1.0) < rule.trigger.below - 1e-12)
        pillar_gap[questionnaire.question(rule.trigger.question).pillar] |= question_fires[rule.id]
    for rule in questionnaire.rules:
        trig = rule.trigger
        if isinstance(trig, TriggerQuestion):
            fires = question_fires[rule.id]
        else:
            values = scores[f"score_{trig.pillar}"].to_numpy(dtype=float)
            fires = ~np.isnan(values) & (np.nan_to_num(values, nan=100.0) < trig.below - 1e-9) & pillar_gap[trig.pillar]
        if fires.any():
            parts.append(pd.DataFrame({"rule_id": rule.id, "country": countries[fires], "cycle": cycles[fires]}))
    if not parts:
        return pd.DataFrame(columns=FIRED_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def assistance_needs(
    questionnaire: Questionnaire,
    docs: Sequence[AnswersDocument],
    *,
    lang: str = "en",
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The planning table: one row per rule with the countries that trigger it, counted by region and group.

    Pass one document per country (e.g. one cycle); a country is counted once per rule even if several
    of its documents trigger it. ``share`` is the fraction of the assessed countries. Rows with the most
    countries come first; rules nobody triggers stay in the table with 0.
    """
    fired = fired_rules(questionnaire, docs, frame=frame).drop_duplicates(["rule_id", "country"])
    ref = reference_frame()
    assessed = len({d.country for d in docs})
    by_rule = {rule_id: sorted(part["country"]) for rule_id, part in fired.groupby("rule_id")}
    rows = []
    for order, rule in enumerate(questionnaire.rules):
        who = by_rule.get(rule.id, [])
        known = ref.reindex(who)
        trig = rule.trigger
        row: dict[str, object] = {
            "rule_id": rule.id,
            "pillar_id": (
                questionnaire.question(trig.question).pillar if isinstance(trig, TriggerQuestion) else trig.pillar
            ),
            "trigger": trig.question if isinstance(trig, TriggerQuestion) else f"pillar:{trig.pillar}",
            "clause": rule.clause,
            "horizon": rule.horizon,
            "action": rule.action.get(lang),
            "materials": "; ".join(rule.materials),
            "n_countries": len(who),
            "share": len(who) / assessed if assessed else 0.0,
            "countries": ", ".join(who),
        }
        for region in REGIONS:
            row[region] = int((known["itu_region"] == region).sum())
        for group in GROUPS:
            row[group] = int(known[group].fillna(False).astype(bool).sum())
        row["_order"] = order
        rows.append(row)
    table = pd.DataFrame(rows)
    table = table.sort_values(["n_countries", "_order"], ascending=[False, True]).drop(columns="_order")
    return table.reset_index(drop=True)
