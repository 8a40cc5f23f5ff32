"""Issue 20: each role's journey walked in French and in English in a real browser, in multi-user mode, signed in
through a real OpenID Connect provider (``oidc-provider-mock``) and Debian's chromium. Every person opens
``/?lang=<lang>`` and signs in in that language (the language survives the sign-in by a cookie).

Kenya's focal point starts Kenya's assessment (the only country offered, already chosen), answers and submits;
the adviser opens ``/review?assessment=<Kenya>`` (Ethiopia, handed in too, comes first in the picker), asks a
query, returns, validates and publishes, the note box empty between moves; a viewer reads why the pages are
read-only and is offered no start and no target. Every page is checked for the crash box, catalog text of the
other language, a lost ``lang=`` and the wrong country. Each role's main page is kept in
``docs/screenshots/roles/`` (``-en`` for the English walk).

Kenya's contributor limited to the IPv6 pillar answers there and finds the policy pillar read-only with the
reason; Rwanda's focal point never sees Kenya (Home, Compare, ``/review?assessment=<Kenya>``), finds nothing cut
on Home at 1280 and 390 px, and is refused a Kenyan workbook in words.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import Session

from questionnaires.messages import catalog
from tests.e2e.oidc import multi_user_app, provider
from tests.e2e.test_browser import CHROMIUM_ARGS, _rerun_after, _uploaded, chromium  # noqa: F401

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


LANGS = ["fr", "en", "ar"]
# What each walk reads and clicks, in its language (the catalog's words, written out so a test reads as the walk).
WORDS = {
    "fr": {
        "member_state": "État Membre", "start": "Commencer ou reprendre", "saved_at": "Enregistré à",
        "submit_title": "Soumettre l'évaluation", "submit": "Soumettre", "submit_now": "Soumettre maintenant",
        "take": "Prendre en examen", "new_query": "Nouvelle question sur ce point",
        "add_query": "Ajouter la question pour Kenya", "note": "Note pour le registre (pourquoi)",
        "return": "Renvoyer avec les questions", "confirm_open": "Je valide avec cette question ouverte",
        "validate": "Valider", "publish": "Publier",
        "no_start": "Votre rôle ne permet pas de commencer une évaluation",
        "published": "Cette évaluation est publiée", "autosave": "Chaque modification est enregistrée",
        "targets": "Objectifs", "targets_ro": "Les objectifs sont en lecture seule pour vous",
        "signed_in": "Connecté en tant que", "sign_in": "Se connecter",
        "pillar_ro": "Ce pilier est en lecture seule pour vous", "delete": "Supprimer", "pick": "Évaluation",
        "refused_country": "vous ne pouvez pas importer de données pour ce pays (Kenya)",
        "import": "Vérifier et importer", "ethiopia": "Éthiopie", "kenya": "Kenya", "rwanda": "Rwanda",
        "query": "De quelle enquête vient ce chiffre ?", "note_return": "une question à traiter",
        "note_validate": "chiffres vérifiés auprès du régulateur",
    },
    "en": {
        "member_state": "Member State", "start": "Start or resume", "saved_at": "Saved at",
        "submit_title": "Submit the assessment", "submit": "Submit", "submit_now": "Submit now",
        "take": "Take into review", "new_query": "New query on this question",
        "add_query": "Add the query for Kenya", "note": "Note for the record (why)",
        "return": "Return with the queries", "confirm_open": "I validate with this query open",
        "validate": "Validate", "publish": "Publish",
        "no_start": "Your role does not start assessments",
        "published": "This assessment is published", "autosave": "Every change is saved at once",
        "targets": "Targets", "targets_ro": "Targets are read-only for you",
        "signed_in": "Signed in as", "sign_in": "Sign in",
        "pillar_ro": "This pillar is read-only for you", "delete": "Delete", "pick": "Assessment",
        "refused_country": "you may not import for Kenya",
        "import": "Check and import", "ethiopia": "Ethiopia", "kenya": "Kenya", "rwanda": "Rwanda",
        "query": "Which survey is this figure from?", "note_return": "one query to answer",
        "note_validate": "figures checked with the regulator",
    },
    "ar": {
        "member_state": "الدولة العضو", "start": "بدء أو استئناف", "saved_at": "حُفظ في",
        "submit_title": "تقديم التقييم", "submit": "تقديم", "submit_now": "التقديم الآن",
        "take": "الأخذ قيد المراجعة", "new_query": "استفسار جديد عن هذا السؤال",
        "add_query": "إضافة الاستفسار إلى كينيا", "note": "ملاحظة للسجل (السبب)",
        "return": "الإعادة مع الاستفسارات", "confirm_open": "أصادق مع بقاء هذا الاستفسار مفتوحاً",
        "validate": "المصادقة", "publish": "النشر",
        "no_start": "دورك لا يتيح بدء التقييمات",
        "published": "هذا التقييم منشور", "autosave": "يُحفظ كل تغيير فوراً",
        "targets": "الأهداف", "targets_ro": "الأهداف للقراءة فقط بالنسبة إليك",
        "signed_in": "مسجَّل الدخول باسم", "sign_in": "تسجيل الدخول",
        "pillar_ro": "هذه الركيزة للقراءة فقط بالنسبة إليك", "delete": "حذف", "pick": "التقييم",
        "refused_country": "لا يجوز لك الاستيراد لصالح كينيا",
        "import": "فحص واستيراد", "ethiopia": "إثيوبيا", "kenya": "كينيا", "rwanda": "رواندا",
        "query": "من أي مسح جاء هذا الرقم؟", "note_return": "استفسار واحد للرد عليه",
        "note_validate": "أرقام تحقق منها المستشار لدى الهيئة التنظيمية",
    },
}
SUFFIX = {"fr": "", "en": "-en", "ar": "-ar"}  # the screenshots' names: French as before, the others beside them
LOCALE = {"fr": "fr-FR", "en": "en-GB", "ar": "ar-EG"}  # the browser's own language, as the reader's would be


@cache
def _only_in(lang: str) -> list[str]:
    """Catalog sentences that exist only in ``lang`` (the other language's differs): one on a page of the other
    language is a miss (English on a French or Arabic page, French on an English one)."""
    other = "fr" if lang == "en" else "en"
    mine, theirs = catalog(lang), catalog(other)
    out = []
    for key, text in mine.items():
        if not isinstance(text, str) or text == theirs.get(key) or key.startswith(("cli.", "problem.", "pdf.")):
            continue
        for piece in re.split(r"\{[^}]*\}|\*\*|\n", text):  # the fixed parts between placeholders and markup
            piece = piece.strip(" .:;,()")
            if len(piece) >= 18 and piece not in theirs.get(key, ""):
                out.append(piece)
    return out


def _settle(page: Page) -> None:
    """Wait until the app is drawn and no script run is in progress (as ``test_browser._settle``, with the page's
    own timeout: on a machine shared by several test runs, 20 s fell short while the app was drawn)."""
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0")


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


def _languages_styled(page: Page) -> None:
    """The language links in a row, the page's style sheet applied: the sign-in and refusal pages stop before the
    page's scripts and drew them as a bare bulleted list (until 8 December 2026)."""
    links = page.locator("nav.iot-languages ul").first
    expect(links).to_have_css("display", "flex")
    expect(links).to_have_css("list-style-type", "none")


def _sign_in(browser: Browser, base: str, sub: str, lang: str) -> Page:
    """A fresh browser profile opens ``/?lang=<lang>`` and signs in in that language; the language is kept."""
    page = browser.new_context(viewport={"width": 1280, "height": 1400},
                               locale=LOCALE[lang]).new_page()
    page.set_default_timeout(60_000)  # Results draws its charts slowly on a shared, loaded machine (20 s fell short)
    page.goto(f"{base}/?lang={lang}")
    _settle(page)
    _languages_styled(page)
    page.get_by_role("button", name=WORDS[lang]["sign_in"]).click()
    page.wait_for_url("**/oauth2/authorize**")
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{base}/**")
    _settle(page)
    expect(page.get_by_text(f"{WORDS[lang]['signed_in']} {PEOPLE[sub]}")).to_be_visible()
    return page


def _check(page: Page, lang: str, *, country: str | None = None) -> str:
    """The page as a reader of ``lang`` must find it: no crash box, no catalog text of the other language,
    ``lang=`` kept, and (when given) the country named in the title. Returns the page's text."""
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    body = page.locator("[data-testid='stApp']").inner_text()
    assert "Un problème est survenu" not in body and "Something went wrong" not in body, body[:2000]
    foreign = [s for s in _only_in("fr" if lang == "en" else "en") if s in body]
    assert not foreign, foreign
    assert f"lang={lang}" in page.url, page.url
    assert page.evaluate("document.documentElement.lang").startswith(lang)
    if country is not None:
        expect(page.locator("h1").first).to_contain_text(country)
    return body


def _go(page: Page, base: str, path: str, lang: str, *, country: str | None = None) -> str:
    page.goto(f"{base}/{path}{'&' if '?' in path else '?'}lang={lang}")
    _settle(page)
    return _check(page, lang, country=country)


def _click(page: Page, name: str) -> None:
    button = page.get_by_role("button", name=name, exact=True).locator("visible=true").first
    _rerun_after(page, button.click, settle=_settle)


def _note(page: Page, text: str, lang: str) -> None:
    box = page.get_by_label(WORDS[lang]["note"])
    box.fill(text)
    _rerun_after(page, lambda: box.press("Enter"), settle=_settle)


def _until(ok: Callable[[], bool], seconds: float = 30) -> None:
    """Wait for the database to show what a click did (the rerun may still be running on a busy machine)."""
    deadline = time.monotonic() + seconds
    while not ok():
        assert time.monotonic() < deadline, "the click changed nothing in the database"
        time.sleep(0.2)


def _shot(page: Page, name: str, lang: str) -> None:
    page.wait_for_timeout(700)  # a rerun just ended: let the browser drop the previous run's elements
    _settle(page)
    ROLE_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ROLE_SHOTS / f"{name}{SUFFIX[lang]}.png"), full_page=True)


def _nothing_cut(page: Page, *, table: bool) -> None:
    """No button's words end in "…" (Home's "Supprimer" read "Suppri…" at 1280 px) and, with ``table``, the
    list shows every column without scrolling sideways (its last column read "Dernière m…"), as a data grid or as
    Home's plain table (issue 26)."""
    cut = page.evaluate(
        "[...document.querySelectorAll(\"[data-testid='stMain'] button\")].filter(b => b.offsetParent)"
        ".filter(b => [b, ...b.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))"
        ".map(b => b.innerText)"
    )
    assert not cut, cut
    if table:
        wide = page.evaluate(
            "[...document.querySelectorAll(\"[data-testid='stDataFrame'] .dvn-scroller, .iot-table-frame\")]"
            ".map(e => e.scrollWidth - e.clientWidth)"
        )
        assert wide and all(w <= 1 for w in wide), wide


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


@pytest.mark.parametrize("lang", LANGS)
def test_each_role_walks_its_part_of_the_workflow(chromium: Path, tmp_path: Path, lang: str) -> None:  # noqa: F811
    w = WORDS[lang]
    with _provider() as issuer, _app(tmp_path, issuer) as (base, eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)

        # Kenya's focal point: Kenya is the only country offered, already chosen; start, answer, submit.
        fp = _sign_in(browser, base, "fp-ken", lang)
        _check(fp, lang)
        expect(fp.get_by_role("combobox", name=w["member_state"])).to_have_value(w["kenya"])
        _click(fp, w["start"])
        _check(fp, lang, country=w["kenya"])
        ken = _kenya(tmp_path)
        radio = fp.locator("[data-testid='stMain'] [data-testid='stRadio']").first
        radio.locator("[role='radiogroup'] label").nth(2).click()
        _settle(fp)
        expect(fp.get_by_text(re.compile(w["saved_at"])).first).to_be_visible()
        _check(fp, lang, country=w["kenya"])
        expect(fp.locator("h1").first).to_have_text(f"{w['kenya']} 2026")  # one name form: not "Kenya, 2026"
        _shot(fp, "focal-point-assess", lang)
        fp.get_by_text(w["submit_title"]).first.click()
        _click(fp, w["submit"])
        confirm = fp.get_by_role("button", name=w["submit_now"], exact=True).locator("visible=true").first
        for _ in range(3):  # a click during a redraw of a loaded machine can be lost: ask again until it shows
            with suppress(PlaywrightTimeout):
                confirm.wait_for(timeout=15_000)
                break
            _click(fp, w["submit"])
        _click(fp, w["submit_now"])
        _until(lambda: _status(tmp_path, ken) == "submitted")
        _check(fp, lang, country=w["kenya"])

        # The adviser opens Kenya by its address (Ethiopia comes first in the picker), asks, returns.
        adviser = _sign_in(browser, base, "adviser", lang)
        _go(adviser, base, f"review?assessment={ken}", lang, country=w["kenya"])
        expect(adviser.locator("h1").first).not_to_contain_text(w["ethiopia"])
        _click(adviser, w["take"])
        _check(adviser, lang, country=w["kenya"])
        _until(lambda: _status(tmp_path, ken) == "under_review")
        _settle(adviser)
        # Open the question; a redraw still under way when it is clicked folds it again, so open it until it stays.
        box = adviser.get_by_label(w["new_query"]).locator("visible=true").first
        for _ in range(4):
            if box.count():
                break
            adviser.locator("[data-testid='stExpander'] summary").filter(has_text="2.1").first.click()
            with suppress(PlaywrightTimeout):
                box.wait_for(timeout=10_000)
        box.fill(w["query"])
        # A text area sends its value on blur or Ctrl+Enter.
        _rerun_after(adviser, lambda: box.press("Control+Enter"), settle=_settle)
        _click(adviser, w["add_query"])
        _until(lambda: _queries(tmp_path, ken) == [w["query"]])
        assert _queries(tmp_path, eth) == []
        _note(adviser, w["note_return"], lang)
        _click(adviser, w["return"])
        _until(lambda: _status(tmp_path, ken) == "returned")
        expect(adviser.get_by_label(w["note"])).to_have_count(0)  # no move left for now
        _check(adviser, lang, country=w["kenya"])

        # The focal point hands it in again from the Review page.
        _go(fp, base, f"review?assessment={ken}", lang, country=w["kenya"])
        _click(fp, w["submit"])
        _until(lambda: _status(tmp_path, ken) == "resubmitted")

        # The adviser validates with the query open, then publishes: each move starts with an empty note.
        _go(adviser, base, f"review?assessment={ken}", lang, country=w["kenya"])
        _click(adviser, w["take"])
        expect(adviser.get_by_label(w["note"])).to_have_value("")
        adviser.get_by_text(w["confirm_open"]).click()
        _settle(adviser)
        _note(adviser, w["note_validate"], lang)
        _click(adviser, w["validate"])
        _until(lambda: _status(tmp_path, ken) == "validated")
        expect(adviser.get_by_label(w["note"])).to_have_value("")
        _check(adviser, lang, country=w["kenya"])
        _shot(adviser, "adviser-review", lang)
        # Scrolled down to the last question on a small screen, the country is still named at the top.
        adviser.set_viewport_size({"width": 800, "height": 420})
        adviser.locator("[data-testid='stExpander']").last.scroll_into_view_if_needed()
        expect(adviser.locator("h1").first).not_to_be_in_viewport()
        expect(adviser.locator(".st-key-review-current")).to_be_in_viewport()
        expect(adviser.locator(".st-key-review-current")).to_contain_text(f"{w['kenya']} 2026")
        adviser.set_viewport_size({"width": 1280, "height": 1400})
        _click(adviser, w["publish"])
        _until(lambda: _status(tmp_path, ken) == "published")
        notes = _notes(tmp_path)
        assert notes["validate"] == w["note_validate"] and notes["publish"] == "", notes

        # A viewer: no start, a read-only reason on Assess, targets shown disabled with the reason.
        viewer = _sign_in(browser, base, "viewer-ken", lang)
        body = _go(viewer, base, "", lang)
        expect(viewer.get_by_role("button", name=w["start"])).to_have_count(0)
        assert w["no_start"] in body
        _shot(viewer, "viewer-home", lang)
        body = _go(viewer, base, f"assess?assessment={ken}", lang, country=w["kenya"])
        assert w["published"] in body and w["autosave"] not in body
        _shot(viewer, "viewer-assess", lang)
        _go(viewer, base, f"results?assessment={ken}", lang, country=w["kenya"])
        viewer.get_by_text(w["targets"], exact=True).click()
        expect(viewer.get_by_text(w["targets_ro"]).first).to_be_visible()
        expect(viewer.locator("[data-testid='stExpander'] [data-testid='stSelectbox'] input").first).to_be_disabled()

        # The administrator's page, for the gallery.
        admin = _sign_in(browser, base, "admin", lang)
        _go(admin, base, "admin", lang)
        _shot(admin, "admin", lang)
        _go(fp, base, "", lang)
        _shot(fp, "focal-point-home", lang)
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


@pytest.mark.parametrize("lang", LANGS)
def test_a_one_pillar_contributor_answers_their_pillar_only(
    chromium: Path, tmp_path: Path, lang: str,  # noqa: F811
) -> None:
    w = WORDS[lang]
    with _provider() as issuer, _app(tmp_path, issuer) as (base, _eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        ken = _draft(tmp_path, "KEN")
        contrib = _sign_in(browser, base, "contrib-ken", lang)
        body = _check(contrib, lang)
        # Home: no start box (said why) and no delete.
        expect(contrib.get_by_role("button", name=w["start"])).to_have_count(0)
        expect(contrib.get_by_role("button", name=w["delete"])).to_have_count(0)
        assert w["no_start"] in body
        # Their pillar: a question answered and saved.
        _go(contrib, base, f"assess?assessment={ken}&pillar=ipv6", lang, country=w["kenya"])
        radio = contrib.locator("[data-testid='stMain'] [data-testid='stRadio']").first
        radio.locator("[role='radiogroup'] label").nth(2).click()
        _settle(contrib)
        expect(contrib.get_by_text(re.compile(w["saved_at"])).first).to_be_visible()
        _until(lambda: _answer(tmp_path, ken, "v6_awareness") is not None)
        _check(contrib, lang, country=w["kenya"])
        _shot(contrib, "contributor-assess", lang)
        # Another pillar: read-only, the reason in the reader's language.
        body = _go(contrib, base, f"assess?assessment={ken}&pillar=policy_regulation", lang, country=w["kenya"])
        assert w["pillar_ro"] in body, body[:2000]
        expect(contrib.locator("[data-testid='stMain'] [data-testid='stRadio'] input").first).to_be_disabled()
        expect(contrib.get_by_role("button", name=w["delete"])).to_have_count(0)
        # Targets: shown read-only with the reason.
        _go(contrib, base, f"results?assessment={ken}", lang, country=w["kenya"])
        contrib.get_by_text(w["targets"], exact=True).click()
        expect(contrib.get_by_text(w["targets_ro"]).first).to_be_visible()
        expect(contrib.locator("[data-testid='stExpander'] [data-testid='stSelectbox'] input").first).to_be_disabled()
        browser.close()


@pytest.mark.parametrize("lang", LANGS)
def test_rwanda_focal_point_sees_no_kenya_and_is_refused_a_kenyan_workbook(
    chromium: Path, tmp_path: Path, lang: str,  # noqa: F811
) -> None:
    w = WORDS[lang]
    from exchange import build_workbook
    from questionnaires import load_questionnaire

    with _provider() as issuer, _app(tmp_path, issuer) as (base, _eth), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        ken = _draft(tmp_path, "KEN")
        rwa = _draft(tmp_path, "RWA")
        before = _answer(tmp_path, ken, "v6_users")
        fp = _sign_in(browser, base, "fp-rwa", lang)
        body = _check(fp, lang)
        assert w["kenya"] not in body, body[:2000]
        expect(fp.get_by_role("combobox", name=w["member_state"])).to_have_value(w["rwanda"])
        _nothing_cut(fp, table=True)  # at 1280 px: "Suppri…" and "Dernière m…" before
        _shot(fp, "other-focal-point-home", lang)
        fp.set_viewport_size({"width": 390, "height": 1400})
        fp.wait_for_function("window.innerWidth === 390")
        fp.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        _nothing_cut(fp, table=False)  # on a phone the table may scroll in its frame; the buttons are whole
        fp.set_viewport_size({"width": 1280, "height": 1400})
        # The assessment picker offers Rwanda's assessment only (the list is drawn, so read the picker's options).
        fp.get_by_role("combobox", name=w["pick"]).click()
        options = fp.get_by_role("option").all_inner_texts()
        assert options and all(o.startswith(f"{w['rwanda']} 2026") for o in options), options
        fp.keyboard.press("Escape")
        body = _go(fp, base, "compare", lang)
        assert w["kenya"] not in body, body[:2000]
        body = _go(fp, base, f"review?assessment={ken}", lang)
        assert w["kenya"] not in body, body[:2000]
        body = _go(fp, base, f"assess?assessment={rwa}", lang, country=w["rwanda"])
        assert w["kenya"] not in body, body[:2000]
        # A Kenyan workbook on Data exchange: refused in words, nothing written.
        kenyan = tmp_path / "ken.xlsx"
        kenyan.write_bytes(build_workbook(load_questionnaire(MINI), lang, country="KEN", cycle=2026))
        _go(fp, base, "exchange", lang)
        fp.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(kenyan))
        _uploaded(fp, kenyan.name, lang)
        _click(fp, w["import"])
        expect(fp.get_by_text(w["refused_country"]).first).to_be_visible()
        _check(fp, lang)
        assert _answer(tmp_path, ken, "v6_users") == before
        browser.close()
