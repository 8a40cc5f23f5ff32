"""The documented method behind the pillar weights (docs/methodology.md, "Weights with a method").

What is counted: operative clauses with a *country-level counterpart*, i.e. those the clause map gives an
``ms_readiness`` entry (what a Member State that is ready for the clause has in place). That is a judgement
recorded in the clause map, not the clause's addressee: of the 16, eight are addressed to Member States or
ITU Members (``invites-ms-*``, ``invites-members-*``) and eight to the Secretary-General, a Bureau Director
or the Union as a whole (``instructs-*``, ``resolves-*``). A pillar's weight is

    0.75 + 0.75 x (share of its question weight whose basis is ``clause`` and that cites such a clause)

rounded to 0.05: from 0.75 (a pillar built only on the preamble or on practice, e.g. IPv6) to 1.5 (a
pillar every question of which such a clause states). The shipped ``questionnaire.yaml`` carries the
result; a test checks they agree, so a content edit that changes the balance of a pillar is caught.
:func:`addressed_share` gives the stricter reading (clauses addressed to Member States or ITU Members
only), which ``benchmarks/weightings.py`` compares on the demo countries (docs/methodology.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from questionnaires.loader import Questionnaire
from questionnaires.models import Clause

BASE = 0.75
SPAN = 0.75
STEP = 0.05
# Sections of the clause map whose items are addressed to Member States (ITU Members include them).
ADDRESSED_TO_MEMBER_STATES = frozenset({"invites Member States", "invites Members"})


def has_country_counterpart(clause: Clause) -> bool:
    """The clauses the weights count: an operative clause the clause map gives a country-level counterpart."""
    return bool(clause.ms_readiness)


def addressed_to_member_states(clause: Clause) -> bool:
    """The stricter reading: an operative clause addressed to Member States (or ITU Members)."""
    return clause.operative and clause.section in ADDRESSED_TO_MEMBER_STATES


def counted_clause_ids(questionnaire: Questionnaire,
                       counts: Callable[[Clause], bool] = has_country_counterpart) -> list[str]:
    """Ids of the clauses a ``clause`` basis must cite to count towards a pillar's weight."""
    return [c.id for c in questionnaire.clauses if counts(c)]


def _share(questionnaire: Questionnaire, pillar_id: str, counts: Callable[[Clause], bool]) -> float:
    counted = set(counted_clause_ids(questionnaire, counts))
    questions = questionnaire.questions_in(pillar_id)
    total = math.fsum(q.weight for q in questions)
    core = math.fsum(q.weight for q in questions if q.basis == "clause" and set(q.clauses) & counted)
    return core / total if total else 0.0


def operative_share(questionnaire: Questionnaire, pillar_id: str) -> float:
    """Share of the pillar's question weight whose basis is a cited clause with a country-level counterpart."""
    return _share(questionnaire, pillar_id, has_country_counterpart)


def addressed_share(questionnaire: Questionnaire, pillar_id: str) -> float:
    """The same share, counting only clauses addressed to Member States or ITU Members."""
    return _share(questionnaire, pillar_id, addressed_to_member_states)


def weight_from_share(share: float) -> float:
    """0.75 + 0.75 x share, rounded to 0.05."""
    raw = BASE + SPAN * share
    return round(round(raw / STEP) * STEP, 2)


def derived_pillar_weight(questionnaire: Questionnaire, pillar_id: str) -> float:
    """The pillar weight the method gives (rounded to 0.05)."""
    return weight_from_share(operative_share(questionnaire, pillar_id))
