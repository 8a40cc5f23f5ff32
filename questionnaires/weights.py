"""The documented method behind the pillar weights (docs/methodology.md, "Weights with a method").

Operative clauses addressed to Member States (those with a country-level counterpart in the clause
map) weigh more than practice derived from the preamble. A pillar's weight is

    0.75 + 0.75 x (share of its question weight that rests on such a clause, basis ``clause``)

rounded to 0.05: from 0.75 (a pillar built only on preamble references or practice, e.g. IPv6) to
1.5 (a pillar every question of which an operative Member-State clause states). The shipped
``questionnaire.yaml`` carries the result; a test checks they agree, so a content edit that changes
the balance of a pillar is caught.
"""

from __future__ import annotations

import math

from questionnaires.loader import Questionnaire

BASE = 0.75
SPAN = 0.75
STEP = 0.05


def operative_share(questionnaire: Questionnaire, pillar_id: str) -> float:
    """Share of the pillar's question weight whose basis is a cited operative Member-State clause."""
    member_state = {c.id for c in questionnaire.clauses if c.ms_readiness}
    questions = questionnaire.questions_in(pillar_id)
    total = math.fsum(q.weight for q in questions)
    core = math.fsum(q.weight for q in questions if q.basis == "clause" and set(q.clauses) & member_state)
    return core / total if total else 0.0


def derived_pillar_weight(questionnaire: Questionnaire, pillar_id: str) -> float:
    """The pillar weight the method gives (rounded to 0.05)."""
    raw = BASE + SPAN * operative_share(questionnaire, pillar_id)
    return round(round(raw / STEP) * STEP, 2)
