"""A grant revoked while the reader's page is open: their next click is checked against the grants of now.

Assess draws a pillar's questions in a fragment (``st.fragment``): a click there reruns the fragment alone, not
the router, where the grants were read on every run. So a focal point whose grant an administrator had just
revoked went on saving answers as long as they stayed on the pillar. Proved at the level the reader reaches it:
Chromium, signed in through the mock OpenID Connect provider, the revocation written by the service as an
administrator's click would, and the database read back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from sqlmodel import Session

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


@contextmanager
def _changed_after_an_answer(
    chromium: Path, tmp_path: Path, lang: str, change: Callable[[Session], object],  # noqa: F811
) -> Iterator[tuple[Page, str, object]]:
    """Kenya's focal point, in ``lang``, chooses and saves a level on the IPv6 pillar of Kenya's draft; then
    ``change`` is made to their grants (as an administrator's click would) and they choose another level on the page
    still open (the same pillar: a fragment's rerun). Yields the page, the draft's id and the answer saved first."""
    w = WORDS[lang]
    with _provider() as issuer, _app(tmp_path, issuer) as (base, _eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        ken = _draft(tmp_path, "KEN")
        fp = _sign_in(browser, base, "fp-ken", lang)
        _go(fp, base, f"assess?assessment={ken}&pillar=ipv6", lang, country=w["kenya"])
        levels = fp.locator("[data-testid='stMain'] [data-testid='stRadio']").first.locator("[role='radiogroup'] label")
        levels.nth(2).click()
        _settle(fp)
        expect(fp.get_by_text(re.compile(w["saved_at"])).first).to_be_visible()
        _until(lambda: _answer(tmp_path, ken, "v6_awareness") is not None)
        saved = _answer(tmp_path, ken, "v6_awareness")
        with _db(tmp_path) as s:
            change(s)
        levels.nth(3).click()
        _settle(fp)
        yield fp, ken, saved
        browser.close()


def _revoke(s: Session) -> None:
    from assessment import users

    assert users.revoke(s, email="fp@ken.example") == 1


def _make_viewer(s: Session) -> None:
    from assessment import users

    users.revoke(s, email="fp@ken.example")
    users.grant(s, email="fp@ken.example", role="viewer", country="KEN")


@pytest.mark.parametrize("lang", LANGS)
def test_a_focal_point_whose_grant_is_revoked_saves_nothing_more(
    chromium: Path, tmp_path: Path, lang: str,  # noqa: F811
) -> None:
    with _changed_after_an_answer(chromium, tmp_path, lang, _revoke) as (fp, ken, saved):
        expect(fp.get_by_text(_said("ui.auth.no_roles", lang)).first).to_be_visible()
        _languages_styled(fp)
        expect(fp.locator("[data-testid='stException']")).to_have_count(0)
        _check(fp, lang)  # no crash box, no text of another language, lang= kept
        assert _answer(tmp_path, ken, "v6_awareness") == saved


@pytest.mark.parametrize("lang", LANGS)
def test_a_focal_point_made_a_viewer_is_refused_the_change_and_shown_why(
    chromium: Path, tmp_path: Path, lang: str,  # noqa: F811
) -> None:
    with _changed_after_an_answer(chromium, tmp_path, lang, _make_viewer) as (fp, ken, saved):
        expect(fp.get_by_text(_said("ui.err.not_saved", lang)).first).to_be_visible()
        expect(fp.locator("[data-testid='stMain'] [data-testid='stRadio'] input").first).to_be_disabled()
        _check(fp, lang)  # no crash box, no text of another language, lang= kept
        assert _answer(tmp_path, ken, "v6_awareness") == saved
