"""Users, invitations, grants, sign-in binding and the audit trail (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assessment import audit, service, users
from assessment.access import Actor, Grant
from assessment.account_models import AuditEvent, AuditIsAppendOnly
from questionnaires import Questionnaire

FOCAL = Actor("fp@ken.example", (Grant("focal_point", "KEN"),))


def test_first_sign_in_of_an_invited_verified_email_binds_it(session: Session) -> None:
    users.invite(session, email=" Amina@Regulator.KE ", role="focal_point", country="ken")
    actor = users.sign_in(session, subject="sub-1", email="amina@regulator.ke", email_verified=True,
                          issuer="https://sso.example")
    assert actor.name == "amina@regulator.ke"
    assert actor.grants == (Grant("focal_point", "KEN"),)
    # Later sign-ins are found by subject, even if the provider now reports another e-mail.
    again = users.sign_in(session, subject="sub-1", email="amina.new@regulator.ke", email_verified=True)
    assert again.user_id == actor.user_id
    [view] = users.list_users(session)
    assert view.bound and view.last_sign_in is not None


@pytest.mark.parametrize(("email", "verified"), [("amina@regulator.ke", False), ("stranger@example.org", True)])
def test_unverified_or_uninvited_sign_ins_are_refused_and_audited(
    session: Session, email: str, verified: bool
) -> None:
    users.invite(session, email="amina@regulator.ke", role="viewer", country="KEN")
    with pytest.raises(users.SignInRefused) as refused:
        users.sign_in(session, subject="sub-x", email=email, email_verified=verified)
    assert "invit" in refused.value.text("fr")
    assert [e.detail["email"] for e in audit.events(session, event="sign_in_refused")] == [email]
    [view] = users.list_users(session)
    assert not view.bound  # the invitation is still free for the real owner


def test_an_invitation_already_bound_cannot_be_claimed_by_another_subject(session: Session) -> None:
    users.invite(session, email="amina@regulator.ke", role="viewer", country="KEN")
    users.sign_in(session, subject="sub-1", email="amina@regulator.ke", email_verified=True)
    with pytest.raises(users.SignInRefused):
        users.sign_in(session, subject="sub-2", email="amina@regulator.ke", email_verified=True)


def test_a_focal_point_invites_contributors_of_its_country_only(session: Session) -> None:
    view = users.invite(session, email="spectrum@ca.go.ke", role="contributor", country="KEN",
                        pillars=["ipv6"], actor=FOCAL)
    assert [(g.role, g.country, g.pillars) for g in view.grants] == [("contributor", "KEN", ["ipv6"])]
    with pytest.raises(service.Forbidden):
        users.invite(session, email="x@fr.example", role="contributor", country="FRA", actor=FOCAL)
    with pytest.raises(service.Forbidden):
        users.invite(session, email="boss@ken.example", role="focal_point", country="KEN", actor=FOCAL)
    with pytest.raises(service.Forbidden):
        users.invite(session, email="adv@itu.example", role="adviser", actor=FOCAL)


@pytest.mark.parametrize(
    ("role", "country", "pillars", "code"),
    [("king", None, None, "usr_bad_role"), ("viewer", None, None, "usr_country_needed"),
     ("adviser", "KEN", None, "usr_no_country"), ("viewer", "KEN", ["ipv6"], "usr_pillars_contributor"),
     ("viewer", "XXX", None, "svc_bad_country")],
)
def test_bad_grants_are_refused_with_a_reason(
    session: Session, role: str, country: str | None, pillars: list[str] | None, code: str
) -> None:
    with pytest.raises(service.ServiceError) as refused:
        users.invite(session, email="a@b.example", role=role, country=country, pillars=pillars)
    assert refused.value.reason is not None and refused.value.reason.code == code
    assert users.list_users(session) == []


def test_revoking_takes_effect_on_the_next_actor(session: Session, mini: Questionnaire, draft: str) -> None:
    users.invite(session, email="v@ken.example", role="viewer", country="KEN")
    actor = users.sign_in(session, subject="s", email="v@ken.example", email_verified=True)
    assert service.get_assessment(session, draft, actor=actor).id == draft
    assert users.revoke(session, email="v@ken.example") == 1
    after = users.sign_in(session, subject="s", email="v@ken.example", email_verified=True)
    with pytest.raises(service.Forbidden):
        service.get_assessment(session, draft, actor=after)
    kinds = [e.event for e in reversed(audit.events(session))]
    assert kinds == ["invite", "grant", "sign_in", "revoke", "sign_in"]


def test_the_audit_trail_is_append_only(session: Session) -> None:
    users.invite(session, email="v@ken.example", role="viewer", country="KEN")
    event = session.exec(select(AuditEvent)).first()
    assert event is not None
    event.by = "someone else"
    session.add(event)
    with pytest.raises(AuditIsAppendOnly):
        session.commit()
    session.rollback()
    with pytest.raises(AuditIsAppendOnly):
        session.delete(session.exec(select(AuditEvent)).first())
        session.commit()
    session.rollback()
    csv_text = audit.export_csv(session)
    assert next(csv.reader(io.StringIO(csv_text))) == ["id", "at", "by", "event", "country", "assessment_id", "detail"]
    assert "someone else" not in csv_text and "v@ken.example" in csv_text


@pytest.mark.parametrize("before", ["0001", "0003"])
def test_migrating_todays_schema_keeps_every_assessment(db_url: str, before: str) -> None:
    """An install made before accounts (the first schema, or main's before 0004): write data the old way, then
    upgrade to head."""
    from alembic import command

    from assessment import db

    engine: Engine = db.make_engine(db_url)
    try:
        cfg = db.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, before)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO assessment (id, country, cycle, questionnaire_id, questionnaire_version, status, "
                "illustrative, targets, created_at, updated_at, created_by, updated_by, version) VALUES "
                "('a1', 'KEN', 2025, 'mini', '0.1.0', 'submitted', false, '{}', '2025-01-01', '2025-01-02', "
                "'local', 'local', 3)"))
            conn.execute(text(
                "INSERT INTO answer (id, assessment_id, question_id, value, not_applicable, dont_know, review, "
                "updated_at, updated_by, version) VALUES ('r1', 'a1', 'v6_users', '42.5', false, false, false, "
                "'2025-01-02', 'local', 2)"))
        db.init_db(engine)
        with Session(engine) as s:
            view = service.get_assessment(s, "a1")
            assert (view.country, view.status, view.version, view.created_by) == ("KEN", "submitted", 3, "local")
            assert view.answers["v6_users"].value == 42.5 and view.versions["v6_users"] == 2
            adviser = Actor("adv@itu.example", (Grant("adviser"),))
            assert [r.id for r in service.list_assessments(s, actor=adviser)] == ["a1"]
            assert users.list_users(s) == []
    finally:
        engine.dispose()


# Issue 19, point 1: only a real true (or a string that says true) verifies an e-mail; the tenant rule.
ENTRA = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"


def _tenant() -> users.ProviderRule:
    """Entra ID as configured: the tenant vouches for its own domain; the claim is not trusted."""
    return users.ProviderRule(trust_claim=False, tenant_domains=frozenset({"ca.go.ke"}), tenant_issuer=ENTRA)


@pytest.mark.parametrize("claim", ["false", "False", " FALSE ", "0", "no", "", "yes"])
def test_an_email_verified_claim_that_is_a_string_saying_false_binds_nothing(session: Session, claim: str) -> None:
    users.invite(session, email="admin@itu.example", role="admin")
    with pytest.raises(users.SignInRefused):
        users.sign_in(session, subject="attacker", email="admin@itu.example", email_verified=claim)
    [view] = users.list_users(session)
    assert not view.bound


@pytest.mark.parametrize("claim", [True, "true", "True", " TRUE "])
def test_an_email_verified_claim_saying_true_binds_the_invitation(session: Session, claim: object) -> None:
    users.invite(session, email="fp@ca.go.ke", role="focal_point", country="KEN")
    assert users.sign_in(session, subject="s1", email="fp@ca.go.ke", email_verified=claim).grants


def test_a_tenant_rule_binds_an_entra_address_sent_without_the_claim(session: Session) -> None:
    users.invite(session, email="fp@ca.go.ke", role="focal_point", country="KEN")
    who = users.sign_in(session, subject="s1", email="FP@ca.go.ke", email_verified=None, issuer=ENTRA, rule=_tenant())
    assert who.name == "fp@ca.go.ke"


@pytest.mark.parametrize(
    ("email", "claim", "issuer"),
    [("fp@ca.go.ke", None, "https://login.microsoftonline.com/another-tenant/v2.0"),  # another tenant
     ("fp@ca.go.ke", None, None),
     ("fp@ca.go.ke", False, ENTRA),  # the provider says not verified: never overridden
     ("fp@ca.go.ke", "false", ENTRA),
     ("fp@evil.example", True, ENTRA)],  # the claim is not trusted under this rule
)
def test_a_tenant_rule_refuses_other_tenants_other_domains_and_explicit_false(
    session: Session, email: str, claim: object, issuer: str | None
) -> None:
    users.invite(session, email="fp@ca.go.ke", role="focal_point", country="KEN")
    users.invite(session, email="fp@evil.example", role="viewer", country="KEN")
    with pytest.raises(users.SignInRefused):
        users.sign_in(session, subject="s1", email=email, email_verified=claim, issuer=issuer, rule=_tenant())
    assert not any(v.bound for v in users.list_users(session))


def test_the_default_rule_does_not_trust_a_tenant_without_the_claim(session: Session) -> None:
    """Entra ID sends no email_verified: without a tenant rule its users are refused, not let in."""
    users.invite(session, email="fp@ca.go.ke", role="focal_point", country="KEN")
    with pytest.raises(users.SignInRefused):
        users.sign_in(session, subject="s1", email="fp@ca.go.ke", email_verified=None, issuer=ENTRA)


# Issue 19, point 2: look-alike addresses (NFKC then casefold, refused when that would change a letter).
def test_a_kelvin_sign_address_does_not_take_the_invitation_of_its_look_alike(session: Session) -> None:
    users.invite(session, email="kfp@ca.go.ke", role="focal_point", country="KEN")
    with pytest.raises(users.SignInRefused) as refused:
        users.sign_in(session, subject="attacker", email="\u212afp@ca.go.ke", email_verified=True)
    assert "Kelvin" in refused.value.text("en") and "kelvin" in refused.value.text("fr")
    [view] = users.list_users(session)
    assert not view.bound
    assert [e.detail["email"] for e in audit.events(session, event="sign_in_refused")] == ["\u212afp@ca.go.ke"]


@pytest.mark.parametrize(
    "email",
    ["\u212afp@ca.go.ke", "\uff4bfp@ca.go.ke",  # Kelvin sign, full-width k
     "k\u0435n@ca.go.ke", "fp@c\u0430.go.ke", "fp@ca.g\u03bf.ke"],  # Cyrillic e, Cyrillic a, Greek omicron
)
def test_look_alike_and_mixed_script_addresses_cannot_be_invited(session: Session, email: str) -> None:
    with pytest.raises(service.ServiceError) as refused:
        users.invite(session, email=email, role="viewer", country="KEN")
    assert "\\u" in refused.value.text("en")  # the address is shown with its odd letters visible
    assert users.list_users(session) == []


@pytest.mark.parametrize("email", ["fp\x1b[31m@ca.go.ke", "fp@ca.go.ke\x1b]0;owned\x07", "f\u202ep@ca.go.ke",
                                   "fp\u200b@ca.go.ke", "fp\r@ca.go.ke"])
def test_addresses_with_control_or_invisible_characters_are_refused(session: Session, email: str) -> None:
    with pytest.raises(service.ServiceError) as refused:
        users.invite(session, email=email, role="viewer", country="KEN")
    assert "control" in refused.value.text("en") and "\x1b" not in refused.value.text("en")


@pytest.mark.parametrize("email", ["josé.martínez@mintic.gov.co", "иван@минсвязь.рф", "محمد@وزارة.مصر"])
def test_addresses_in_one_script_are_accepted(session: Session, email: str) -> None:
    assert users.invite(session, email=email, role="viewer", country="KEN").email == email


def test_invitation_and_sign_in_fold_case_alike(session: Session) -> None:
    """casefold, not lower: 'STRASSE' and 'straße' are one address at invitation and at sign-in."""
    users.invite(session, email="Straße@BMWK.de", role="viewer", country="DEU")
    who = users.sign_in(session, subject="s1", email="STRASSE@bmwk.de", email_verified=True)
    assert who.name == "strasse@bmwk.de"


# Issue 19, point 10: an identity provider's long name.
def test_a_provider_name_over_200_characters_is_truncated_not_a_crash(session: Session) -> None:
    users.invite(session, email="fp@ca.go.ke", role="focal_point", country="KEN")
    users.sign_in(session, subject="s1", email="fp@ca.go.ke", email_verified=True, name="N" * 500)
    [view] = users.list_users(session)
    assert view.name == "N" * 200


# Issue 19, point 6: one sign_in event per sign-in.
def test_the_same_login_seen_again_is_recorded_once(session: Session) -> None:
    users.invite(session, email="fp@ca.go.ke", role="focal_point", country="KEN")
    login = users.login_marker({"iss": "https://sso", "sub": "s1", "iat": 1765000000, "nonce": "n1"})
    for _ in range(5):  # five page loads, tabs or reruns of one login
        users.sign_in(session, subject="s1", email="fp@ca.go.ke", email_verified=True, login=login)
    assert len(audit.events(session, event="sign_in")) == 1
    again = users.login_marker({"iss": "https://sso", "sub": "s1", "iat": 1765003600, "nonce": "n2"})
    users.sign_in(session, subject="s1", email="fp@ca.go.ke", email_verified=True, login=again)
    assert len(audit.events(session, event="sign_in")) == 2


def test_a_refused_login_seen_again_is_recorded_once(session: Session) -> None:
    login = users.login_marker({"iss": "https://sso", "sub": "x", "iat": 1765000000, "nonce": "n1"})
    for _ in range(3):
        with pytest.raises(users.SignInRefused):
            users.sign_in(session, subject="x", email="stranger@example.org", email_verified=True, login=login)
    assert len(audit.events(session, event="sign_in_refused")) == 1
