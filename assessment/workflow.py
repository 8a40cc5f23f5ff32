"""The validation workflow: an assessment's states and which action moves it from one to the next.

Modelled on ITU's Global Cybersecurity Index process: a country's focal point answers and submits, a BDT
adviser reviews, returns it with queries or validates it, and a validated profile is published. Who may
take each action is the permission matrix's business (:mod:`assessment.access`); this module only says
which moves exist, so the two tables stay small and each is read in one place.
"""

from __future__ import annotations

from typing import Literal

State = Literal["draft", "submitted", "under_review", "returned", "resubmitted", "validated", "published"]
STATES: tuple[State, ...] = ("draft", "submitted", "under_review", "returned", "resubmitted", "validated", "published")

Transition = Literal["submit", "reopen", "review", "return", "validate", "publish"]

# action -> {from state: to state}. The only moves there are; anything else is refused.
TRANSITIONS: dict[Transition, dict[State, State]] = {
    "submit": {"draft": "submitted", "returned": "resubmitted"},
    # The country withdraws a submission the adviser has not started reviewing (today's "reopen").
    "reopen": {"submitted": "draft", "resubmitted": "returned"},
    "review": {"submitted": "under_review", "resubmitted": "under_review"},
    "return": {"under_review": "returned"},
    "validate": {"under_review": "validated"},
    "publish": {"validated": "published"},
}

# Answers and targets change only here: in a draft, or when an adviser returned it with queries.
EDITABLE: frozenset[str] = frozenset({"draft", "returned"})
# States an adviser sees: everything the country has handed in at least once.
SUBMITTED: frozenset[str] = frozenset(STATES) - {"draft"}
# Handed in and not back with the country: the country cannot change these, nor delete them (only an
# administrator, with a reason), and while a deleted one holds a country's cycle nobody starts a new one.
HANDED_IN: frozenset[str] = frozenset(STATES) - EDITABLE
# States whose data is checked by an adviser (Compare and the assistance view label them "validated").
VALIDATED: frozenset[str] = frozenset({"validated", "published"})


def target(action: Transition, state: str) -> State | None:
    """The state ``action`` moves an assessment in ``state`` to, or None when that move does not exist."""
    return TRANSITIONS[action].get(state)  # type: ignore[call-overload]


def reached_by(action: Transition) -> frozenset[str]:
    """The states ``action`` can lead to (asking again once there is a harmless no-op)."""
    return frozenset(TRANSITIONS[action].values())


def is_editable(state: str) -> bool:
    return state in EDITABLE


# Review queries may be opened (or reopened) until the adviser validates: a validated or published
# assessment's review is closed, so its record of open queries stays what the validation saw.
QUERYABLE: frozenset[str] = frozenset(STATES) - VALIDATED


Lock = Literal["submitted", "locked", "final"]


def lock(state: str) -> Lock | None:
    """Why an assessment in ``state`` cannot change now, as what the reader can do about it; None if it can.

    "submitted": the country may withdraw it (reopen); "locked": it is with the adviser, who alone can
    return it; "final": validated or published, its figures stay as checked. Every refusal (an edit, an
    import, a questionnaire upgrade) words its advice from this one answer: ``svc_<what>_<lock>``.
    """
    if is_editable(state):
        return None
    if target("reopen", state):
        return "submitted"
    return "final" if state in VALIDATED else "locked"


def doc_status(state: str) -> Literal["draft", "submitted"]:
    """The answers document's two states: handed in (submitted, in review, validated, published) or not.

    A returned assessment is being answered again: its results may still change, like a draft's.
    """
    return "draft" if state in EDITABLE else "submitted"
