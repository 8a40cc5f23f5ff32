"""Why a page is read-only for this reader, in words: the role or the workflow state that makes it so.

A control that looked editable and then failed, or a page that said "every change is saved" to someone who
may save nothing, left readers guessing (issue 20). The answers come from the permission matrix
(:func:`assessment.access.allowed`) and the workflow (:mod:`assessment.workflow`), never from rules copied here.
"""

from __future__ import annotations

from typing import Protocol

from assessment import access, workflow
from assessment.access import Actor, ActorLike
from formatting.audit import pillar_name
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from refdata import country_name


class _Assessment(Protocol):
    country: str
    status: str


def _grants_here(actor: ActorLike, country: str) -> list[access.Grant]:
    who = access.as_actor(actor)
    return [g for g in who.grants if g.country in (None, country)] if isinstance(who, Actor) else []


def _role_reason(questionnaire: Questionnaire, actor: ActorLike, a: _Assessment, lang: str, *,
                 pillar: str | None) -> str:
    """Why the reader's role may not change this (the assessment itself could be changed)."""
    country = country_name(a.country, lang)
    grants = _grants_here(actor, a.country)
    mine = [g for g in grants if g.role == "contributor" and g.country == a.country and g.pillars is not None]
    if pillar is not None and mine:
        pillars = sorted({p for g in mine for p in g.pillars or ()})
        names = ", ".join(pillar_name(questionnaire, p, lang) for p in pillars)
        return t("ui.readonly.other_pillar", lang, pillars=names)
    roles = {g.role for g in grants}
    if "viewer" in roles:
        return t("ui.readonly.viewer", lang, country=country)
    if "adviser" in roles:
        return t("ui.readonly.adviser", lang)
    return t("ui.readonly.no_role", lang, country=country)


def state_reason(actor: ActorLike, a: _Assessment, lang: str) -> str | None:
    """Why nobody changes the answers in this state, and who can change that; None when it is editable."""
    kind = workflow.lock(a.status)
    if kind is None:
        return None
    status = t(f"ui.status.{a.status}", lang).lower()
    if kind == "submitted":
        key = "ui.readonly.submitted_you" if access.allowed(actor, "reopen", a) else "ui.readonly.submitted"
        return t(key, lang, status=status)
    return t(f"ui.readonly.{kind}", lang, status=status)


def edit_reason(questionnaire: Questionnaire, actor: ActorLike, a: _Assessment, lang: str, *,
                pillar: str | None = None) -> str | None:
    """Why the reader may not change the answers (of ``pillar`` when given); None when they may."""
    why = state_reason(actor, a, lang)
    if why is not None:
        return why
    if pillar is None:
        if access.allowed(actor, "edit", a) or any(
            access.allowed(actor, "edit", a, pillar=p.id) for p in questionnaire.pillars
        ):
            return None
        return _role_reason(questionnaire, actor, a, lang, pillar=None)
    if access.allowed(actor, "edit", a, pillar=pillar):
        return None
    return _role_reason(questionnaire, actor, a, lang, pillar=pillar)


def targets_reason(actor: ActorLike, a: _Assessment, lang: str) -> str | None:
    """Why the reader may not set targets; None when they may (targets may change in any state)."""
    if access.allowed(actor, "targets", a):
        return None
    return t("ui.readonly.targets", lang, country=country_name(a.country, lang))


def create_reason(actor: ActorLike, lang: str) -> str | None:
    """Why the reader starts no assessment anywhere; None when they may start one somewhere."""
    if access.allowed(actor, "create"):
        return None
    return t("ui.readonly.create", lang)


def import_reason(actor: ActorLike, lang: str) -> str | None:
    """Why the reader brings in no answers by file anywhere; None when they may in some country."""
    if access.allowed(actor, "import") or access.allowed(actor, "import_answers"):
        return None
    return t("ui.readonly.import", lang)
