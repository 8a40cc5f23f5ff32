"""Issue 20: each role's journey walked in French in a real browser, in multi-user mode, signed in through a real
OpenID Connect provider (``oidc-provider-mock``) and Debian's chromium.

Kenya's focal point starts Kenya's assessment (the only country offered, already chosen), answers and submits;
the adviser opens ``/review?assessment=<Kenya>`` (Ethiopia, handed in too, comes first in the picker), asks a
query, returns, validates and publishes, the note box empty between moves; a viewer reads why the pages are
read-only and is offered no start and no target. Every page is checked for the crash box, English catalog text,
a lost ``lang=fr`` and the wrong country. Each role's main page is kept in ``docs/screenshots/roles/``.

Two more people sign in from ``/?lang=fr`` (the sign-in itself in French): Kenya's contributor limited to the
IPv6 pillar answers there and finds the policy pillar read-only with the reason; Rwanda's focal point never sees
Kenya (Home, Compare, ``/review?assessment=<Kenya>``) and is refused a Kenyan workbook in words.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlmodel import Session

from tests.e2e.oidc import multi_user_app, provider
from tests.e2e.test_browser import CHROMIUM_ARGS, _settle, _uploaded, chromium  # noqa: F401

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
ROLE_SHOTS = ROOT / "docs" / "screenshots" / "roles"
PEOPLE = {
    "fp-ken": "fp@ken.example",
    "adviser": "adviser@itu.example",
    "viewer-ken": "viewer@ken.example",
    "admin": "admin@itu.example",
    "contrib-ken": "contrib@ken.example",
    "fp-rwa": "fp@rwa.example",
}


@cache
def _english_only() -> list[str]:
    """Catalog sentences that exist only in English (the French differs): one on a French page is a miss."""
    en = yaml.safe_load((ROOT / "questionnaires" / "i18n" / "en.yaml").read_text(encoding="utf-8"))
    fr = yaml.safe_load((ROOT / "questionnaires" / "i18n" / "fr.yaml").read_text(encoding="utf-8"))
    out = []
    for key, text in en.items():
        if not isinstance(text, str) or text == fr.get(key) or key.startswith(("cli.", "problem.", "pdf.")):
            continue
        for piece in re.split(r"\{[^}]*\}|\*\*|\n", text):  # the fixed parts between placeholders and markup
            piece = piece.strip(" .:;,()")
            if len(piece) >= 18 and piece not in fr.get(key, ""):
                out.append(piece)
    return out


def _provider() -> AbstractContextManager[str]:
    return provider(PEOPLE)


def _db(tmp: Path) -> Session:
    from assessment import db

    return Session(db.connect(f"sqlite:///{tmp / 'app.db'}"))


@contextmanager
def _app(tmp: Path, issuer: str) -> Iterator[tuple[str, str]]:
    """The app in multi-user mode, Ethiopia's assessment handed in; yields the address and Ethiopia's id."""
    from assessment import service, users
    from questionnaires import load_questionnaire

    q = load_questionnaire(MINI)
    with _db(tmp) as s:
        eth = service.get_or_create_assessment(s, country="ETH", cycle=2026, questionnaire=q).id
        service.submit_assessment(s, assessment_id=eth)
        users.invite(s, email=PEOPLE["fp-ken"], role="focal_point", country="KEN")
        users.invite(s, email=PEOPLE["viewer-ken"], role="viewer", country="KEN")
        users.invite(s, email=PEOPLE["adviser"], role="adviser")
        users.invite(s, email=PEOPLE["admin"], role="admin")
        users.invite(s, email=PEOPLE["contrib-ken"], role="contributor", country="KEN", pillars=["ipv6"])
        users.invite(s, email=PEOPLE["fp-rwa"], role="focal_point", country="RWA")
    with multi_user_app(tmp, issuer) as base:
        yield base, eth


def _sign_in(browser: Browser, base: str, sub: str) -> Page:
    """A fresh browser profile signs in as ``sub`` through the provider's page."""
    page = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="fr-FR").new_page()
    page.set_default_timeout(20_000)
    page.goto(base)
    _settle(page)
    page.locator("[data-testid='stButton'] button").first.click()  # "Sign in" (the language through sign-in is
    page.wait_for_url("**/oauth2/authorize**")                      # another fix's business)
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{base}/**")
    _settle(page)
    return page


def _sign_in_fr(browser: Browser, base: str, sub: str) -> Page:
    """A fresh browser profile opens ``/?lang=fr`` and signs in in French ("Se connecter"); French is kept."""
    page = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="fr-FR").new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/?lang=fr")
    _settle(page)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{base}/**")
    _settle(page)
    expect(page.get_by_text(f"Connecté en tant que {PEOPLE[sub]}")).to_be_visible()
    return page


def _check(page: Page, *, country: str | None = None) -> str:
    """The page as a French reader must find it: no crash box, no English catalog text, ``lang=fr`` kept, and
    (when given) the country named in the title. Returns the page's text."""
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    body = page.locator("[data-testid='stApp']").inner_text()
    assert "Un problème est survenu" not in body and "Something went wrong" not in body, body[:2000]
    english = [s for s in _english_only() if s in body]
    assert not english, english
    assert "lang=fr" in page.url, page.url
    if country is not None:
        expect(page.locator("h1").first).to_contain_text(country)
    return body


def _go(page: Page, base: str, path: str, *, country: str | None = None) -> str:
    page.goto(f"{base}/{path}{'&' if '?' in path else '?'}lang=fr")
    _settle(page)
    return _check(page, country=country)


def _click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).locator("visible=true").first.click()
    page.wait_for_timeout(300)
    _settle(page)


def _note(page: Page, text: str) -> None:
    box = page.get_by_label("Note pour le registre (pourquoi)")
    box.fill(text)
    box.press("Enter")
    page.wait_for_timeout(500)
    _settle(page)


def _until(ok: Callable[[], bool], seconds: float = 15) -> None:
    """Wait for the database to show what a click did (the rerun may still be running on a busy machine)."""
    deadline = time.monotonic() + seconds
    while not ok():
        assert time.monotonic() < deadline, "the click changed nothing in the database"
        time.sleep(0.2)


def _shot(page: Page, name: str) -> None:
    page.wait_for_timeout(700)  # a rerun just ended: let the browser drop the previous run's elements
    _settle(page)
    ROLE_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ROLE_SHOTS / f"{name}.png"), full_page=True)


def _kenya(tmp: Path) -> str:
    from assessment import service
    from assessment.filters import AssessmentFilter

    with _db(tmp) as s:
        (row,) = [r for r in service.list_assessments(s, AssessmentFilter()) if r.country == "KEN"]
        return row.id


def _status(tmp: Path, assessment_id: str) -> str:
    from assessment import service

    with _db(tmp) as s:
        return service.get_assessment(s, assessment_id).status


def _queries(tmp: Path, assessment_id: str) -> list[str]:
    from assessment import review

    with _db(tmp) as s:
        return [c.body for th in review.threads(s, assessment_id=assessment_id) for c in th.comments]


def _notes(tmp: Path) -> dict[str, str]:
    """The note recorded with each move of Kenya's assessment, by action (the last of each)."""
    from assessment import audit

    with _db(tmp) as s:
        return {e.detail["action"]: e.detail.get("note", "") for e in audit.events(s, event="status")
                if e.country == "KEN"}


def test_each_role_walks_its_part_of_the_workflow_in_french(chromium: Path, tmp_path: Path) -> None:  # noqa: F811
    with _provider() as issuer, _app(tmp_path, issuer) as (base, eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)

        # Kenya's focal point: Kenya is the only country offered, already chosen; start, answer, submit.
        fp = _sign_in(browser, base, "fp-ken")
        _go(fp, base, "")
        expect(fp.get_by_role("combobox", name="État Membre")).to_have_value("Kenya")
        _click(fp, "Commencer ou reprendre")
        _check(fp, country="Kenya")
        ken = _kenya(tmp_path)
        radio = fp.locator("[data-testid='stMain'] [data-testid='stRadio']").first
        radio.locator("[role='radiogroup'] label").nth(2).click()
        _settle(fp)
        expect(fp.get_by_text(re.compile("Enregistré à")).first).to_be_visible()
        _check(fp, country="Kenya")
        _shot(fp, "focal-point-assess")
        fp.get_by_text("Soumettre l'évaluation").click()
        _click(fp, "Soumettre")
        _click(fp, "Soumettre maintenant")
        _until(lambda: _status(tmp_path, ken) == "submitted")
        _check(fp, country="Kenya")

        # The adviser opens Kenya by its address (Ethiopia comes first in the picker), asks, returns.
        adviser = _sign_in(browser, base, "adviser")
        _go(adviser, base, f"review?assessment={ken}", country="Kenya")
        expect(adviser.locator("h1").first).not_to_contain_text("Éthiopie")
        _click(adviser, "Prendre en examen")
        _check(adviser, country="Kenya")
        adviser.locator("[data-testid='stExpander'] summary").filter(has_text="2.1").first.click()
        box = adviser.get_by_label("Nouvelle question sur ce point").locator("visible=true").first
        box.fill("De quelle enquête vient ce chiffre ?")
        box.press("Control+Enter")  # a text area sends its value on blur or Ctrl+Enter
        adviser.wait_for_timeout(500)
        _settle(adviser)
        _click(adviser, "Ajouter la question pour Kenya")
        _until(lambda: _queries(tmp_path, ken) == ["De quelle enquête vient ce chiffre ?"])
        assert _queries(tmp_path, eth) == []
        _note(adviser, "une question à traiter")
        _click(adviser, "Renvoyer avec les questions")
        _until(lambda: _status(tmp_path, ken) == "returned")
        expect(adviser.get_by_label("Note pour le registre (pourquoi)")).to_have_count(0)  # no move left for now
        _check(adviser, country="Kenya")

        # The focal point hands it in again from the Review page.
        _go(fp, base, f"review?assessment={ken}", country="Kenya")
        _click(fp, "Soumettre")
        _until(lambda: _status(tmp_path, ken) == "resubmitted")

        # The adviser validates with the query open, then publishes: each move starts with an empty note.
        _go(adviser, base, f"review?assessment={ken}", country="Kenya")
        _click(adviser, "Prendre en examen")
        expect(adviser.get_by_label("Note pour le registre (pourquoi)")).to_have_value("")
        adviser.get_by_text("Je valide avec cette question ouverte").click()
        _settle(adviser)
        _note(adviser, "chiffres vérifiés auprès du régulateur")
        _click(adviser, "Valider")
        _until(lambda: _status(tmp_path, ken) == "validated")
        expect(adviser.get_by_label("Note pour le registre (pourquoi)")).to_have_value("")
        _check(adviser, country="Kenya")
        _shot(adviser, "adviser-review")
        # Scrolled down to the last question on a small screen, the country is still named at the top.
        adviser.set_viewport_size({"width": 800, "height": 420})
        adviser.locator("[data-testid='stExpander']").last.scroll_into_view_if_needed()
        adviser.wait_for_timeout(300)
        expect(adviser.locator("h1").first).not_to_be_in_viewport()
        expect(adviser.locator(".st-key-review-current")).to_be_in_viewport()
        expect(adviser.locator(".st-key-review-current")).to_contain_text("Kenya 2026")
        adviser.set_viewport_size({"width": 1280, "height": 1400})
        _click(adviser, "Publier")
        _until(lambda: _status(tmp_path, ken) == "published")
        notes = _notes(tmp_path)
        assert notes["validate"] == "chiffres vérifiés auprès du régulateur" and notes["publish"] == "", notes

        # A viewer: no start, a read-only reason on Assess, targets shown disabled with the reason.
        viewer = _sign_in(browser, base, "viewer-ken")
        body = _go(viewer, base, "")
        expect(viewer.get_by_role("button", name="Commencer ou reprendre")).to_have_count(0)
        assert "Votre rôle ne permet pas de commencer une évaluation" in body
        _shot(viewer, "viewer-home")
        body = _go(viewer, base, f"assess?assessment={ken}", country="Kenya")
        assert "Cette évaluation est publiée" in body and "Chaque modification est enregistrée" not in body
        _shot(viewer, "viewer-assess")
        _go(viewer, base, f"results?assessment={ken}", country="Kenya")
        viewer.get_by_text("Objectifs", exact=True).click()
        expect(viewer.get_by_text("Les objectifs sont en lecture seule pour vous").first).to_be_visible()
        expect(viewer.locator("[data-testid='stExpander'] [data-testid='stSelectbox'] input").first).to_be_disabled()

        # The administrator's page, for the gallery.
        admin = _sign_in(browser, base, "admin")
        _go(admin, base, "admin")
        _shot(admin, "admin")
        _go(fp, base, "")
        _shot(fp, "focal-point-home")
        browser.close()


def _draft(tmp: Path, country: str) -> str:
    """A draft for ``country`` (cycle 2026), made as the administrator would; returns its id."""
    from assessment import service
    from questionnaires import load_questionnaire

    with _db(tmp) as s:
        return service.get_or_create_assessment(s, country=country, cycle=2026,
                                                questionnaire=load_questionnaire(MINI)).id


def _answer(tmp: Path, assessment_id: str, question_id: str) -> object:
    from assessment import service

    with _db(tmp) as s:
        saved = service.get_assessment(s, assessment_id).answers.get(question_id)
        return saved.value if saved else None


def test_a_one_pillar_contributor_answers_their_pillar_only_in_french(
    chromium: Path, tmp_path: Path,  # noqa: F811
) -> None:
    with _provider() as issuer, _app(tmp_path, issuer) as (base, _eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        ken = _draft(tmp_path, "KEN")
        contrib = _sign_in_fr(browser, base, "contrib-ken")
        body = _check(contrib)
        # Home: no start box (said why) and no delete.
        expect(contrib.get_by_role("button", name="Commencer ou reprendre")).to_have_count(0)
        expect(contrib.get_by_role("button", name="Supprimer")).to_have_count(0)
        assert "Votre rôle ne permet pas de commencer une évaluation" in body
        # Their pillar: a question answered and saved.
        _go(contrib, base, f"assess?assessment={ken}&pillar=ipv6", country="Kenya")
        radio = contrib.locator("[data-testid='stMain'] [data-testid='stRadio']").first
        radio.locator("[role='radiogroup'] label").nth(2).click()
        _settle(contrib)
        expect(contrib.get_by_text(re.compile("Enregistré à")).first).to_be_visible()
        _until(lambda: _answer(tmp_path, ken, "v6_awareness") is not None)
        _check(contrib, country="Kenya")
        _shot(contrib, "contributor-assess")
        # Another pillar: read-only, the reason in French.
        body = _go(contrib, base, f"assess?assessment={ken}&pillar=policy_regulation", country="Kenya")
        assert "Ce pilier est en lecture seule pour vous" in body, body[:2000]
        expect(contrib.locator("[data-testid='stMain'] [data-testid='stRadio'] input").first).to_be_disabled()
        expect(contrib.get_by_role("button", name="Supprimer")).to_have_count(0)
        # Targets: shown read-only with the reason.
        _go(contrib, base, f"results?assessment={ken}", country="Kenya")
        contrib.get_by_text("Objectifs", exact=True).click()
        expect(contrib.get_by_text("Les objectifs sont en lecture seule pour vous").first).to_be_visible()
        expect(contrib.locator("[data-testid='stExpander'] [data-testid='stSelectbox'] input").first).to_be_disabled()
        browser.close()


def test_rwanda_focal_point_sees_no_kenya_and_is_refused_a_kenyan_workbook_in_french(
    chromium: Path, tmp_path: Path,  # noqa: F811
) -> None:
    from exchange import build_workbook
    from questionnaires import load_questionnaire

    with _provider() as issuer, _app(tmp_path, issuer) as (base, _eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        ken = _draft(tmp_path, "KEN")
        rwa = _draft(tmp_path, "RWA")
        before = _answer(tmp_path, ken, "v6_users")
        fp = _sign_in_fr(browser, base, "fp-rwa")
        body = _check(fp)
        assert "Kenya" not in body, body[:2000]
        expect(fp.get_by_role("combobox", name="État Membre")).to_have_value("Rwanda")
        _shot(fp, "other-focal-point-home")
        # The assessment picker offers Rwanda's assessment only (the list is drawn, so read the picker's options).
        fp.get_by_role("combobox", name="Évaluation").click()
        options = fp.get_by_role("option").all_inner_texts()
        assert options and all("Rwanda" in o for o in options), options
        fp.keyboard.press("Escape")
        body = _go(fp, base, "compare")
        assert "Kenya" not in body, body[:2000]
        body = _go(fp, base, f"review?assessment={ken}")
        assert "Kenya" not in body, body[:2000]
        body = _go(fp, base, f"assess?assessment={rwa}", country="Rwanda")
        assert "Kenya" not in body, body[:2000]
        # A Kenyan workbook on Data exchange: refused in words, nothing written.
        kenyan = tmp_path / "ken.xlsx"
        kenyan.write_bytes(build_workbook(load_questionnaire(MINI), "fr", country="KEN", cycle=2026))
        _go(fp, base, "exchange")
        fp.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(kenyan))
        _uploaded(fp, kenyan.name, "fr")
        _click(fp, "Vérifier et importer")
        expect(fp.get_by_text("vous ne pouvez pas importer de données pour ce pays (Kenya)")).to_be_visible()
        _check(fp)
        assert _answer(tmp_path, ken, "v6_users") == before
        browser.close()
