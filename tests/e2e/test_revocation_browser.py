"""A grant revoked while the reader's page is open: their next click is checked against the grants of now.

Assess draws a pillar's questions in a fragment (``st.fragment``): a click there reruns the fragment alone, not
the router, where the grants were read on every run. So a focal point whose grant an administrator had just
revoked went on saving answers as long as they stayed on the pillar. Proved at the level the reader reaches it:
Chromium, signed in through the mock OpenID Connect provider, the revocation written by the service as an
administrator's click would, and the database read back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from questionnaires.messages import catalog
from tests.e2e.test_browser import CHROMIUM_ARGS, chromium  # noqa: F401
from tests.e2e.test_roles_browser import (
    LANGS,
    WORDS,
    _answer,
    _app,
    _check,
    _db,
    _draft,
    _go,
    _languages_styled,
    _provider,
    _settle,
    _sign_in,
    _until,
)

pytestmark = pytest.mark.browser


def _said(key: str, lang: str) -> str:
    """The longest fixed part of a catalog sentence (between its placeholders), as the reader of ``lang`` reads it."""
    return max(re.split(r"\{[^}]*\}", catalog(lang)[key]), key=len).strip(" ().:")


def _answered(tmp_path: Path, base: str, browser: Browser, lang: str) -> tuple[Page, Locator, str, object]:
    """Kenya's focal point on the IPv6 pillar of Kenya's draft, in ``lang``, one level chosen and saved."""
    w = WORDS[lang]
    ken = _draft(tmp_path, "KEN")
    fp = _sign_in(browser, base, "fp-ken", lang)
    _go(fp, base, f"assess?assessment={ken}&pillar=ipv6", lang, country=w["kenya"])
    levels = fp.locator("[data-testid='stMain'] [data-testid='stRadio']").first.locator("[role='radiogroup'] label")
    levels.nth(2).click()
    _settle(fp)
    expect(fp.get_by_text(re.compile(w["saved_at"])).first).to_be_visible()
    _until(lambda: _answer(tmp_path, ken, "v6_awareness") is not None)
    return fp, levels, ken, _answer(tmp_path, ken, "v6_awareness")


@pytest.mark.parametrize("lang", LANGS)
def test_a_focal_point_whose_grant_is_revoked_saves_nothing_more(
    chromium: Path, tmp_path: Path, lang: str,  # noqa: F811
) -> None:
    from assessment import users

    with _provider() as issuer, _app(tmp_path, issuer) as (base, _eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        fp, levels, ken, saved = _answered(tmp_path, base, browser, lang)
        with _db(tmp_path) as s:  # the administrator revokes Kenya's focal point meanwhile
            assert users.revoke(s, email="fp@ken.example") == 1
        levels.nth(3).click()  # the page is still open: the same pillar, a fragment's rerun
        _settle(fp)
        expect(fp.get_by_text(_said("ui.auth.no_roles", lang)).first).to_be_visible()
        _languages_styled(fp)
        expect(fp.locator("[data-testid='stException']")).to_have_count(0)
        _check(fp, lang)  # no crash box, no text of another language, lang= kept
        assert _answer(tmp_path, ken, "v6_awareness") == saved
        browser.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_focal_point_made_a_viewer_is_refused_the_change_and_shown_why(
    chromium: Path, tmp_path: Path, lang: str,  # noqa: F811
) -> None:
    from assessment import users

    with _provider() as issuer, _app(tmp_path, issuer) as (base, _eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        fp, levels, ken, saved = _answered(tmp_path, base, browser, lang)
        with _db(tmp_path) as s:
            users.revoke(s, email="fp@ken.example")
            users.grant(s, email="fp@ken.example", role="viewer", country="KEN")
        levels.nth(3).click()
        _settle(fp)
        expect(fp.get_by_text(_said("ui.err.not_saved", lang)).first).to_be_visible()
        expect(fp.locator("[data-testid='stMain'] [data-testid='stRadio'] input").first).to_be_disabled()
        _check(fp, lang)  # no crash box, no text of another language, lang= kept
        assert _answer(tmp_path, ken, "v6_awareness") == saved
        browser.close()
