"""User text is shown as text on every page, never as Markdown or HTML (issue 19.7).

Answers, comments, evidence, justifications, queries, workflow notes, the names recorded in the history and
an uploaded file's name and contents all carry Markdown and HTML payloads: an external image (a beacon that
learns who reads), a link whose text hides its address, raw HTML. The test walks every page, opens the
History dialog and the upload problems table, and reads every element Streamlit renders as Markdown (text,
captions, alerts, labels, tooltips, st.table cells): rendered with a CommonMark parser, none may hold an
image or a link from the payloads.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from markdown_it import MarkdownIt
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from assessment import review, service, users
from tests.ui.conftest import Env, open_page

BEACON = "![x](http://evil/beacon.png)"
LINK = "[ok](http://evil)"
HTML = "<img src=x onerror=alert(1)>"
PAYLOAD = f"{BEACON} {LINK} {HTML}"
EVIL = ("http://evil", "src=x")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = ("home", "assess", "results", "review", "compare", "exchange", "admin", "methodology")
_MD = MarkdownIt("commonmark")  # raw HTML stays text unless an element allows HTML (checked apart)


def _strings(proto: Any) -> Iterator[str]:
    """Every Markdown-rendered text field of an element: body, label, help, caption."""
    for field, value in proto.ListFields():
        if field.name in ("body", "label", "help", "caption", "title") and isinstance(value, str):
            yield value


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def active_payloads(at: AppTest) -> list[str]:
    """What the page would render as an image, a link or raw HTML from the payloads."""
    found: list[str] = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        texts = list(_strings(proto))
        if node.type == "table":  # st.table renders Markdown in its cells
            texts += [str(v) for v in node.value.astype(str).to_numpy().ravel()]
        for body in texts:
            html = _MD.render(body)
            if any(f'src="{e}' in html or f'href="{e}' in html for e in EVIL):
                found.append(f"{node.type}: {body!r}")
            if getattr(proto, "allow_html", False) and HTML in body:
                found.append(f"{node.type} (HTML allowed): {body!r}")
    return found


def test_the_checker_sees_an_active_payload() -> None:
    """The detector itself: a Markdown element holding the payload as typed is caught."""
    at = AppTest.from_string(f"import streamlit as st\nst.markdown({PAYLOAD!r})\nst.caption({LINK!r})").run()
    assert len(active_payloads(at)) == 2


ADMIN = "admin@itu.example"


@pytest.fixture
def hostile(env: Env, monkeypatch: pytest.MonkeyPatch) -> str:
    """Kenya's assessment full of payloads: answers, comments, evidence, justification, history, queries, notes,
    and the names people gave (the provider's name claim, a refused sign-in's address)."""
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    aid = env.create("KEN", 2026)
    with env.session() as s:
        users.invite(s, email=ADMIN, role="admin")
        users.invite(s, email="fp@ken.example", role="focal_point", country="KEN")
        users.sign_in(s, subject="fp", email="fp@ken.example", email_verified=True, name=PAYLOAD)
        with pytest.raises(users.SignInRefused):
            users.sign_in(s, subject="stranger", email=f"{LINK}@evil.example", email_verified=True, name=BEACON)
        for qid, answer in {
            "pol_framework": Answer(value="developing", comment=PAYLOAD, evidence=PAYLOAD),
            "pol_city": Answer(not_applicable=True, justification=PAYLOAD),
            "v6_users": Answer(value=20.0, evidence=LINK, comment=BEACON),
        }.items():
            current = service.get_assessment(s, aid)
            service.save_answer(s, assessment_id=aid, questionnaire=env.questionnaire, question_id=qid,
                                answer=answer, expected_version=current.versions.get(qid, 0), actor=LINK)
        current = service.get_assessment(s, aid)  # a second change, so History has an old and a new value
        service.save_answer(s, assessment_id=aid, questionnaire=env.questionnaire, question_id="pol_framework",
                            answer=Answer(value="adopted", comment=BEACON, evidence=HTML),
                            expected_version=current.versions.get("pol_framework", 0), actor=BEACON)
        service.transition(s, assessment_id=aid, action="submit", note=PAYLOAD)
        service.transition(s, assessment_id=aid, action="review", note=PAYLOAD)
        review.add_comment(s, assessment_id=aid, question_id="v6_users", body=PAYLOAD, actor=LINK)
        s.execute(text("UPDATE assessment SET status = 'under_review' WHERE id = :i"), {"i": aid})
        s.commit()
    return aid


def _as_admin(env: Env, assessment_id: str | None, page: str) -> AppTest:
    at = env.app(assessment_id)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                          "cookie_secret": secrets.token_urlsafe(48), "client_id": "c", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": ADMIN, "sub": ADMIN, "email_verified": True, "name": PAYLOAD}
    return open_page(at, page)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_renders_user_text_as_markdown(env: Env, hostile: str, page: str) -> None:
    at = _as_admin(env, hostile, page)
    assert not at.exception
    assert active_payloads(at) == []


def test_the_history_dialog_shows_who_and_the_values_as_typed(env: Env, hostile: str) -> None:
    at = _as_admin(env, hostile, "assess")
    at.button(key="assess.history.pol_framework").click().run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "beacon" in shown  # the entries are there...
    assert active_payloads(at) == []  # ...as text


def test_the_upload_problems_table_shows_the_files_text_as_typed(env: Env, hostile: str) -> None:
    from exchange import build_workbook
    from tests.exchange.helpers import edit, set_cell

    at = _as_admin(env, None, "exchange")
    workbook = build_workbook(env.questionnaire, "en", country="KEN", cycle=2026)
    workbook = edit(workbook, set_cell(env.questionnaire, "v6_users", "answer", f"{BEACON} {LINK}"))
    workbook = edit(workbook, set_cell(env.questionnaire, "pol_framework", "answer", f"{LINK} {BEACON}"))
    at.file_uploader(key="exchange.upload").set_value((f"{LINK}.xlsx", workbook, XLSX)).run()
    assert active_payloads(at) == []  # "ready" names the file as typed
    at.button(key="exchange.import").click().run()
    assert not at.exception
    cells = " ".join(str(v) for table in at.get("table")
                     for v in table.value.astype(str).to_numpy().ravel())  # type: ignore[union-attr]
    assert "beacon" in cells  # the problems quote the file's cells...
    assert active_payloads(at) == []  # ...as text
