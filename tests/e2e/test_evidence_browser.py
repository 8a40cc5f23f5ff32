"""Issue 25 in a real browser, in French: attach a document to an answer, download it, remove it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlmodel import Session

from tests.e2e.test_browser import CHROMIUM_ARGS, _rerun_after, _serve, _settle, chromium  # noqa: F401

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
N = "\u202f"


def test_attach_download_and_remove_a_document_in_french(chromium: Path, tmp_path: Path) -> None:  # noqa: F811
    from assessment import db, evidence, service
    from questionnaires import load_questionnaire

    q = load_questionnaire(MINI)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    with Session(db.connect(url)) as s:
        aid = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=q).id
    law = tmp_path / "loi-cyber.pdf"
    law.write_bytes(PDF)
    with _serve(tmp_path, demo=False, extra_env={"IOTREADY_QUESTIONNAIRE_DIR": str(MINI)}) as server, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1600}, accept_downloads=True)
        page.set_default_timeout(20_000)
        page.goto(f"{server.base}/assess?assessment={aid}&lang=fr")
        _settle(page)
        box = page.locator(".st-key-question-pol_framework")
        box.get_by_text("Documents justificatifs").first.click()
        expect(box.get_by_text(f"au plus 20{N}Mo par fichier", exact=False)).to_be_visible()
        box.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(law))
        title = box.get_by_label(f"Titre de «{N}loi-cyber.pdf{N}»", exact=False)
        expect(title).to_be_visible()
        _settle(page)
        title.fill("Loi sur la cybersécurité")
        _rerun_after(page, lambda: title.press("Enter"))
        reference = box.get_by_label("Page, article ou section (facultatif)")
        reference.fill("art. 12")
        _rerun_after(page, lambda: reference.press("Enter"))
        _rerun_after(page, box.get_by_role("button", name="Joindre le document").click)
        expect(box.get_by_text(f"«{N}Loi sur la cybersécurité{N}» joint.")).to_be_visible()
        with Session(db.connect(url)) as s:
            [view] = evidence.list_evidence(s, assessment_id=aid, question_id="pol_framework")
        assert (view.title, view.reference, view.filename) == ("Loi sur la cybersécurité", "art. 12", "loi-cyber.pdf")

        with page.expect_download() as download:
            box.get_by_role("button", name="Télécharger").click()
        assert download.value.suggested_filename == "loi-cyber.pdf"
        assert Path(download.value.path()).read_bytes() == PDF

        _rerun_after(page, box.get_by_role("button", name="Retirer").click)
        expect(box.get_by_text("il reste dans l'historique", exact=False)).to_be_visible()
        browser.close()
    with Session(db.connect(url)) as s:
        assert evidence.list_evidence(s, assessment_id=aid) == []
        [kept] = evidence.list_evidence(s, assessment_id=aid, include_removed=True)
        assert kept.removed
        from assessment import audit

        assert {"evidence_add", "evidence_download", "evidence_remove"} <= {e.event for e in audit.events(s)}
