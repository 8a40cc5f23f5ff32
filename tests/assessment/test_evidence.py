"""Evidence documents: the hostile-file corpus, storage (dedup, chunks, streaming), history and access.

Runs on SQLite and, with ``TEST_DATABASE_URL``, PostgreSQL (the ``session`` fixture). The hostile files
are built here, byte by byte, so the corpus says exactly what each one is.
"""

from __future__ import annotations

import hashlib
import io
import tracemalloc
import zipfile
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from assessment import audit, evidence, service
from assessment.access import Actor, Grant
from assessment.evidence_checks import MAX_ASSESSMENT_ENV, MAX_FILE_ENV, MB, safe_name
from assessment.evidence_models import EVIDENCE_BLOB_TABLE, EVIDENCE_CHUNK_TABLE
from questionnaires import Questionnaire

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def _zip(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if stored_first:
            z.writestr(zipfile.ZipInfo(stored_first), members.pop(stored_first), compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _docx(**extra: bytes) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **extra})


def _xlsx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def _odf(kind: str) -> bytes:
    return _zip({"mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(), "content.xml": b"<office/>"},
                stored_first="mimetype")


def _add(s: Session, q: Questionnaire, aid: str, data: bytes, name: str = "law.pdf", *, question: str = "v6_users",
         title: str = "Telecommunications Act", actor: Any = None, **kw: Any) -> evidence.EvidenceView:
    extra = {"actor": actor} if actor is not None else {}
    return evidence.add_evidence(s, assessment_id=aid, questionnaire=q, question_id=question, data=io.BytesIO(data),
                                 filename=name, title=title, **extra, **kw)


def _refusal(s: Session, q: Questionnaire, aid: str, data: bytes, name: str) -> str:
    with pytest.raises(evidence.EvidenceError) as refused:
        _add(s, q, aid, data, name)
    assert evidence.list_evidence(s, assessment_id=aid) == []  # nothing kept
    assert s.execute(select(func.count()).select_from(EVIDENCE_BLOB_TABLE)).scalar_one() == 0
    return refused.value.reason.code if refused.value.reason else ""


# --- the hostile corpus ------------------------------------------------------------------------------

HOSTILE: list[tuple[str, bytes, str, str]] = [
    ("PDF with JavaScript", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript "
                                         b"/JS (app.alert(1)) >>"), "law.pdf", "evidence_pdf_active"),
    ("PDF with JavaScript, name hex-escaped",
     PDF.replace(b"/Type /Catalog", b"/Type /Catalog /AA << /O << /S /J#61vaScript >> >>"), "law.pdf",
     "evidence_pdf_active"),
    ("PDF with a launch action", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch >>"),
     "law.pdf", "evidence_pdf_active"),
    ("HTML renamed .pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "law.pdf",
     "evidence_active"),
    ("HTML with a byte-order mark, renamed .txt", b"\xef\xbb\xbf  <html><body>hi</body></html>", "notes.txt",
     "evidence_active"),
    ("SVG with a script, renamed .png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "map.png", "evidence_active"),
    ("script in a CSV", b"country,value\nKEN,1\n<script>alert(1)</script>\n", "data.csv", "evidence_active"),
    ("shell script renamed .txt", b"#!/bin/sh\nrm -rf /\n", "notes.txt", "evidence_type"),
    ("Windows executable renamed .pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "law.pdf",
     "evidence_type"),
    ("zip bomb inside a DOCX", _docx(**{"word/media/pad.bin": b"\x00" * (8 * MB)}), "law.docx", "evidence_zip_bomb"),
    ("macro-enabled DOCX", _docx(**{"word/vbaProject.bin": b"macro"}), "law.docx", "evidence_macro"),
    ("a zip that is no office file", _zip({"readme.txt": b"hello"}), "law.docx", "evidence_type"),
    ("a broken zip", b"PK\x03\x04" + b"\x00" * 100, "law.xlsx", "evidence_type"),
    ("0-byte file", b"", "law.pdf", "evidence_empty"),
]


@pytest.mark.parametrize(("what", "data", "name", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_and_nothing_is_kept(session: Session, mini: Questionnaire, draft: str, what: str,
                                                       data: bytes, name: str, code: str) -> None:
    assert _refusal(session, mini, draft, data, name) == code, what


def test_a_21_mb_file_is_refused_without_reading_it_all(session: Session, mini: Questionnaire, draft: str) -> None:
    class Endless(io.RawIOBase):
        """21 MB of PDF-looking bytes, counted as they are read."""

        def __init__(self) -> None:
            self.given = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b: Any) -> int:
            n = min(len(b), 21 * MB - self.given)
            b[:n] = (b"%PDF-" + b"a" * n)[:n] if self.given == 0 else b"a" * n
            self.given += n
            return n

    source = Endless()
    with pytest.raises(evidence.EvidenceError) as refused:
        evidence.add_evidence(session, assessment_id=draft, questionnaire=mini, question_id="v6_users",
                              data=io.BufferedReader(source), filename="big.pdf", title="Big")
    assert refused.value.reason is not None and refused.value.reason.code == "evidence_too_big"
    assert "20 MB" in refused.value.text("en") and "20\u202fMo" in refused.value.text("fr")
    assert source.given <= 21 * MB  # it stopped at the cap (a megabyte past it at most)


def test_the_caps_come_from_the_environment(session: Session, mini: Questionnaire, draft: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_FILE_ENV, "1")
    with pytest.raises(evidence.EvidenceError, match="larger than 1 MB"):
        _add(session, mini, draft, PDF + b" " * MB)
    monkeypatch.delenv(MAX_FILE_ENV)
    monkeypatch.setenv(MAX_ASSESSMENT_ENV, "1")
    _add(session, mini, draft, PDF + b" " * (MB // 2), title="First half")
    with pytest.raises(evidence.EvidenceError) as refused:
        _add(session, mini, draft, PDF + b"\n" * (MB // 2), title="Second half")
    assert refused.value.reason is not None and refused.value.reason.code == "evidence_assessment_full"


def test_a_hostile_name_is_neutralised(session: Session, mini: Questionnaire, draft: str) -> None:
    view = _add(session, mini, draft, PDF, "../../etc/\x1b[2J=cmd|evil\u202etxt.exe\r\n.pdf")
    assert view.filename == "[2J=cmd_eviltxt.exe.pdf"
    assert not any(c in view.filename for c in "/\\\x1b\r\n\u202e") and view.filename.endswith(".pdf")
    assert not view.filename.startswith(("=", "+", "-", "@", "."))


@pytest.mark.parametrize(("name", "kind", "stored"), [
    ("../../secret", "pdf", "secret.pdf"),
    ("..\\..\\Law.PDF", "pdf", "Law.pdf"),
    ("=HYPERLINK(x).pdf", "pdf", "HYPERLINK(x).pdf"),
    ("run.ps1", "txt", "run.ps1.txt"),
    ("law.pdf", "txt", "law.pdf.txt"),
    ("photo.JPEG", "jpeg", "photo.jpg"),
    ("", "csv", "document.csv"),
    ("...", "png", "document.png"),
    ("Loi n° 2019-12.pdf", "pdf", "Loi n° 2019-12.pdf"),
])
def test_safe_names(name: str, kind: str, stored: str) -> None:
    assert safe_name(name, kind) == stored


# --- what is accepted ------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "name", "media_type", "stored"), [
    (PDF, "law.pdf", "application/pdf", "law.pdf"),
    (_docx(), "strategy.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "strategy.docx"),
    (_xlsx(), "figures.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "figures.xlsx"),
    (_odf("text"), "plan.odt", "application/vnd.oasis.opendocument.text", "plan.odt"),
    (_odf("spreadsheet"), "plan.ods", "application/vnd.oasis.opendocument.spreadsheet", "plan.ods"),
    (PNG, "chart.png", "image/png", "chart.png"),
    (JPEG, "scan.jpeg", "image/jpeg", "scan.jpg"),
    ("Décret n° 2020-1 : article 3 ; « texte »\n".encode(), "note.txt", "text/plain", "note.txt"),
    (b"country,value\nKEN,1\n", "data.csv", "text/csv", "data.csv"),
    (PDF, "law.docx", "application/pdf", "law.docx.pdf"),  # the content decides, not the name
])
def test_accepted_types_by_content(session: Session, mini: Questionnaire, draft: str, data: bytes, name: str,
                                   media_type: str, stored: str) -> None:
    view = _add(session, mini, draft, data, name)
    assert (view.media_type, view.filename, view.size) == (media_type, stored, len(data))
    assert view.sha256 == hashlib.sha256(data).hexdigest()


# --- storage -----------------------------------------------------------------------------------------


def test_content_is_stored_once_in_chunks_and_read_back_whole(session: Session, mini: Questionnaire,
                                                              draft: str) -> None:
    data = PDF + bytes(range(256)) * (10 * 1024)  # 2.5 MiB: three chunks
    one = _add(session, mini, draft, data, question="v6_users", title="Act")
    two = _add(session, mini, draft, data, question="pol_framework", title="Same act, other answer")
    assert one.sha256 == two.sha256 and one.id != two.id
    assert session.execute(select(func.count()).select_from(EVIDENCE_BLOB_TABLE)).scalar_one() == 1
    assert session.execute(select(func.count()).select_from(EVIDENCE_CHUNK_TABLE)).scalar_one() == 3
    got = evidence.open_evidence(session, assessment_id=draft, evidence_id=two.id)
    assert (got.filename, got.media_type, got.size) == ("law.pdf", "application/pdf", len(data))
    assert got.read() == data


def test_the_same_file_twice_on_one_answer_is_refused(session: Session, mini: Questionnaire, draft: str) -> None:
    _add(session, mini, draft, PDF, title="Act")
    with pytest.raises(evidence.EvidenceError, match="already attached"):
        _add(session, mini, draft, PDF, title="Act again")


def test_a_20_mb_upload_is_never_held_whole_in_memory(session: Session, mini: Questionnaire, draft: str) -> None:
    """Peak Python allocations while attaching and reading back 20 MB stay a few chunks' worth (measured)."""

    class Generated(io.RawIOBase):
        def __init__(self, size: int) -> None:
            self.left, self.first = size, True

        def readable(self) -> bool:
            return True

        def readinto(self, b: Any) -> int:
            n = min(len(b), self.left)
            b[:n] = (b"%PDF-" + b"a" * n)[:n] if self.first else b"a" * n
            self.first, self.left = False, self.left - n
            return n

    tracemalloc.start()
    try:
        view = evidence.add_evidence(session, assessment_id=draft, questionnaire=mini, question_id="v6_users",
                                     data=io.BufferedReader(Generated(20 * MB)), filename="big.pdf", title="Big")
        _, peak_write = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        got = evidence.open_evidence(session, assessment_id=draft, evidence_id=view.id)
        total = sum(len(block) for block in got.chunks)
        _, peak_read = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert view.size == total == 20 * MB
    print(f"peak: attach {peak_write / MB:.1f} MB, read {peak_read / MB:.1f} MB")
    assert peak_write < 8 * MB, f"attaching 20 MB peaked at {peak_write / MB:.1f} MB"
    assert peak_read < 8 * MB, f"reading 20 MB back peaked at {peak_read / MB:.1f} MB"


# --- history, purge, audit ---------------------------------------------------------------------------


def test_a_removed_document_stays_in_the_history_until_purged(session: Session, mini: Questionnaire,
                                                              draft: str) -> None:
    view = _add(session, mini, draft, PDF)
    removed = evidence.remove_evidence(session, assessment_id=draft, questionnaire=mini, evidence_id=view.id,
                                       actor="focal@ken.example")
    assert removed.removed and removed.removed_by == "focal@ken.example"
    assert evidence.list_evidence(session, assessment_id=draft) == []
    [kept] = evidence.list_evidence(session, assessment_id=draft, include_removed=True)
    assert kept.id == view.id and kept.removed_at is not None
    assert evidence.open_evidence(session, assessment_id=draft, evidence_id=view.id).read() == PDF
    evidence.purge_evidence(session, assessment_id=draft, evidence_id=view.id)
    assert evidence.list_evidence(session, assessment_id=draft, include_removed=True) == []
    assert session.execute(select(func.count()).select_from(EVIDENCE_CHUNK_TABLE)).scalar_one() == 0
    events = [e.event for e in audit.events(session)]
    assert events[:4] == ["evidence_purge", "evidence_download", "evidence_remove", "evidence_add"]


def test_a_live_document_cannot_be_purged_and_shared_bytes_outlive_one_purge(session: Session, mini: Questionnaire,
                                                                             draft: str) -> None:
    one = _add(session, mini, draft, PDF, question="v6_users")
    _add(session, mini, draft, PDF, question="pol_framework")
    with pytest.raises(evidence.EvidenceError, match="remove it first"):
        evidence.purge_evidence(session, assessment_id=draft, evidence_id=one.id)
    evidence.remove_evidence(session, assessment_id=draft, questionnaire=mini, evidence_id=one.id)
    evidence.purge_evidence(session, assessment_id=draft, evidence_id=one.id)
    [left] = evidence.list_evidence(session, assessment_id=draft)
    assert evidence.open_evidence(session, assessment_id=draft, evidence_id=left.id).read() == PDF


def test_every_download_is_audited(session: Session, mini: Questionnaire, draft: str) -> None:
    view = _add(session, mini, draft, PDF)
    viewer = Actor("viewer@ken.example", (Grant("viewer", "KEN"),))
    evidence.open_evidence(session, assessment_id=draft, evidence_id=view.id, actor=viewer).read()
    [event] = audit.events(session, event="evidence_download")
    assert (event.by, event.country, event.assessment_id) == ("viewer@ken.example", "KEN", draft)
    assert event.detail["sha256"] == view.sha256 and event.detail["question"] == "v6_users"


# --- access ------------------------------------------------------------------------------------------


def test_another_country_never_learns_a_files_name(session: Session, mini: Questionnaire, draft: str) -> None:
    view = _add(session, mini, draft, PDF, "secret-cyber-plan.pdf", title="Secret national plan")
    outsider = Actor("focal@fra.example", (Grant("focal_point", "FRA"),))
    calls = [
        lambda: evidence.list_evidence(session, assessment_id=draft, actor=outsider),
        lambda: evidence.open_evidence(session, assessment_id=draft, evidence_id=view.id, actor=outsider),
        lambda: evidence.remove_evidence(session, assessment_id=draft, questionnaire=mini, evidence_id=view.id,
                                         actor=outsider),
    ]
    for call in calls:
        with pytest.raises(service.Forbidden) as refused:
            call()
        for lang in ("en", "fr"):
            assert "secret" not in refused.value.text(lang).lower()
    assert not [e for e in audit.events(session) if e.event == "evidence_download"]


def test_a_contributor_attaches_only_on_their_pillars(session: Session, mini: Questionnaire, draft: str) -> None:
    contributor = Actor("c@ken.example", (Grant("contributor", "KEN", frozenset({"ipv6"})),))
    _add(session, mini, draft, PDF, question="v6_users", actor=contributor)
    with pytest.raises(service.Forbidden) as refused:
        _add(session, mini, draft, PNG, "x.png", question="pol_framework", actor=contributor)
    assert "pillar" in refused.value.text("en")


def test_a_handed_in_assessment_takes_no_document(session: Session, mini: Questionnaire, draft: str) -> None:
    view = _add(session, mini, draft, PDF)
    service.submit_assessment(session, assessment_id=draft)
    with pytest.raises(service.ServiceError, match="submitted"):
        _add(session, mini, draft, PNG, "x.png")
    with pytest.raises(service.ServiceError, match="submitted"):
        evidence.remove_evidence(session, assessment_id=draft, questionnaire=mini, evidence_id=view.id)
    assert [v.id for v in evidence.list_evidence(session, assessment_id=draft)] == [view.id]


def test_a_document_of_another_assessment_is_not_found_through_this_one(session: Session, mini: Questionnaire,
                                                                        draft: str) -> None:
    other = service.get_or_create_assessment(session, country="KEN", cycle=2026, questionnaire=mini).id
    view = _add(session, mini, other, PDF)
    with pytest.raises(service.NotFound):
        evidence.open_evidence(session, assessment_id=draft, evidence_id=view.id)


def test_a_title_is_required_and_checked(session: Session, mini: Questionnaire, draft: str) -> None:
    for title, code in (("", "evidence_no_title"), ("  ", "evidence_no_title"), ("a\x00b", "control_char"),
                        ("x" * 201, "evidence_title_long")):
        with pytest.raises(evidence.EvidenceError) as refused:
            _add(session, mini, draft, PDF, title=title)
        assert refused.value.reason is not None and refused.value.reason.code == code


def test_the_downgrade_that_would_drop_documents_refuses(session: Session, mini: Questionnaire, draft: str) -> None:
    from alembic import command

    from assessment import db
    from assessment.migration_guard import DowngradeRefused

    _add(session, mini, draft, PDF)
    session.close()
    cfg = db.alembic_config()
    engine = session.get_bind()
    with engine.connect() as conn:  # type: ignore[union-attr]
        cfg.attributes["connection"] = conn
        with pytest.raises(DowngradeRefused, match="1 evidence documents"):
            command.downgrade(cfg, "0005")
    with Session(engine) as s:
        assert len(evidence.list_evidence(s, assessment_id=draft)) == 1


# --- evidence coverage -----------------------------------------------------------------------------


def test_an_attached_document_counts_as_evidence_and_a_removed_one_stops_counting(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    from answers.document import Answer
    from assessment.documents import with_documents
    from scoring import score

    service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="pol_framework",
                        answer=Answer(value="adopted"), expected_version=None)

    def coverages() -> tuple[float | None, float | None, float | None]:
        frame = service.score_frame(session, questionnaire=mini)[0]
        stored = float(frame.loc[frame["id"] == draft, "evidence_coverage"].iloc[0])
        doc = with_documents(session, draft, service.get_document(session, draft))
        [exported] = service.documents_by_id(session, [draft])
        return stored, score(mini, doc).evidence_coverage, score(mini, exported).evidence_coverage

    assert coverages() == (0.0, 0.0, 0.0)
    view = _add(session, mini, draft, PDF, question="pol_framework")
    assert coverages() == (1.0, 1.0, 1.0)
    evidence.remove_evidence(session, assessment_id=draft, questionnaire=mini, evidence_id=view.id)
    assert coverages() == (0.0, 0.0, 0.0)
    # The count is never written into a file: an export holds the answer as typed.
    assert "documents" not in service.get_document(session, draft).model_dump_json()
