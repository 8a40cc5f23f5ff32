"""Users and their grants: invitations by e-mail, grants, revocations, sign-in, and the acting user.

Identity comes from an OpenID Connect provider (``st.login``); this module never sees a password. An
administrator (or a country's focal point, for contributors and viewers of their country) invites an
e-mail with a role; the first sign-in whose *verified* e-mail matches binds the provider's subject to
that user, and later sign-ins are found by subject. Every grant, revocation and sign-in is audited.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn, cast

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
from assessment.account_models import AuditEvent, User, UserGrant
from assessment.models import utcnow
from assessment.service import Forbidden, ServiceError
from questionnaires.messages import languages, t
from refdata import country as lookup_country

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{1,63}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
NAME_MAX = 200  # app_user.name's column width (PostgreSQL refuses longer; SQLite would keep anything)
ISSUER_MAX = 255
SUBJECT_MAX = 255
# Scripts that one writing system mixes legitimately (Japanese: kanji with kana), counted as one.
_SCRIPT_ALIASES = {"HIRAGANA": "HAN", "KATAKANA": "HAN", "CJK": "HAN", "HANGUL": "HAN", "ARABIC-INDIC": "ARABIC",
                   "EXTENDED": "ARABIC"}


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
    """The e-mail as stored and compared: trimmed, NFKC-normalized, case-folded.

    Used alike for an invitation and for the address a provider vouches for at sign-in, so two spellings
    of one address meet. Refused (:class:`ServiceError`, with the reason) rather than normalized: control
    or invisible characters (they hide in a terminal or a spreadsheet), compatibility characters that NFKC
    would turn into other letters (the Kelvin sign \u212a becomes ``k``: ``\u212afp@`` must not claim
    ``kfp@``'s invitation; full-width letters alike), and letters of more than one script (a Cyrillic ``\u0435``
    among Latin letters). An address is ASCII, or written in one script: :func:`email_scripts`.
    """
    raw = (email or "").strip()
    if any(unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp") for c in raw):
        raise ServiceError(reason("usr_email_control", email=shown_value(ascii(raw)[1:-1])))
    if unicodedata.normalize("NFKC", raw) != raw:
        raise ServiceError(reason("usr_email_lookalike", email=shown_value(ascii(raw)[1:-1])))
    clean = raw.casefold()
    if not _EMAIL.match(clean):
        raise ServiceError(reason("usr_bad_email", email=shown_value(email)))
    if len(email_scripts(clean)) > 1:
        raise ServiceError(reason("usr_email_mixed", email=shown_value(ascii(raw)[1:-1])))
    return clean


def email_scripts(address: str) -> set[str]:
    """The scripts of the letters (and digits) of ``address`` beyond ASCII punctuation: LATIN, CYRILLIC...

    Taken from the first word of each character's Unicode name (the standard library has no script
    property): enough to tell Latin from Cyrillic, Greek, Arabic or Han, which is what look-alikes mix.
    ASCII letters are Latin; ASCII digits and punctuation belong to every script.
    """
    out: set[str] = set()
    for c in address:
        if c.isascii():
            if c.isalpha():
                out.add("LATIN")
            continue
        if unicodedata.category(c).startswith("M"):  # combining marks follow their letter's script
            continue
        word = unicodedata.name(c, "UNKNOWN").split(" ", 1)[0]
        out.add(_SCRIPT_ALIASES.get(word, word))
    return out


def claim_is_true(value: object) -> bool:
    """Whether an ``email_verified`` claim says true: a JSON ``true``, or a string that says ``true``.

    Some providers send the claim as a string, and ``bool("false")`` is true: never test it for truth.
    """
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() == "true"


def claim_is_false(value: object) -> bool:
    """Whether an ``email_verified`` claim explicitly says false (sent, and not true)."""
    return value is not None and not claim_is_true(value)


@dataclass(frozen=True)
class ProviderRule:
    """Whose e-mail one identity provider vouches for, as configured (``[sign_in]`` in secrets.toml).

    ``trust_claim``: an ``email_verified`` claim that says true verifies the address (Google, Keycloak,
    Login.gov). ``tenant_domains`` with ``tenant_issuer``: addresses in these domains, vouched by that
    tenant (the token's ``iss``), are verified by the tenant even without the claim (Microsoft Entra ID sends
    none); the issuer is required so another tenant cannot hand out addresses in your domains.
    An explicit ``email_verified: false`` always refuses.
    """

    trust_claim: bool = True
    tenant_domains: frozenset[str] = frozenset()
    tenant_issuer: str | None = None

    def verifies(self, *, email: str | None, claim: object, issuer: str | None) -> bool:
        """Whether this provider vouches that ``email`` belongs to the person signing in."""
        if not email or claim_is_false(claim):
            return False
        if self.trust_claim and claim_is_true(claim):
            return True
        domain = email.rsplit("@", 1)[-1].strip().casefold()
        return bool(self.tenant_issuer) and issuer == self.tenant_issuer and domain in self.tenant_domains


CLAIM_ONLY = ProviderRule()
RULE_KEYS = ("trust_email_verified_claim", "tenant_domains", "tenant_issuer")


def provider_rule(section: Mapping[str, Any] | None) -> ProviderRule:
    """The :class:`ProviderRule` of one ``[sign_in]`` section; ValueError listing every problem in it."""
    if not section:
        return CLAIM_ONLY
    problems = [f"unknown setting {k!r} (the settings are {', '.join(RULE_KEYS)})"
                for k in section if k not in RULE_KEYS and not isinstance(section[k], Mapping)]
    trust = section.get("trust_email_verified_claim", True)
    if not isinstance(trust, bool):
        problems.append("trust_email_verified_claim must be true or false (without quotes)")
        trust = True
    raw_domains = section.get("tenant_domains", [])
    if isinstance(raw_domains, str) or not isinstance(raw_domains, list | tuple):
        problems.append('tenant_domains must be a list of domains, e.g. ["ca.go.ke", "itu.int"]')
        raw_domains = []
    domains = frozenset(str(d).strip().casefold() for d in raw_domains)
    problems += [f"tenant_domains: {d!r} is not a domain name (no @, no wildcard)" for d in sorted(domains)
                 if not _DOMAIN.match(d)]
    issuer = section.get("tenant_issuer")
    if issuer is not None and (not isinstance(issuer, str) or not _issuer_ok(issuer)):
        problems.append("tenant_issuer must be the provider's issuer URL (https://...), as its tokens' iss says")
        issuer = None
    if domains and not issuer:
        problems.append("tenant_domains needs tenant_issuer (your tenant's issuer URL): without it, any tenant "
                        "of the provider could sign in with an address in these domains")
    if issuer and not domains:
        problems.append("tenant_issuer is set but tenant_domains is empty: list the domains your tenant verifies")
    if not trust and not domains:
        problems.append("trust_email_verified_claim is false and no tenant_domains are listed: nobody could "
                        "accept an invitation")
    if problems:
        raise ValueError(problems)
    return ProviderRule(trust_claim=trust, tenant_domains=domains, tenant_issuer=issuer or None)


def _issuer_ok(url: str) -> bool:
    if url.startswith("https://") and len(url) > len("https://"):
        return True
    # Plain http only for a provider on this computer (tests, a local Keycloak).
    return url.startswith(("http://127.0.0.1:", "http://localhost:", "http://127.0.0.1/", "http://localhost/"))


def login_marker(claims: Mapping[str, Any]) -> str | None:
    """One sign-in's fingerprint, from its ID token (issuer, subject, issued-at, nonce); None if it has none.

    The same login seen again (a reload, a new tab, the next page) has the same marker; a new login has a
    new ``iat`` and ``nonce``. Hashed, so the audit trail holds no token material.
    """
    iat, nonce = claims.get("iat"), claims.get("nonce")
    if iat is None and nonce is None:
        return None
    parts = "|".join(str(claims.get(k) or "") for k in ("iss", "sub", "iat", "nonce", "auth_time"))
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()[:24]


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


def _role_words(role: str) -> dict[str, str]:
    """A role as people read it, per language ("Point focal"), never its id ("focal_point") (issue 20)."""
    return {lang: t(f"ui.role.{role}", lang) for lang in languages()}


def _check_grant(
    who: Actor, role: str, country: str | None, pillars: Iterable[str] | None
) -> tuple[str | None, list[str] | None]:
    if role not in ROLES:
        raise ServiceError(reason("usr_bad_role", role=shown_value(role), roles={
            lang: ", ".join(f"{r} ({t(f'ui.role.{r}', lang)})" for r in ROLES) for lang in languages()}))
    iso3: str | None = None
    if role in COUNTRY_ROLES:
        if not country:
            raise ServiceError(reason("usr_country_needed", role=_role_words(role)))
        try:
            iso3 = lookup_country(country).iso3
        except (KeyError, AttributeError):
            raise ServiceError(reason("svc_bad_country", code=shown_value(country))) from None
    elif country:
        raise ServiceError(reason("usr_no_country", role=_role_words(role)))
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
    session: Session, *, subject: str, email: str | None, email_verified: object, issuer: str | None = None,
    name: str | None = None, rule: ProviderRule = CLAIM_ONLY, login: str | None = None,
) -> Actor:
    """The acting user for a provider-vouched identity; binds an invitation at first sign-in. Audited.

    Found by subject first; else by an e-mail the provider vouches for (``rule``: the ``email_verified``
    claim, true or "true", or the tenant's own domains) of an invited user not yet bound: an unverified
    e-mail would let anyone claim an invitation. Anyone else is refused (and the refusal audited).
    ``login`` (:func:`login_marker`) names this sign-in: the same login seen again on a reload or in a new
    tab is not recorded again, so the trail holds one ``sign_in`` per sign-in.
    """
    if not subject or len(subject) > SUBJECT_MAX:
        _refuse(session, email or subject or "?", email, email_verified, login)
    issuer = issuer[:ISSUER_MAX] if issuer else None
    user = session.exec(select(User).where(User.subject == subject)).first()
    verified = rule.verifies(email=email, claim=email_verified, issuer=issuer)
    if user is None and email and verified:
        try:
            address = normalise_email(email)
        except ServiceError as exc:  # a look-alike, mixed-script or control-character address
            _refuse(session, email, email, email_verified, login, why=exc)
        candidate = session.exec(select(User).where(User.email == address)).first()
        if candidate is not None and candidate.subject is None:
            user = candidate
            user.subject = subject
            user.issuer = issuer
    if user is None or not user.active:
        _refuse(session, email or subject, email, email_verified, login)
    if login is not None and _recorded(session, "sign_in", user.email, login):
        return actor_for(session, user)
    user.last_sign_in = utcnow()
    clean_name = (name or "").strip()[:NAME_MAX]
    if clean_name and not user.name:
        user.name = clean_name
    session.add(user)
    audit.record(session, actor=user.email, event="sign_in",
                 detail={"email": user.email, **({"login": login} if login else {})})
    _commit(session)
    return actor_for(session, user)


def _refuse(
    session: Session, who: str, email: str | None, claim: object, login: str | None,
    why: ServiceError | None = None,
) -> NoReturn:
    """Audit a refused sign-in (once per login) and raise :class:`SignInRefused`."""
    by = who[:254]
    if login is None or not _recorded(session, "sign_in_refused", by, login):
        audit.record(session, actor=by, event="sign_in_refused",
                     detail={"email": email or "", "verified": claim if isinstance(claim, bool | str) else None,
                             **({"login": login} if login else {})})
        _commit(session)
    if why is not None:
        raise SignInRefused(why.reason or str(why))
    raise SignInRefused(reason("usr_not_invited", email=email or "?"))


def _recorded(session: Session, event: str, by: str, login: str) -> bool:
    """Whether this login was already recorded (among the person's latest events of that kind)."""
    stmt = (select(AuditEvent).where(AuditEvent.event == event, AuditEvent.by == by)
            .order_by(col(AuditEvent.id).desc()).limit(50))
    return any((e.detail or {}).get("login") == login for e in session.exec(stmt))


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
