"""The README's language gallery: Home, Assess, Results and the PDF profile's first two pages in one language.

    python tools/language_screenshots.py ru zh

Starts the app on the illustrative demo data (as tests/e2e/test_browser.py does, Debian's chromium), opens each
page with ``?lang=``, and writes ``docs/screenshots/languages/<lang>-{home,assess,results,pdf-1,pdf-2}.png``.
Look at every picture before committing it. A machine with no CJK font (a bare server) would draw Chinese as
boxes: chromium is given the vendored Noto Sans SC (reports/fonts/) through fontconfig, as a Chinese desktop has
its own.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots" / "languages"
VIEWPORT = {"width": 1280, "height": 1100}


def _pdf_pages(server_db: str, assessment_id: str, lang: str) -> None:
    from datetime import date

    import pypdfium2 as pdfium
    from sqlmodel import Session

    from assessment import db, service
    from questionnaires import default_questionnaire
    from reports import render_profile

    with Session(db.connect(server_db)) as s:
        doc = service.get_document(s, assessment_id)
    pdf = render_profile(default_questionnaire(), doc, lang=lang, generated_on=date.today())
    pages = pdfium.PdfDocument(pdf)
    for i in (0, 1):
        pages[i].render(scale=1.3).to_pil().save(OUT / f"{lang}-pdf-{i + 1}.png")


def main(langs: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _serve, _settle

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, _serve(Path(tmp)) as server, sync_playwright() as p:
        conf = Path(tmp) / "fonts.conf"
        conf.write_text(f'<?xml version="1.0"?><fontconfig><include>/etc/fonts/fonts.conf</include>'
                        f'<dir>{ROOT / "reports" / "fonts"}</dir><cachedir>{tmp}/fc</cachedir></fontconfig>',
                        encoding="utf-8")
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                    env={**os.environ, "FONTCONFIG_FILE": str(conf)})
        page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
        page.set_default_timeout(30_000)
        for lang in langs:
            for name, path in (("home", ""), ("assess", "assess"), ("results", "results")):
                page.goto(f"{server.base}/{path}?assessment={server.demo_id}&lang={lang}")
                _settle(page)
                page.screenshot(path=str(OUT / f"{lang}-{name}.png"))
            _pdf_pages(f"sqlite:///{Path(tmp) / 'app.db'}", server.demo_id, lang)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:] or ["ru", "zh"])
