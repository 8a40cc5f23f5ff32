"""Wide pages stay wide when signed in: Review, Admin and Results lay tables side by side at 1280 px (issue 20's
walks showed them in the centred 736-px column in multi-user mode while local mode drew them wide)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from sqlmodel import Session

from tests.e2e.oidc import multi_user_app, provider
from tests.e2e.test_browser import CHROMIUM_ARGS, _settle, _shot, chromium  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

PEOPLE = {"admin": "admin@itu.example"}
WIDTH = "document.querySelector(\"[data-testid='stMainBlockContainer']\").getBoundingClientRect().width"


def test_wide_pages_are_wide_for_a_signed_in_administrator(chromium: Path, tmp_path: Path) -> None:  # noqa: F811
    from assessment import db, users

    with Session(db.connect(f"sqlite:///{tmp_path / 'app.db'}")) as s:
        users.invite(s, email=PEOPLE["admin"], role="admin")
    widths: dict[str, float] = {}
    with provider(PEOPLE) as issuer, multi_user_app(tmp_path, issuer) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(20_000)
            page.goto(base)
            _settle(page)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/oauth2/authorize**")
            page.get_by_role("button", name="admin", exact=True).click()
            page.wait_for_url(f"{base}/**")
            _settle(page)
            for path in ("home", "admin", "review", "methodology"):
                page.goto(f"{base}/{path}")
                _settle(page)
                widths[path] = page.evaluate(WIDTH)
            _shot(page, "layout-methodology-signed-in")
        finally:
            browser.close()
    assert widths["home"] < 800, widths  # Home is a centred page
    assert min(widths["admin"], widths["review"], widths["methodology"]) > 900, widths
