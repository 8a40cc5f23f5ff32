"""Assess: evidence documents under each answer (issue 25): attach, list, download, remove; refusals; read-only."""

from __future__ import annotations

import io
from typing import Any

from streamlit.testing.v1 import AppTest

from assessment import evidence, service
from tests.ui.conftest import Env, open_page, open_section, texts
from ui.evidence import open_key

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
Q = "pol_framework"  # the first pillar's first question


def assess(env: Env, assessment_id: str, lang: str = "en") -> AppTest:
    """Assess, with the first question's documents section opened (it is sent only once open: issue 26)."""
    at = env.app(assessment_id)
    at.query_params["lang"] = lang
    return open_section(open_page(at, "assess"), open_key(Q))


def test_a_folded_documents_section_sends_no_list_nor_upload_until_opened(env: Env) -> None:
    """Issue 26: every question's upload form was sent folded; now only the section's header is, and a click
    opens it with its list and form (keyboard: the header is a button)."""
    aid = env.create()
    with env.session() as s:
        evidence.add_evidence(s, assessment_id=aid, questionnaire=env.questionnaire, question_id=Q,
                              data=io.BytesIO(PDF), filename="act.pdf", title="Telecom Act")
    at = env.app(aid)
    at = open_page(at, "assess")
    assert not at.get("file_uploader") and "Telecom Act" not in texts(at)
    assert "1 evidence document attached" in texts(at)  # the count stays in view, folded
    open_section(at, open_key(Q))
    assert at.get("file_uploader") and "Telecom Act" in texts(at)


def _listed(env: Env, aid: str, removed: bool = False) -> list[evidence.EvidenceView]:
    with env.session() as s:
        return evidence.list_evidence(s, assessment_id=aid, question_id=Q, include_removed=removed)


def test_the_limits_are_said_before_the_upload(env: Env) -> None:
    at = assess(env, env.create())
    assert not at.exception
    shown = texts(at)
    assert "at most 20 MB per file and 500 MB per assessment (0 MB used)" in shown
    assert "web pages (HTML), SVG images, scripts" in shown
    assert at.get("file_uploader")


def test_the_limits_in_french_follow_french_typography(env: Env) -> None:
    at = assess(env, env.create(), "fr")
    assert not at.exception
    assert "au plus 20\u202fMo par fichier et 500\u202fMo par évaluation" in texts(at)


def test_attach_two_files_with_titles_and_a_reference_then_remove_one(env: Env) -> None:
    aid = env.create()
    at = assess(env, aid)
    at.file_uploader(key=f"evidence.{Q}.upload-0").set_value(
        [("Cyber Act.pdf", PDF, "application/pdf"), ("figures.csv", b"a,b\n1,2\n", "text/csv")]).run()
    at.text_input(key=f"evidence.{Q}.title-0-0").set_value("Cybersecurity Act 2021").run()
    at.text_input(key=f"evidence.{Q}.ref-0-0").set_value("art. 12").run()
    at.button(key=f"evidence.{Q}.attach").click().run()
    assert not at.exception
    files = _listed(env, aid)
    assert [(f.title, f.reference, f.filename) for f in files] == [
        ("Cybersecurity Act 2021", "art. 12", "Cyber Act.pdf"), ("figures", None, "figures.csv")]
    shown = texts(at)
    assert "Attached “Cybersecurity Act 2021”." in shown and "2 evidence documents attached" in shown
    assert f"SHA-256 {files[0].sha256[:12]}" in shown
    assert at.get("download_button")  # served as an attachment, never shown inline
    at.button(key=f"evidence.{Q}.remove-{files[0].id}").click().run()
    assert not at.exception
    assert [f.title for f in _listed(env, aid)] == ["figures"]
    assert [f.removed for f in _listed(env, aid, removed=True)] == [True, False]
    assert "it stays in the history until an administrator purges it" in texts(at)


def test_a_hostile_file_is_refused_by_name_and_nothing_stored(env: Env) -> None:
    aid = env.create()
    at = assess(env, aid)
    at.file_uploader(key=f"evidence.{Q}.upload-0").set_value(
        ("law.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")).run()
    at.button(key=f"evidence.{Q}.attach").click().run()
    assert not at.exception
    assert any("law.pdf was not attached" in e.value and "web page" in e.value for e in at.error)
    assert _listed(env, aid) == []


def test_a_submitted_assessment_lists_and_serves_its_documents_read_only(env: Env) -> None:
    aid = env.create()
    with env.session() as s:
        view = evidence.add_evidence(s, assessment_id=aid, questionnaire=env.questionnaire, question_id=Q,
                                     data=io.BytesIO(PDF), filename="act.pdf", title="Telecom Act")
        service.submit_assessment(s, assessment_id=aid)
    at = assess(env, aid)
    assert not at.exception
    assert "Telecom Act" in texts(at)
    assert at.get("download_button")
    assert f"evidence.{Q}.remove-{view.id}" not in {b.key for b in at.button}
    assert not [u for u in at.get("file_uploader") if str(getattr(u, "key", "")).startswith("evidence.")]


# --- Review: the adviser sees each answer's documents and queries a missing one ---------------------------------


def test_the_adviser_sees_the_documents_and_queries_a_missing_one_in_french(env: Env, monkeypatch: Any) -> None:
    from assessment import review, users
    from tests.ui.test_role_journeys import _french

    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    aid = env.create()
    with env.session() as s:
        evidence.add_evidence(s, assessment_id=aid, questionnaire=env.questionnaire, question_id="v6_users",
                              data=io.BytesIO(PDF), filename="stats.pdf", title="Enquête des ménages 2025",
                              reference="tableau 4")
        service.submit_assessment(s, assessment_id=aid)
        users.invite(s, email="adv@itu.example", role="adviser")
    at = _french(env, "adv@itu.example", "review", assessment=aid)
    assert not at.exception
    shown = texts(at)
    assert "**Enquête des ménages 2025** — tableau 4" in shown and "stats.pdf" in shown
    assert "Aucun document justificatif joint à cette réponse." in shown  # pol_framework has none
    assert [b.key for b in at.get("download_button") if "review.evidence" in str(b.key)]
    at.button(key="review.evidence.query.pol_framework").click().run()
    assert str(at.text_area(key="review.new.pol_framework").value).startswith("Veuillez joindre le document")
    at.button(key="review.add.pol_framework").click().run()
    assert not at.exception
    with env.session() as s:
        [thread] = review.threads(s, assessment_id=aid)
    assert thread.question_id == "pol_framework" and "Veuillez joindre" in thread.comments[0].body
