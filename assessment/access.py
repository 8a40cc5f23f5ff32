"""Who may do what: roles, grants, the acting user, and the permission matrix (one table).

Every public service function takes the acting user (``actor=``) and calls :func:`check` (or filters with
:func:`visible`) before it touches anything, so the app, the command line and any future front end obey
the same rules: a check that lived only in the UI would be one URL away from being bypassed.

The local single-user mode acts as :data:`LOCAL_ADMIN`, who may do everything; a plain string actor (what
callers passed before accounts existed, e.g. ``"cli"`` or ``"demo"``) is a local administrator under that
name, so existing callers on a local database keep working. The multi-user app and ``iotready --as``
build an :class:`Actor` from the user's grants in the database (:mod:`assessment.users`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sqlalchemy import false, or_, true

from answers.document import reason
from assessment import workflow
from assessment.models import LOCAL_ACTOR, Assessment

Role = Literal["admin", "adviser", "focal_point", "contributor", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "adviser", "focal_point", "contributor", "viewer")
COUNTRY_ROLES: frozenset[str] = frozenset({"focal_point", "contributor", "viewer"})

Action = Literal[
    "list", "read", "create", "edit", "targets", "import", "import_answers", "export", "submit", "reopen", "review",
    "return", "validate", "publish", "query", "comment", "resolve", "delete", "invite", "manage_users", "audit",
    "purge",
]

# How far a grant reaches for an action:
#   all        every assessment of every country
#   own        the assessments of the grant's country
#   pillars    the grant's country, and only the grant's pillars (a contributor limited to some pillars)
#   submitted  every country, but only assessments handed in at least once (not drafts): BDT advisers
Scope = Literal["all", "own", "pillars", "submitted"]

# THE permission matrix: action -> role -> scope; a role absent from a row may not take that action.
# README.md ("Roles and permissions") shows the same table; tests/assessment/test_access.py proves it.
_READ: dict[Role, Scope] = {"admin": "all", "adviser": "submitted", "focal_point": "own", "contributor": "own",
                           "viewer": "own"}
MATRIX: dict[Action, dict[Role, Scope]] = {
    "list":         _READ,
    "read":         _READ,
    "export":       _READ,
    "create":       {"admin": "all", "focal_point": "own"},
    "edit":         {"admin": "all", "focal_point": "own", "contributor": "pillars"},
    "targets":      {"admin": "all", "focal_point": "own"},
    "import":       {"admin": "all", "focal_point": "own"},  # a whole assessment by file: answers, targets, status
    "import_answers": {"admin": "all", "focal_point": "own", "contributor": "pillars"},  # answers only, by file
    "submit":       {"admin": "all", "focal_point": "own"},
    "reopen":       {"admin": "all", "focal_point": "own"},
    "review":       {"admin": "all", "adviser": "submitted"},
    "return":       {"admin": "all", "adviser": "submitted"},
    "validate":     {"admin": "all", "adviser": "submitted"},
    "publish":      {"admin": "all", "adviser": "submitted"},
    "query":        {"admin": "all", "adviser": "submitted"},  # open a query thread on a question
    "comment":      {"admin": "all", "adviser": "submitted", "focal_point": "own", "contributor": "own"},
    "resolve":      {"admin": "all", "adviser": "submitted"},
    "delete":       {"admin": "all", "focal_point": "own"},  # soft delete and restore (assessment.history)
    "invite":       {"admin": "all", "focal_point": "own"},  # a focal point invites contributors and viewers
    "manage_users": {"admin": "all"},
    "audit":        {"admin": "all"},
    "purge":        {"admin": "all"},  # erase a removed evidence document for good (assessment.evidence)
}  # fmt: skip

# Roles a focal point may hand out in their own country (an admin may hand out any role).
DELEGABLE: frozenset[str] = frozenset({"contributor", "viewer"})


@dataclass(frozen=True)
class Grant:
    """One role held by one person: ``country`` for the country roles, ``pillars`` to limit a contributor."""

    role: Role
    country: str | None = None
    pillars: frozenset[str] | None = None  # None: every pillar


@dataclass(frozen=True)
class Actor:
    """The person acting: the name recorded in logs, and their grants. ``user_id`` is None in local mode."""

    name: str
    grants: tuple[Grant, ...] = ()
    user_id: str | None = None
    local: bool = field(default=False, compare=False)

    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def countries(self) -> set[str]:
        return {g.country for g in self.grants if g.country}


LOCAL_ADMIN = Actor(name=LOCAL_ACTOR, grants=(Grant("admin"),), local=True)
ActorLike = Actor | str


class _HasCountryStatus(Protocol):
    country: str
    status: str


def as_actor(actor: ActorLike | None) -> Actor:
    """The :class:`Actor` for ``actor``: a plain name is a local administrator (local mode)."""
    if isinstance(actor, Actor):
        if not actor.name or not actor.name.strip():
            raise _forbidden("svc_no_actor")
        return actor
    if not isinstance(actor, str) or not actor.strip():
        raise _forbidden("svc_no_actor")
    return LOCAL_ADMIN if actor == LOCAL_ACTOR else Actor(name=actor, grants=(Grant("admin"),), local=True)


def _reaches(grant: Grant, scope: Scope, country: str | None, status: str | None, pillar: str | None) -> bool:
    if scope == "all":
        return True
    if scope == "submitted":
        return status is None or status in workflow.SUBMITTED
    if country is None or grant.country != country:
        return False
    if scope == "pillars" and grant.pillars is not None:
        return pillar is not None and pillar in grant.pillars
    return True


def allowed(
    actor: ActorLike,
    action: Action,
    assessment: _HasCountryStatus | None = None,
    *,
    country: str | None = None,
    pillar: str | None = None,
) -> bool:
    """Whether ``actor`` may take ``action`` on ``assessment`` (or, with no assessment, in ``country``).

    With neither, the question is whether the actor may take the action anywhere at all (e.g. "list").
    """
    who = as_actor(actor)
    row = MATRIX[action]
    c = assessment.country if assessment is not None else country
    status = assessment.status if assessment is not None else None
    for grant in who.grants:
        scope = row.get(grant.role)
        if scope is None:
            continue
        if assessment is None and country is None:
            return True
        if _reaches(grant, scope, c, status, pillar):
            return True
    return False


def check(
    actor: ActorLike,
    action: Action,
    assessment: _HasCountryStatus | None = None,
    *,
    country: str | None = None,
    pillar: str | None = None,
) -> Actor:
    """The acting :class:`Actor` if the matrix lets them take ``action``; else raise a refusal.

    The refusal is ``service.Forbidden`` (a ``ServiceError`` with a reason in the reader's language); it
    never says whether an assessment the user may not read exists.
    """
    who = as_actor(actor)
    if not allowed(who, action, assessment, country=country, pillar=pillar):
        c = assessment.country if assessment is not None else country
        if action == "edit" and any(g.pillars is not None and g.country == c and MATRIX["edit"].get(g.role) == "pillars"
                                    for g in who.grants):
            raise _forbidden("svc_forbidden_pillar")
        raise _forbidden("svc_forbidden")
    return who


EVERY_PILLAR = "*"


def file_scope(actor: ActorLike, country: str) -> frozenset[str] | None:
    """What a file brought in by ``actor`` may change in ``country``: None for the whole assessment (the
    matrix's ``import`` row: answers, targets, status, a new assessment); else the pillars whose answers it
    may change (``import_answers``: a contributor, as in the app; :data:`EVERY_PILLAR` for all of them).
    An empty set: nothing.
    """
    who = as_actor(actor)
    if allowed(who, "import", country=country):
        return None
    pillars: set[str] = set()
    for grant in who.grants:
        scope = MATRIX["import_answers"].get(grant.role)
        if scope is None or grant.country != country:
            continue
        pillars |= grant.pillars if scope == "pillars" and grant.pillars is not None else {EVERY_PILLAR}
    return frozenset(pillars)


def visible_filter(actor: ActorLike, action: Action = "read") -> Any:
    """A SQL condition on ``Assessment`` selecting exactly the rows ``actor`` may take ``action`` on.

    Lists and exports filter in SQL, so a country's user never loads (nor counts) another country's rows.
    """
    who = as_actor(actor)
    row = MATRIX[action]
    clauses: list[Any] = []
    for grant in who.grants:
        scope = row.get(grant.role)
        if scope is None:
            continue
        if scope == "all":
            return true()
        if scope == "submitted":
            clauses.append(Assessment.status.in_(sorted(workflow.SUBMITTED)))  # type: ignore[attr-defined]
        elif grant.country:
            clauses.append(Assessment.country == grant.country)
    return or_(*clauses) if clauses else false()


def visible(actor: ActorLike, rows: Iterable[Any], action: Action = "read") -> list[Any]:
    """The rows (anything with ``country`` and ``status``) ``actor`` may take ``action`` on, in order."""
    who = as_actor(actor)
    return [r for r in rows if allowed(who, action, r)]


def _forbidden(code: str) -> Exception:
    # Imported here: the service module imports this one (its ServiceError carries the translated reason).
    from assessment.service import Forbidden as ServiceForbidden

    return ServiceForbidden(reason(code))
