"""Sign-in as an attacker tries it, in a real browser, through a real OpenID Connect provider (issue 19, 20).

``oidc-provider-mock`` serves on 127.0.0.1 with users whose claims reproduce real providers: an
``email_verified`` sent as the string ``"false"`` (string-claim providers), no ``email_verified`` at all
(Microsoft Entra ID), a Kelvin-sign look-alike of an invited address. The app runs in multi-user mode with
an ``[auth]`` (and, for the tenant rule, a ``[sign_in]``) section pointing at it. Also: the reader's language
survives the trip to the provider and back, the refusal included; one sign-in is one audit event, however
many pages it loads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlmodel import Session

from tests.e2e.oidc import multi_user_app, provider
from tests.e2e.test_browser import CHROMIUM_ARGS, _settle, chromium  # noqa: F401

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
INVITED = {"fp@ca.go.ke": ("focal_point", "KEN"), "kfp@ca.go.ke": ("focal_point", "KEN"),
           "admin@itu.example": ("admin", None)}
PEOPLE: dict[str, dict[str, object]] = {
    "fp": {"email": "fp@ca.go.ke", "email_verified": True},
    "string-false": {"email": "admin@itu.example", "email_verified": "false"},  # a string-claim provider
    "entra": {"email": "fp@ca.go.ke", "name": "Focal Point"},  # Entra ID sends no email_verified
    "kelvin": {"email": "\u212afp@ca.go.ke", "email_verified": True},  # looks like kfp@ca.go.ke
    "stranger": {"email": "stranger@example.org", "email_verified": True},
}


def _provider() -> AbstractContextManager[str]:
    return provider(PEOPLE)



@contextmanager
def _app(tmp: Path, issuer: str, sign_in: Mapping[str, object] | None = None) -> Iterator[str]:
    """The app in multi-user mode with the invitations of :data:`INVITED`; yields its address."""
    from assessment import db, service, users
    from questionnaires import load_questionnaire

    q = load_questionnaire(MINI)
    with Session(db.connect(f"sqlite:///{tmp / 'app.db'}")) as s:
        service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=q)
        for email, (role, country) in INVITED.items():
            users.invite(s, email=email, role=role, country=country)
    with multi_user_app(tmp, issuer, sign_in=sign_in) as base:
        yield base


def _sign_in(browser: Browser, base: str, sub: str, *, path: str = "", button: str = "Sign in") -> Page:
    """A fresh browser profile opens ``base/path`` and signs in as ``sub`` through the provider's page."""
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/{path}")
    _settle(page)
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{base}/**")
    _settle(page)
    return page


def _bound(tmp: Path) -> dict[str, bool]:
    from assessment import db, users

    with Session(db.connect(f"sqlite:///{tmp / 'app.db'}")) as s:
        return {v.email: v.bound for v in users.list_users(s)}


def _events(tmp: Path, event: str) -> list[dict[str, object]]:
    from assessment import audit, db

    with Session(db.connect(f"sqlite:///{tmp / 'app.db'}")) as s:
        return [e.detail for e in audit.events(s, event=event)]


@contextmanager
def _run(tmp: Path, sign_in: Mapping[str, object] | None = None) -> Iterator[tuple[Browser, str]]:
    with _provider() as issuer, _app(tmp, issuer, sign_in) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser, base
        finally:
            browser.close()


def test_an_email_verified_claim_sent_as_the_string_false_does_not_take_the_admin_invitation(
    chromium: Path, tmp_path: Path,  # noqa: F811
) -> None:
    with _run(tmp_path) as (browser, base):
        page = _sign_in(browser, base, "string-false")
        expect(page.get_by_text("has not been invited")).to_be_visible()
        expect(page.locator("[data-testid='stSidebarNavLink']").filter(has_text="Admin")).to_have_count(0)
        assert _bound(tmp_path)["admin@itu.example"] is False
        assert [d["email"] for d in _events(tmp_path, "sign_in_refused")] == ["admin@itu.example"]


def test_an_entra_style_provider_without_the_claim_signs_in_under_a_tenant_rule(
    chromium: Path, tmp_path: Path,  # noqa: F811
) -> None:
    with _provider() as issuer:
        rule = {"trust_email_verified_claim": False, "tenant_domains": ["ca.go.ke"], "tenant_issuer": issuer}
        with _app(tmp_path, issuer, rule) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = _sign_in(browser, base, "entra")
            expect(page.get_by_text("Signed in as fp@ca.go.ke")).to_be_visible()
            assert _bound(tmp_path)["fp@ca.go.ke"] is True
            # The same rule does not trust the claim: admin@itu.example (another domain) binds nothing.
            other = _sign_in(browser, base, "string-false")
            expect(other.get_by_text("has not been invited")).to_be_visible()
            browser.close()


def test_without_a_tenant_rule_an_entra_style_user_is_refused_not_let_in(
    chromium: Path, tmp_path: Path,  # noqa: F811
) -> None:
    with _run(tmp_path) as (browser, base):
        page = _sign_in(browser, base, "entra")
        expect(page.get_by_text("has not been invited")).to_be_visible()
        assert _bound(tmp_path)["fp@ca.go.ke"] is False


def test_a_kelvin_sign_look_alike_does_not_take_the_invitation_and_is_told_why(
    chromium: Path, tmp_path: Path,  # noqa: F811
) -> None:
    with _run(tmp_path) as (browser, base):
        page = _sign_in(browser, base, "kelvin")
        expect(page.get_by_text("only look like ordinary letters")).to_be_visible()
        expect(page.get_by_text("Signed in as")).to_have_count(0)
        assert _bound(tmp_path)["kfp@ca.go.ke"] is False


def test_french_is_kept_through_the_sign_in(chromium: Path, tmp_path: Path) -> None:  # noqa: F811
    with _run(tmp_path) as (browser, base):
        page = _sign_in(browser, base, "fp", path="?lang=fr", button="Se connecter")
        expect(page.get_by_text("Connecté en tant que fp@ca.go.ke")).to_be_visible()
        expect(page.get_by_text("Signed in as")).to_have_count(0)
        assert "lang=fr" in page.url
        assert page.evaluate("document.documentElement.lang") == "fr"


def test_the_not_invited_refusal_is_in_french_after_a_french_sign_in(
    chromium: Path, tmp_path: Path,  # noqa: F811
) -> None:
    with _run(tmp_path) as (browser, base):
        page = _sign_in(browser, base, "stranger", path="?lang=fr", button="Se connecter")
        expect(page.get_by_text("stranger@example.org n'a pas été invité")).to_be_visible()
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
        expect(page.get_by_text("has not been invited")).to_have_count(0)


def test_one_sign_in_is_one_audit_event_across_page_loads_tabs_and_navigation(
    chromium: Path, tmp_path: Path,  # noqa: F811
) -> None:
    with _run(tmp_path) as (browser, base):
        page = _sign_in(browser, base, "fp")
        expect(page.get_by_text("Signed in as fp@ca.go.ke")).to_be_visible()
        for path in ("results", "compare", "review", ""):
            page.goto(f"{base}/{path}")  # each a new browser session of the same login
            _settle(page)
        page.reload()
        _settle(page)
        page.locator("[data-testid='stSidebarNavLink']").first.click()
        _settle(page)
        tab = page.context.new_page()
        tab.goto(base)
        _settle(tab)
        expect(tab.get_by_text("Signed in as fp@ca.go.ke")).to_be_visible()
        assert len(_events(tmp_path, "sign_in")) == 1
        # A new login (signed out, then in again) is a new event.
        tab.get_by_role("button", name="Sign out").click()
        expect(tab.get_by_text("Signed in as fp@ca.go.ke")).to_have_count(0)
        again = _sign_in(browser, base, "fp")
        expect(again.get_by_text("Signed in as fp@ca.go.ke")).to_be_visible()
        assert len(_events(tmp_path, "sign_in")) == 2
