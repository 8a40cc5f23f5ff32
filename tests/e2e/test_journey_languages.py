"""The regulator's journey in Arabic and in Chinese, in a real browser (Playwright + Debian chromium), issue 24.

Start an assessment (the Member State found by its name in the language), answer, reload, submit, open the
results, download the PDF, import a file and open its results: on every page the address keeps ``lang=``, the
page's ``<html lang>`` says it, and no English UI phrase shows. Arabic pages are right to left
(``<html dir="rtl">``, the sidebar on the right of the main area); Chinese ones left to right.
Screenshots: ``test-artifacts/journey-<lang>-*.png``; with ``IOTREADY_UPDATE_SCREENSHOTS=1`` the journey also
walks in Spanish and Russian, and each language's Home, Assess, Results, PDF cover and summary go to
``docs/screenshots/languages/<lang>-*.png`` (the README's table).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from questionnaires import default_questionnaire
from questionnaires.languages import REGISTRY
from questionnaires.messages import catalog, t
from refdata import country_name
from tests.e2e.test_browser import (  # noqa: F401
    ARTIFACTS,
    CHROMIUM_ARGS,
    ROOT,
    UPDATE_SCREENSHOTS,
    Server,
    _publish,
    _rerun_after,
    _serve,
    _settle,
    _shot,
    _uploaded,
    chromium,
)

pytestmark = pytest.mark.browser
ARABIC_INDIC_DIGIT = re.compile(r"[\u0660-\u0669\u06f0-\u06f9]")


def _english(lang: str) -> list[str]:
    """English UI phrases (catalog and questionnaire) that a page in ``lang`` may not show."""
    theirs = "\n".join(catalog(lang).values())
    english: list[str] = []
    for key, text in catalog("en").items():
        if key.startswith(("cli.", "problem.", "pdf.")) or text == catalog(lang).get(key):
            continue
        english += [p.strip() for p in re.split(r"\{[^}]*\}|\*\*|`", text)]
    q = default_questionnaire()
    for p in q.pillars:
        english += [p.name.get("en"), p.description.get("en")]
        english += [question.text.get("en") for question in q.form_questions_in(p.id)]
    return sorted({f for f in english if len(f) >= 20 and f not in theirs and " " in f})


class Journey:
    """One language's checks, made after every navigation."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page, self.lang = page, lang
        self.english = _english(lang)
        self.direction = "rtl" if lang == "ar" else "ltr"

    def check(self, where: str) -> None:
        page = self.page
        _settle(page)
        assert f"lang={self.lang}" in page.url, (where, page.url)
        page.wait_for_function(f"document.documentElement.lang === '{self.lang}'")
        assert page.evaluate("document.documentElement.dir") == self.direction, where
        shown = page.evaluate("document.body.innerText")
        found = [f for f in self.english if f in shown]
        assert not found, f"English on {where}: {found[:5]}"
        assert not ARABIC_INDIC_DIGIT.search(shown), where  # Western digits (docs/languages.md)
        sidebar = page.locator("[data-testid='stSidebar']").bounding_box()
        main = page.locator("[data-testid='stMain']").bounding_box()
        assert sidebar is not None and main is not None, where
        if self.direction == "rtl":  # the sidebar on the right of the main area
            assert sidebar["x"] >= main["x"] + main["width"] - 1, (where, sidebar, main)
        else:
            assert sidebar["x"] + sidebar["width"] <= main["x"] + 1, (where, sidebar, main)

    def nav(self, key: str) -> None:
        link = self.page.locator("[data-testid='stSidebarNavLink']").filter(has_text=t(key, self.lang))
        _rerun_after(self.page, link.click)

    def shot(self, name: str) -> None:
        path = _shot(self.page, f"journey-{self.lang}-{name}")
        _publish(path, f"languages/{self.lang}-{name}.png")  # Arabic and Chinese: the README's table


@pytest.fixture(scope="module")
def lang_server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:  # noqa: F811
    with _serve(tmp_path_factory.mktemp("e2e-languages")) as running:
        yield running


@pytest.fixture
def page(chromium: Path, lang_server: Server) -> Iterator[Page]:  # noqa: F811
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400}, accept_downloads=True)
        page.set_default_timeout(30_000)
        yield page
        browser.close()


# One server: a country each. Spanish and Russian walk too when the README's screenshots are refreshed (its table
# shows every language); the two scripts of the other direction and of CJK are the ones every run checks.
JOURNEYS = [("ar", "SEN"), ("zh", "KHM"), *([("es", "PER"), ("ru", "KGZ")] if UPDATE_SCREENSHOTS else [])]


@pytest.mark.parametrize(("lang", "iso3"), JOURNEYS)
def test_the_journey_keeps_its_language_on_every_navigation(
    page: Page, lang_server: Server, tmp_path: Path, lang: str, iso3: str
) -> None:
    journey, base = Journey(page, lang), lang_server.base
    page.goto(f"{base}/?lang={lang}")
    journey.check("Home")
    journey.shot("home")

    # Start: the Member State is found by its name in the language (السنغال, 柬埔寨).
    senegal = country_name(iso3, lang)
    page.locator("[data-testid='stSelectbox']").filter(has_text=t("ui.home.country", lang)).first.click()
    page.keyboard.type(senegal)
    expect(page.get_by_role("option", name=re.compile(f"^{re.escape(senegal)}"))).to_be_visible()
    page.keyboard.press("Enter")
    _settle(page)
    _rerun_after(page, page.get_by_role("button", name=t("ui.home.start", lang)).click)
    heading = page.get_by_role("heading", name=re.compile(f"^{re.escape(senegal)}"))
    expect(heading).to_be_visible()
    journey.check("Assess after Start")

    # Answer: the third level of the first scale question; the save is said in the language.
    radio = page.locator("[data-testid='stRadio']").first
    option = radio.locator("[role='radiogroup'] label").nth(2)
    label = option.inner_text().split("\n")[0].strip()
    _rerun_after(page, option.click)
    saved = t("ui.assess.saved_at", lang).split("{")[0].strip()
    expect(page.get_by_text(saved).first).to_be_visible(timeout=15_000)
    journey.check("Assess after an answer")
    # The progress bar fills from where the reader starts: the right in Arabic.
    bar, fill = page.locator("[data-testid='stProgress'] [role='progressbar']").first.evaluate(
        """bar => { const r = bar.getBoundingClientRect();
          const f = bar.querySelector("[data-testid='stProgressBarTrack'] > div").getBoundingClientRect();
          return [[r.left, r.right], [Math.max(f.left, r.left), Math.min(f.right, r.right)]]; }""")
    if lang == "ar":
        assert abs(fill[1] - bar[1]) < 2 < fill[0] - bar[0], (bar, fill)
    else:
        assert abs(fill[0] - bar[0]) < 2 < bar[1] - fill[1], (bar, fill)
    journey.shot("assess")

    # Reload: the answer and the language are kept.
    page.reload()
    expect(heading).to_be_visible()
    checked = page.locator("[data-testid='stRadio']").first.locator("[role='radiogroup'] label:has(input:checked)")
    expect(checked).to_have_count(1)
    assert checked.inner_text().split("\n")[0].strip() == label
    journey.check("Assess reloaded")

    # Submit, through the confirmation.
    page.get_by_text(t("ui.assess.submit_title", lang)).click()
    _rerun_after(page, page.get_by_role("button", name=t("ui.assess.submit", lang), exact=True).click)
    confirm = page.get_by_role("button", name=t("ui.assess.confirm_submit", lang))
    expect(confirm).to_be_visible()
    journey.check("Assess, the submission's confirmation")
    _rerun_after(page, confirm.click)
    expect(confirm).to_have_count(0)
    journey.check("Assess after submitting")

    # Results from the menu, and the PDF it downloads (a filled demo assessment, opened by its address).
    journey.nav("ui.nav.results")
    expect(page.get_by_role("heading", name=re.compile(re.escape(t("ui.nav.results", lang))))).to_be_visible()
    journey.check("Results from the menu")
    page.goto(f"{base}/results?assessment={lang_server.demo_id}&lang={lang}")
    journey.check("Results of the demo assessment")
    journey.shot("results")
    with page.expect_download() as info:
        page.get_by_role("button", name=t("ui.results.pdf", lang)).click()
    pdf = Path(info.value.path()).read_bytes()
    from pypdf import PdfReader

    first_pages = re.sub(r"\s+", "", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages[:3]))
    assert re.sub(r"\s+", "", t("pdf.summary", lang)) in first_pages, first_pages[:300]
    for n, index in ((1, 0), (2, 2)):  # the cover, and the executive summary after the contents
        shot = ARTIFACTS / f"journey-{lang}-pdf-{n}.png"
        pdfium.PdfDocument(pdf)[index].render(scale=1.3).to_pil().save(shot)
        _publish(shot, f"languages/{lang}-pdf-{n}.png")
    journey.check("Results after the PDF")

    # Import: after an upload and a yes, the link to the imported assessment's results keeps the language.
    journey.nav("ui.nav.exchange")
    journey.check("Data exchange")
    example = json.loads((ROOT / "examples" / "illustrative-RWA-2025.json").read_text(encoding="utf-8"))
    example["cycle"] = 2032 if lang == "ar" else 2033  # a new cycle: a submitted assessment is never changed
    upload = tmp_path / f"illustrative-RWA-{example['cycle']}.json"
    upload.write_text(json.dumps(example), encoding="utf-8")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
    _uploaded(page, upload.name, lang)
    rwanda = country_name("RWA", lang)
    opened = t("ui.exchange.open_results", lang).split("{")[0]
    words = re.compile(r"\W+".join(re.escape(w) for w in re.findall(r"\w+", opened)))
    open_results = page.get_by_role("button", name=re.compile(words.pattern + r".*" + re.escape(rwanda))).first
    confirm_import = page.get_by_role("button", name=t("ui.plan.confirm", lang))
    _rerun_after(page, page.get_by_role("button", name=t("ui.exchange.import", lang)).click)
    expect(confirm_import.or_(open_results).first).to_be_visible(timeout=60_000)
    journey.check("Data exchange, the import plan")
    if confirm_import.count():
        _rerun_after(page, confirm_import.click)
    expect(open_results).to_be_visible(timeout=60_000)
    journey.check("Data exchange after an import")
    _rerun_after(page, open_results.click)
    expect(page.get_by_role("heading", name=re.compile(re.escape(rwanda)))).to_be_visible()
    journey.check("Results after an import")


FONT_URL = "/app/static/fonts/NotoSansSC-"


def _font_requests(page: Page) -> list[tuple[str, int]]:
    """(address, status) of every vendored-font response the page gets from now on."""
    seen: list[tuple[str, int]] = []
    page.on("response", lambda r: seen.append((r.url, r.status)) if FONT_URL in r.url else None)
    return seen


def test_a_chinese_page_draws_its_characters_in_the_served_font(page: Page, lang_server: Server) -> None:
    """This machine's chromium has no CJK font: without the served Noto Sans SC every character was a box."""
    fetched = _font_requests(page)
    page.goto(f"{lang_server.base}/?lang=zh")
    # The server's first page (run alone, this test is the first) may take long on a loaded machine.
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=90_000)
    _settle(page)
    page.wait_for_function("""() => [...document.fonts].some(f => f.family.replace(/"/g, "") === "Source Sans"
                                      && f.unicodeRange.includes("4E00") && f.status === "loaded")""")
    expect(page.get_by_text(t("ui.home.start", "zh")).first).to_be_visible()
    _shot(page, "journey-zh-font")
    assert any(url.endswith("NotoSansSC-Regular.ttf") and status == 200 for url, status in fetched), fetched


@pytest.mark.parametrize("lang", ["en", "ar", "ru"])
def test_a_page_in_another_language_does_not_download_the_chinese_font(
    page: Page, lang_server: Server, lang: str
) -> None:
    fetched = _font_requests(page)
    page.goto(f"{lang_server.base}/?lang={lang}")
    _settle(page)
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    assert "/app/static/fonts/" not in page.evaluate("document.getElementById('iotready-font').textContent")
    assert fetched == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_chinese_language_link_on_another_page_is_drawn_in_the_inline_subset(
    page: Page, lang_server: Server, lang: str
) -> None:
    """This machine's chromium has no CJK font: "中文" among the language links was two boxes on every page but
    Chinese. The subset of Noto Sans SC given inline (ui/fonts.py) draws it: its face is loaded (a face limited by
    unicode-range loads only when a character of it is drawn), and each character is Noto's full em wide."""
    fetched = _font_requests(page)
    page.goto(f"{lang_server.base}/?lang={lang}")
    _settle(page)
    link = page.locator("[data-iotready-lang='zh']")
    expect(link).to_have_text(REGISTRY["zh"].name)
    page.wait_for_function("""() => [...document.fonts].some(
        f => f.family.replace(/"/g, "") === "IoTReady Language Names" && f.status === "loaded")""")
    width, size = page.evaluate("""(a) => [a.getBoundingClientRect().width,
                                          parseFloat(getComputedStyle(a).fontSize)]""", link.element_handle())
    assert width == pytest.approx(2 * size, abs=0.5), (width, size)  # 中 and 文: 1000 units of 1000 each
    assert fetched == []  # inline: no request, and not the 10 MB files
