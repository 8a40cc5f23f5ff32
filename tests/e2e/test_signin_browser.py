"""Multi-user mode in a real browser, signed in through a real OpenID Connect provider running locally.

``oidc-provider-mock`` (Flask + Authlib) serves on 127.0.0.1; the app runs with ``IOTREADY_MULTI_USER=1``
and an ``[auth]`` secrets file pointing at it. Kenya's focal point, a contributor limited to one pillar,
France's focal point and a BDT adviser each sign in through the provider's page and walk the workflow:
each sees and may do what the matrix says; the contributor cannot edit the other pillar; France cannot
open Kenya's assessment by its URL; the adviser returns it with a query, the focal point uploads the
corrected workbook (through the plan) and hands it in again, and the adviser validates and publishes it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import Session

from tests.e2e.oidc import multi_user_app, provider
from tests.e2e.test_browser import (  # noqa: F401
    CHROMIUM_ARGS,
    _rerun_after,
    _settle,
    _shot,
    _uploaded,
    chromium,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
PEOPLE = {
    "fp-ken": "fp@ken.example",
    "contrib-ken": "spectrum@ken.example",
    "fp-fra": "fp@fra.example",
    "adviser": "adviser@itu.example",
}


def _provider() -> AbstractContextManager[str]:
    return provider(PEOPLE)


@contextmanager
def _app(tmp: Path, issuer: str) -> Iterator[tuple[str, str]]:
    """The app in multi-user mode; yields its address and the Kenyan assessment's id."""
    from answers.document import Answer
    from assessment import db, service, users
    from questionnaires import load_questionnaire

    url = f"sqlite:///{tmp / 'app.db'}"
    q = load_questionnaire(MINI)
    with Session(db.connect(url)) as s:
        ken = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=q).id
        service.save_answer(s, assessment_id=ken, questionnaire=q, question_id="pol_framework",
                            answer=Answer(value="planned"), expected_version=None)
        users.invite(s, email=PEOPLE["fp-ken"], role="focal_point", country="KEN")
        users.invite(s, email=PEOPLE["contrib-ken"], role="contributor", country="KEN", pillars=["ipv6"])
        users.invite(s, email=PEOPLE["fp-fra"], role="focal_point", country="FRA")
        users.invite(s, email=PEOPLE["adviser"], role="adviser")
    with multi_user_app(tmp, issuer) as base:
        yield base, ken


def _sign_in(browser: Browser, base: str, sub: str) -> Page:
    """A fresh browser profile signs in as ``sub`` through the provider's page."""
    page = browser.new_context(viewport={"width": 1280, "height": 1400}).new_page()
    page.set_default_timeout(20_000)
    page.goto(base)
    _settle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{base}/**")
    _settle(page)
    expect(page.get_by_text(f"Signed in as {PEOPLE[sub]}")).to_be_visible()
    return page


def _go(page: Page, base: str, path: str) -> None:
    page.goto(f"{base}/{path}")
    _settle(page)


def _click(page: Page, name: str) -> None:
    _rerun_after(page, page.get_by_role("button", name=name, exact=True).locator("visible=true").first.click)


def _eventually(condition: Callable[[], bool], seconds: float = 15) -> None:
    """Wait for what a click saved to be in the database (the click's run may end after the page settles)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not saved within the time allowed"
        time.sleep(0.2)


def _status(tmp: Path, ken: str) -> str:
    from assessment import db, service

    with Session(db.connect(f"sqlite:///{tmp / 'app.db'}")) as s:
        return service.get_assessment(s, ken).status


def _queries(tmp: Path, ken: str) -> list[str]:
    from assessment import db, review

    with Session(db.connect(f"sqlite:///{tmp / 'app.db'}")) as s:
        return [c.body for th in review.threads(s, assessment_id=ken) for c in th.comments]


def _answer(tmp: Path, ken: str, question_id: str) -> object:
    from assessment import db, service

    with Session(db.connect(f"sqlite:///{tmp / 'app.db'}")) as s:
        saved = service.get_assessment(s, ken).answers.get(question_id)
        return saved.value if saved else None


def _corrected_workbook() -> bytes:
    from exchange import build_workbook
    from questionnaires import load_questionnaire
    from tests.exchange.helpers import edit, set_cell

    q = load_questionnaire(MINI)
    data = build_workbook(q, "en", country="KEN", cycle=2026)
    data = edit(data, set_cell(q, "v6_users", "answer", 35))
    return edit(data, set_cell(q, "v6_users", "evidence", "Household survey 2025"))


def test_four_people_walk_the_validation_workflow(chromium: Path, tmp_path: Path) -> None:  # noqa: F811
    with _provider() as issuer, _app(tmp_path, issuer) as (base, ken), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)

        # The contributor: the IPv6 pillar is editable, the policy pillar is not; no Admin page.
        contrib = _sign_in(browser, base, "contrib-ken")
        _go(contrib, base, f"assess?assessment={ken}&pillar=ipv6")
        main = contrib.locator("[data-testid='stMain']")
        expect(main.locator("input:not([disabled])").first).to_be_attached()
        _go(contrib, base, f"assess?assessment={ken}&pillar=policy_regulation")
        expect(main.locator("[data-testid='stRadio'] input").first).to_be_disabled()
        expect(contrib.locator("[data-testid='stSidebarNavLink']").filter(has_text="Admin")).to_have_count(0)
        _shot(contrib, "signin-contributor")

        # France's focal point: Kenya is not listed, and its URL opens nothing.
        fra = _sign_in(browser, base, "fp-fra")
        expect(fra.get_by_text("Kenya")).to_have_count(0)
        _go(fra, base, f"assess?assessment={ken}")
        expect(fra.get_by_text("No assessment is open")).to_be_visible()
        expect(fra.get_by_role("heading", name="Kenya")).to_have_count(0)

        # Kenya's focal point submits (from the Review page's workflow buttons).
        fp = _sign_in(browser, base, "fp-ken")
        _go(fp, base, "review")
        _click(fp, "Submit")
        _eventually(lambda: _status(tmp_path, ken) == "submitted")  # the click's run may end after the page settles

        # The adviser takes it into review, asks about one answer and returns it.
        adviser = _sign_in(browser, base, "adviser")
        _go(adviser, base, "review")
        _click(adviser, "Take into review")
        _eventually(lambda: _status(tmp_path, ken) == "under_review")
        _settle(adviser)
        # Open the question; a redraw still under way when it is clicked folds it again, so open it until it stays.
        box = adviser.get_by_label("New query on this question").locator("visible=true").first
        for _ in range(3):
            if box.count():
                break
            adviser.get_by_text("IPv6 users?").first.click()
            with suppress(PlaywrightTimeout):
                box.wait_for(timeout=5_000)
        box.fill("Which survey is this from?")
        box.press("Control+Enter")  # a text area sends its value on blur or Ctrl+Enter
        _settle(adviser)
        _click(adviser, "Add the query for Kenya")
        _eventually(lambda: _queries(tmp_path, ken) == ["Which survey is this from?"])
        # The question stays open with the query under it, and the box is emptied in the browser too (a text left
        # there would be sent again by a second click). The page may still be redrawing after the save: both
        # expectations wait for it.
        _settle(adviser)
        expect(adviser.get_by_role("listitem").filter(has_text="Which survey is this from?").first).to_be_visible()
        expect(box).to_have_value("")
        _click(adviser, "Add the query for Kenya")
        _eventually(lambda: _queries(tmp_path, ken) == ["Which survey is this from?"])
        adviser.get_by_label("Note for the record (why)").fill("one query to answer")
        adviser.get_by_label("Note for the record (why)").press("Enter")
        _settle(adviser)
        _click(adviser, "Return with the queries")
        _eventually(lambda: _status(tmp_path, ken) == "returned")  # the click's run may end after the page settles
        _shot(adviser, "signin-adviser-review")

        # The focal point sees the open query on Assess and hands the assessment in again.
        _go(fp, base, f"assess?assessment={ken}")
        expect(fp.get_by_text("Open queries from the adviser")).to_be_visible()
        expect(fp.get_by_text("Which survey is this from?")).to_be_visible()
        # ... answers it offline: the corrected workbook goes through the plan into the returned assessment.
        fixed = tmp_path / "ken-fixed.xlsx"
        fixed.write_bytes(_corrected_workbook())
        _go(fp, base, "exchange")
        fp.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(fixed))
        _uploaded(fp, fixed.name, "en")
        _click(fp, "Check and import")
        _click(fp, "Save these changes")
        _eventually(lambda: _answer(tmp_path, ken, "v6_users") == 35.0)
        assert _status(tmp_path, ken) == "returned"
        _go(fp, base, "review")
        _click(fp, "Submit")
        _eventually(lambda: _status(tmp_path, ken) == "resubmitted")  # the click's run may end after the page settles

        # The adviser validates and publishes; France still sees nothing of Kenya.
        _go(adviser, base, "review")
        _click(adviser, "Take into review")
        # The query was answered but never resolved: validating takes the adviser's explicit acknowledgement.
        expect(adviser.get_by_text("1 review query is still open.")).to_be_visible()
        expect(adviser.get_by_role("button", name="Validate", exact=True)).to_be_disabled()
        adviser.get_by_text("I validate with this query open").click()
        _settle(adviser)
        _click(adviser, "Validate")
        _click(adviser, "Publish")
        _eventually(lambda: _status(tmp_path, ken) == "published")  # the click's run may end after the page settles
        _go(fra, base, "home")
        expect(fra.get_by_text("Kenya")).to_have_count(0)
        browser.close()


def _publish_others(tmp: Path, ken: str) -> None:
    """Five African countries published for 2026 beside Kenya's assessment, published too: Africa n=6.

    A group median is shown to a country's user only over at least 5 published countries besides its own.
    """
    from sqlalchemy import text

    from assessment import db, service
    from questionnaires import load_questionnaire
    from tests.compare.conftest import make_doc

    q = load_questionnaire(MINI)
    with Session(db.connect(f"sqlite:///{tmp / 'app.db'}")) as s:
        for i, iso3 in enumerate(("RWA", "ETH", "NGA", "GHA", "UGA")):
            service.import_document(s, doc=make_doc(q, iso3, 2026, level=(i + 1) / 6), questionnaire=q)
        s.execute(text("UPDATE assessment SET status = 'published'"))
        s.commit()
    assert _status(tmp, ken) == "published"


def test_country_users_see_published_medians_on_compare_in_french(chromium: Path, tmp_path: Path) -> None:  # noqa: F811
    """France (no assessment) sees the published medians and is offered a start; Kenya sees its own row only."""
    with _provider() as issuer, _app(tmp_path, issuer) as (base, ken), sync_playwright() as p:
        _publish_others(tmp_path, ken)
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)

        fra = _sign_in(browser, base, "fp-fra")
        _go(fra, base, "compare?lang=fr")
        main = fra.locator("[data-testid='stMain']")
        expect(main.get_by_text("Votre pays n'a pas encore d'évaluation à comparer", exact=False)).to_be_visible()
        expect(main.get_by_role("heading", name="Médianes publiées des groupes")).to_be_visible()
        expect(main.get_by_role("link", name="Commencer une évaluation")).to_be_visible()
        expect(main.locator(".js-plotly-plot").get_by_text("Afrique (n=6)")).to_be_visible()
        for other in ("Kenya", "Rwanda", "Éthiopie", "Nigéria", "Ghana", "Ouganda"):
            expect(main.get_by_text(other)).to_have_count(0)
        _shot(fra, "signin-compare-fr-no-own")

        fp = _sign_in(browser, base, "fp-ken")
        _go(fp, base, "compare?lang=fr")
        main = fp.locator("[data-testid='stMain']")
        expect(main.get_by_role("heading", name="Médianes publiées des groupes")).to_be_visible()
        expect(main.locator(".js-plotly-plot").get_by_text("Afrique (n=6)")).to_be_visible()
        expect(main.locator(".js-plotly-plot").get_by_text("Kenya").first).to_be_visible()  # its own row
        for other in ("Rwanda", "Éthiopie", "Nigéria", "Ghana", "Ouganda"):
            expect(main.get_by_text(other)).to_have_count(0)  # never another country's row
        _shot(fp, "signin-compare-fr-own")
        browser.close()


def test_two_sign_ins_read_the_providers_metadata_once(chromium: Path, tmp_path: Path) -> None:  # noqa: F811
    """Sign-in works with the provider's metadata kept between requests (ui/signin_cache.py), and two people
    signing in read the discovery document and the keys once (Streamlit alone: four times and twice)."""
    hits: Counter[str] = Counter()
    with provider(PEOPLE, hits) as issuer, _app(tmp_path, issuer) as (base, _ken), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        _sign_in(browser, base, "fp-ken")
        _sign_in(browser, base, "fp-fra")
        browser.close()
    assert hits["/oauth2/token"] == 2  # both signed in through the provider
    assert (hits["/.well-known/openid-configuration"], hits["/jwks"]) == (1, 1)
