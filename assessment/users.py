"""Users and their grants: invitations by e-mail, grants, revocations, sign-in, and the acting user.

Identity comes from an OpenID Connect provider (``st.login``); this module never sees a password. An
administrator (or a country's focal point, for contributors and viewers of their country) invites an
e-mail with a role; the first sign-in whose *verified* e-mail matches binds the provider's subject to
that user, and later sign-ins are found by subject. Every grant, revocation and sign-in is audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from answers.document import reason, shown_value
from assessment import audit
from assessment.access import (
    COUNTRY_ROLES,
    DELEGABLE,
    LOCAL_ADMIN,
    ROLES,
    Actor,
    ActorLike,
    Grant,
    Role,
    as_actor,
    check,
)
from assessment.account_models import User, UserGrant
from assessment.models import utcnow
from assessment.service import Forbidden, ServiceError
from refdata import country as lookup_country

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{1,63}$")


class GrantView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    role: str
    country: str | None
    pillars: list[str] | None
    granted_at: datetime
    granted_by: str | None


class UserView(BaseModel):
    """A user with their active grants, as the Admin page and ``iotready users list`` show them."""

    model_config = ConfigDict(frozen=True)

    id: str
    email: str
    name: str | None
    bound: bool  # signed in at least once (the provider's subject is known)
    active: bool
    invited_at: datetime
    invited_by: str | None
    last_sign_in: datetime | None
    grants: list[GrantView]


class SignInRefused(ServiceError):
    """The provider vouched for someone this installation does not know (or an unverified e-mail)."""


def normalise_email(email: str) -> str:
    """The e-mail as stored: trimmed and lower-cased; :class:`ServiceError` when it is not one."""
    clean = (email or "").strip().lower()
    if not _EMAIL.match(clean):
        raise ServiceError(reason("usr_bad_email", email=shown_value(email)))
    return clean


def _active_grants(session: Session, user_ids: Iterable[str]) -> dict[str, list[UserGrant]]:
    ids = list(user_ids)
    out: dict[str, list[UserGrant]] = {i: [] for i in ids}
    if ids:
        stmt = (select(UserGrant).where(col(UserGrant.user_id).in_(ids), col(UserGrant.revoked_at).is_(None))
                .order_by(col(UserGrant.granted_at)))
        for g in session.exec(stmt):
            out[g.user_id].append(g)
    return out


def _grant_of(g: UserGrant) -> Grant:
    role = cast(Role, g.role)  # checked on the way in
    return Grant(role=role, country=g.country, pillars=frozenset(g.pillars) if g.pillars else None)


def actor_for(session: Session, user: User) -> Actor:
    """The :class:`Actor` for ``user``: named by e-mail, with their active grants (none if deactivated)."""
    grants = tuple(_grant_of(g) for g in _active_grants(session, [user.id])[user.id]) if user.active else ()
    return Actor(name=user.email, grants=grants, user_id=user.id)


def actor_by_email(session: Session, email: str) -> Actor:
    """The acting user for ``iotready --as EMAIL``; :class:`ServiceError` if no such user."""
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        raise ServiceError(reason("usr_unknown", email=email))
    return actor_for(session, user)


def _check_grant(
    who: Actor, role: str, country: str | None, pillars: Iterable[str] | None
) -> tuple[str | None, list[str] | None]:
    if role not in ROLES:
        raise ServiceError(reason("usr_bad_role", role=shown_value(role), roles=", ".join(ROLES)))
    iso3: str | None = None
    if role in COUNTRY_ROLES:
        if not country:
            raise ServiceError(reason("usr_country_needed", role=role))
        try:
            iso3 = lookup_country(country).iso3
        except (KeyError, AttributeError):
            raise ServiceError(reason("svc_bad_country", code=shown_value(country))) from None
    elif country:
        raise ServiceError(reason("usr_no_country", role=role))
    clean = sorted({p.strip() for p in pillars or () if p.strip()}) or None
    if clean and role != "contributor":
        raise ServiceError(reason("usr_pillars_contributor"))
    # An administrator grants anything; a focal point only contributors and viewers of their own country.
    if not any(g.role == "admin" for g in who.grants):
        check(who, "invite", country=iso3)
        if role not in DELEGABLE:
            raise Forbidden(reason("svc_forbidden"))
    return iso3, clean


def invite(
    session: Session,
    *,
    email: str,
    role: str,
    country: str | None = None,
    pillars: Iterable[str] | None = None,
    name: str | None = None,
    actor: ActorLike = LOCAL_ADMIN,
) -> UserView:
    """Invite ``email`` with one grant (or add the grant to an existing user); audited. Idempotent."""
    who = check(actor, "invite")
    address = normalise_email(email)
    iso3, clean = _check_grant(who, role, country, pillars)
    user = session.exec(select(User).where(User.email == address)).first()
    try:
        if user is None:
            user = User(email=address, name=(name or "").strip() or None, invited_by=who.name)
            session.add(user)
            session.flush()
            audit.record(session, actor=who, event="invite", country=iso3, detail={"email": address})
        _add_grant(session, who, user, role, iso3, clean)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ServiceError(reason("usr_race", email=address)) from None
    return get_user(session, user_id=user.id, actor=LOCAL_ADMIN)


def _add_grant(
    session: Session, who: Actor, user: User, role: str, iso3: str | None, pillars: list[str] | None
) -> None:
    for g in _active_grants(session, [user.id])[user.id]:
        if g.role == role and g.country == iso3 and (g.pillars or None) == pillars:
            return
    session.add(UserGrant(user_id=user.id, role=role, country=iso3, pillars=pillars, granted_by=who.name))
    audit.record(session, actor=who, event="grant", country=iso3,
                 detail={"email": user.email, "role": role, "pillars": pillars or []})


def grant(
    session: Session,
    *,
    email: str,
    role: str,
    country: str | None = None,
    pillars: Iterable[str] | None = None,
    actor: ActorLike = LOCAL_ADMIN,
) -> UserView:
    """Give an invited user one more role; audited. Idempotent."""
    who = check(actor, "invite")
    user = _user_by_email(session, email)
    iso3, clean = _check_grant(who, role, country, pillars)
    _add_grant(session, who, user, role, iso3, clean)
    _commit(session)
    return get_user(session, user_id=user.id, actor=LOCAL_ADMIN)


def revoke(
    session: Session,
    *,
    email: str,
    role: str | None = None,
    country: str | None = None,
    actor: ActorLike = LOCAL_ADMIN,
) -> int:
    """Revoke the user's grants (all, or those of ``role`` / ``country``); returns how many. Audited."""
    who = check(actor, "invite")
    user = _user_by_email(session, email)
    iso3 = country.upper() if country else None
    n = 0
    now = utcnow()
    for g in _active_grants(session, [user.id])[user.id]:
        if (role and g.role != role) or (iso3 and g.country != iso3):
            continue
        _check_grant(who, g.role, g.country, g.pillars)
        g.revoked_at = now
        g.revoked_by = who.name
        session.add(g)
        audit.record(session, actor=who, event="revoke", country=g.country, at=now,
                     detail={"email": user.email, "role": g.role})
        n += 1
    _commit(session)
    return n


def list_users(session: Session, *, actor: ActorLike = LOCAL_ADMIN) -> list[UserView]:
    """Users with their active grants: all for an administrator, their country's for a focal point."""
    who = check(actor, "invite")
    users = list(session.exec(select(User).order_by(col(User.email))))
    grants = _active_grants(session, [u.id for u in users])
    views = [_view(u, grants[u.id]) for u in users]
    if any(g.role == "admin" for g in who.grants):
        return views
    mine = who.countries()
    return [v for v in views if any(g.country in mine for g in v.grants)]


def get_user(session: Session, *, user_id: str, actor: ActorLike = LOCAL_ADMIN) -> UserView:
    """One user with their active grants (an administrator's, or the user's own)."""
    who = as_actor(actor)
    if who.user_id != user_id:
        check(who, "manage_users")
    user = session.get(User, user_id)
    if user is None:
        raise ServiceError(reason("usr_unknown", email=user_id))
    return _view(user, _active_grants(session, [user.id])[user.id])


def sign_in(
    session: Session, *, subject: str, email: str | None, email_verified: bool, issuer: str | None = None,
    name: str | None = None,
) -> Actor:
    """The acting user for a provider-vouched identity; binds an invitation at first sign-in. Audited.

    Found by subject first; else by a *verified* e-mail of an invited user not yet bound (an unverified
    e-mail would let anyone claim an invitation). Anyone else is refused (and the refusal audited).
    """
    if not subject:
        raise SignInRefused(reason("usr_not_invited", email=email or "?"))
    user = session.exec(select(User).where(User.subject == subject)).first()
    if user is None and email and email_verified:
        candidate = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if candidate is not None and candidate.subject is None:
            user = candidate
            user.subject = subject
            user.issuer = issuer
    if user is None or not user.active:
        audit.record(session, actor=email or subject, event="sign_in_refused",
                     detail={"email": email or "", "verified": email_verified})
        _commit(session)
        raise SignInRefused(reason("usr_not_invited", email=email or "?"))
    user.last_sign_in = utcnow()
    if name and not user.name:
        user.name = name
    session.add(user)
    audit.record(session, actor=user.email, event="sign_in", detail={"email": user.email})
    _commit(session)
    return actor_for(session, user)


def _user_by_email(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        raise ServiceError(reason("usr_unknown", email=email))
    return user


def _view(u: User, grants: list[UserGrant]) -> UserView:
    return UserView(
        id=u.id, email=u.email, name=u.name, bound=u.subject is not None, active=u.active,
        invited_at=u.invited_at, invited_by=u.invited_by, last_sign_in=u.last_sign_in,
        grants=[GrantView(id=g.id, role=g.role, country=g.country, pillars=g.pillars, granted_at=g.granted_at,
                          granted_by=g.granted_by) for g in grants],
    )


def _commit(session: Session) -> None:
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise


def current_actor(session: Session, *, user_id: str) -> Actor:
    """The signed-in user's actor with their grants as they are now (read on every page run)."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise SignInRefused(reason("usr_not_invited", email=user.email if user else "?"))
    return actor_for(session, user)
