"""Issue 20.1 in a real browser: the PDF profile downloads for every workflow status, for every role.

Streamlit builds a ``download_button(data=callable)``'s file in a worker thread outside the script run; the
signed-in user was lost there, so no profile of a handed-in assessment could be downloaded (the server log
had ``MediaFileStorageError … you do not have access`` from ``review.threads``). Kenya's focal point, a BDT
adviser and an administrator sign in through ``oidc-provider-mock`` (multi-user mode) and download the
profile from Results at each status the assessment passes through; each download is a real PDF, and each
is recorded in the audit trail as that person's export.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import text
from sqlmodel import Session

from tests.e2e.oidc import multi_user_app, provider
from tests.e2e.test_browser import CHROMIUM_ARGS, _settle, chromium  # noqa: F401

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
PEOPLE = {"fp-ken": "fp@ken.example", "adviser": "adviser@itu.example", "admin": "admin@itu.example"}
STATUSES = ("draft", "submitted", "under_review", "returned", "validated", "published")


def _provider() -> AbstractContextManager[str]:
    return provider(PEOPLE)


def _db(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'app.db'}"


@contextmanager
def _app(tmp: Path, issuer: str) -> Iterator[tuple[str, str]]:
    """The app in multi-user mode with Kenya's answered assessment and an adviser's open query on it."""
    from answers.document import Answer
    from assessment import db, review, service, users
    from questionnaires import load_questionnaire

    q = load_questionnaire(MINI)
    with Session(db.connect(_db(tmp))) as s:
        ken = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=q).id
        service.save_answer(s, assessment_id=ken, questionnaire=q, question_id="pol_framework",
                            answer=Answer(value="planned"), expected_version=None)
        service.save_answer(s, assessment_id=ken, questionnaire=q, question_id="v6_users",
                            answer=Answer(value=20.0), expected_version=None)
        users.invite(s, email=PEOPLE["fp-ken"], role="focal_point", country="KEN")
        users.invite(s, email=PEOPLE["adviser"], role="adviser")
        users.invite(s, email=PEOPLE["admin"], role="admin")
        s.execute(text("UPDATE assessment SET status = 'submitted' WHERE id = :i"), {"i": ken})
        s.commit()
        review.add_comment(s, assessment_id=ken, question_id="v6_users", body="Which survey is this from?")
    with multi_user_app(tmp, issuer) as base:
        yield base, ken


def _set_status(tmp: Path, ken: str, status: str) -> None:
    from assessment import db

    with Session(db.connect(_db(tmp))) as s:
        s.execute(text("UPDATE assessment SET status = :st WHERE id = :i"), {"st": status, "i": ken})
        s.commit()


def _exports(tmp: Path) -> list[tuple[str, str | None]]:
    from assessment import audit, db

    with Session(db.connect(_db(tmp))) as s:
        return [(e.by, e.assessment_id) for e in audit.events(s, event="export")]


def _sign_in(browser: Browser, base: str, sub: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 1400}, accept_downloads=True).new_page()
    page.set_default_timeout(30_000)
    page.goto(base)
    _settle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{base}/**")
    _settle(page)
    expect(page.get_by_text(f"Signed in as {PEOPLE[sub]}")).to_be_visible()
    return page


def _download_pdf(page: Page, base: str, ken: str) -> bytes:
    page.goto(f"{base}/results?assessment={ken}")
    _settle(page)
    button = page.get_by_role("button", name="Download the PDF profile")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    expect(page.get_by_test_id("stDownloadButtonError")).to_have_count(0)
    return Path(info.value.path()).read_bytes()


def test_every_role_downloads_the_pdf_profile_at_every_status(chromium: Path, tmp_path: Path) -> None:  # noqa: F811
    with _provider() as issuer, _app(tmp_path, issuer) as (base, ken), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        people = {sub: _sign_in(browser, base, sub) for sub in PEOPLE}
        expected: list[tuple[str, str | None]] = []
        for status in STATUSES:
            _set_status(tmp_path, ken, status)
            # An adviser sees handed-in assessments only: a draft is not theirs to read.
            readers = PEOPLE if status != "draft" else {"fp-ken": PEOPLE["fp-ken"], "admin": PEOPLE["admin"]}
            for sub, email in readers.items():
                pdf = _download_pdf(people[sub], base, ken)
                assert pdf.startswith(b"%PDF"), (status, sub)
                expected.append((email, ken))
        browser.close()
    assert sorted(_exports(tmp_path)) == sorted(expected)  # each download audited as the person who made it
