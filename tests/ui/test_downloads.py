"""Files made on click act as the signed-in user and are audited (issue 20.1, issue 19.5).

Streamlit runs a ``download_button(data=callable)``'s callable in a worker thread, outside the script run,
where session state is empty. These tests draw each page as a signed-in user (multi-user mode), keep the
``data=`` callables the page passed, and call them from the test's own thread, as Streamlit's worker
would: the file must be made for the user who was shown the button, and recorded in the audit trail.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import text
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from assessment import audit, users
from tests.ui.conftest import Env, open_page, texts
from tests.ui.test_compare import open_tab

STATUSES = ("draft", "submitted", "under_review", "returned", "validated", "published")
FOCAL = "fp@ken.example"
ADVISER = "adv@itu.example"
ADMIN = "admin@itu.example"


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Callable[[], Any]]]:
    """The ``data=`` callables of every download button drawn, by button key."""
    seen: dict[str, Callable[[], Any]] = {}
    original = DeltaGenerator.download_button

    def keep(self: DeltaGenerator, label: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        if callable(data):
            seen[str(kwargs.get("key"))] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", keep)
    # st.download_button is the main container's method, bound when streamlit was imported.
    monkeypatch.setattr(st, "download_button", lambda *a, **k: keep(st._main, *a, **k))
    yield seen


def _world(env: Env, monkeypatch: pytest.MonkeyPatch, status: str) -> str:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    assessment_id = env.create("KEN", 2026)
    env.answer(assessment_id, "pol_framework", Answer(value="developing", comment="see the plan"))
    env.answer(assessment_id, "v6_users", Answer(value=20.0))
    with env.session() as s:
        s.execute(text("UPDATE assessment SET status = :st WHERE id = :i"), {"st": status, "i": assessment_id})
        s.commit()
        users.invite(s, email=FOCAL, role="focal_point", country="KEN")
        users.invite(s, email=ADVISER, role="adviser")
        users.invite(s, email=ADMIN, role="admin")
    return assessment_id


def _signed_in(env: Env, email: str, assessment_id: str, page: str) -> AppTest:
    at = env.app(assessment_id)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                          "cookie_secret": secrets.token_urlsafe(48), "client_id": "c", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": email, "sub": email, "email_verified": True}
    at = open_page(at, page)
    assert not at.exception
    return at


def _exports(env: Env) -> list[audit.AuditEntry]:
    with env.session() as s:
        return audit.events(s, event="export")


@pytest.mark.parametrize("status", STATUSES)
def test_the_focal_point_gets_the_pdf_profile_built_outside_the_script_run_for_every_status(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]], status: str
) -> None:
    assessment_id = _world(env, monkeypatch, status)
    _signed_in(env, FOCAL, assessment_id, "results")
    pdf = drawn["results.pdf"]()  # called from this thread: no script run, no session state
    assert bytes(pdf).startswith(b"%PDF")


@pytest.mark.parametrize("email", [ADVISER, ADMIN])
def test_an_adviser_and_an_admin_get_the_pdf_of_a_handed_in_assessment(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]], email: str
) -> None:
    assessment_id = _world(env, monkeypatch, "under_review")
    _signed_in(env, email, assessment_id, "results")
    assert bytes(drawn["results.pdf"]()).startswith(b"%PDF")


def test_the_pdf_download_acts_as_the_user_who_was_shown_the_button_and_is_audited(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]]
) -> None:
    assessment_id = _world(env, monkeypatch, "submitted")
    _signed_in(env, FOCAL, assessment_id, "results")
    assert not _exports(env)  # drawing the button discloses nothing
    drawn["results.pdf"]()
    [event] = _exports(env)
    assert event.by == FOCAL
    assert (event.country, event.assessment_id) == ("KEN", assessment_id)
    assert event.detail["what"] == "pdf" and event.detail["source"] == "profile"
    assert event.detail["countries"] == ["KEN"]


def test_a_failed_download_is_said_on_the_page_with_a_reference(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]]
) -> None:
    assessment_id = _world(env, monkeypatch, "submitted")
    at = _signed_in(env, FOCAL, assessment_id, "results")

    def broken(*_a: Any, **_k: Any) -> bytes:
        raise OSError("disk gone")

    monkeypatch.setattr("reports.render_profile", broken)
    with pytest.raises(Exception):  # noqa: B017 - Streamlit's worker turns it into "Failed to generate file"
        drawn["results.pdf"]()
    at.run()
    assert "The file could not be made" in texts(at)
    assert "reference" in texts(at)
    assert not _exports(env)  # nothing left, nothing recorded


def test_the_prefilled_workbook_is_audited_as_the_user(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]]
) -> None:
    assessment_id = _world(env, monkeypatch, "submitted")
    at = _signed_in(env, FOCAL, assessment_id, "exchange")
    at.selectbox(key="exchange.prefill").set_value(assessment_id).run()
    assert not at.exception
    assert bytes(drawn["exchange.prefilled"]()).startswith(b"PK")
    [event] = _exports(env)
    assert (event.by, event.country, event.assessment_id) == (FOCAL, "KEN", assessment_id)
    assert (event.detail["what"], event.detail["source"]) == ("xlsx", "workbook")


def test_the_blank_workbook_is_no_disclosure(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]]
) -> None:
    assessment_id = _world(env, monkeypatch, "submitted")
    _signed_in(env, FOCAL, assessment_id, "exchange")
    assert bytes(drawn["exchange.blank"]()).startswith(b"PK")
    assert not _exports(env)


@pytest.mark.parametrize(("key", "what", "magic"), [
    ("compare.export_csv", "csv", b"\xef\xbb\xbf"), ("compare.export_xlsx", "xlsx", b"PK"),
    ("compare.export_json", "json", b"{"),
])
def test_every_compare_export_is_audited_as_the_adviser(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]], key: str, what: str,
    magic: bytes,
) -> None:
    assessment_id = _world(env, monkeypatch, "validated")
    open_tab(_signed_in(env, ADVISER, assessment_id, "compare"), "export")
    made = drawn[key]()
    assert (made if isinstance(made, bytes) else made.encode()).startswith(magic)
    [event] = _exports(env)
    assert event.by == ADVISER
    assert (event.detail["what"], event.detail["source"], event.detail["countries"]) == (what, "compare", ["KEN"])
    assert event.detail["assessments"] == [assessment_id]


def _bulk_zip_page(label: str = "2026") -> None:
    """Home's finished-zip panel alone, as an adviser who asked for the zip of ``label`` (Kenya and Senegal)."""
    import streamlit as st

    from assessment import users as users_
    from reports.background import ZipTask
    from ui import auth, bulk, data

    with data.session() as s:
        st.session_state[auth.ACTOR] = users_.actor_by_email(s, "adv@itu.example")
    st.session_state[bulk.COUNTRIES] = ["KEN", "SEN"]
    bulk._finished(ZipTask(id="t", total=2, label=label, state="done", result=b"PK zip"), "en")


def test_the_bulk_zip_of_profiles_is_audited_as_the_adviser_when_downloaded(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]]
) -> None:
    _world(env, monkeypatch, "submitted")
    at = AppTest.from_function(_bulk_zip_page, default_timeout=30).run()
    assert not at.exception
    assert not _exports(env)
    assert drawn["home.bulk_download"]() == b"PK zip"
    [event] = _exports(env)
    assert event.by == ADVISER
    assert (event.detail["what"], event.detail["source"], event.detail["countries"]) == ("zip", "bulk_zip",
                                                                                       ["KEN", "SEN"])
    assert event.detail["cycles"] == [2026]


@pytest.mark.parametrize("label", ["²", "2026²", "all"])
def test_a_bulk_zip_whose_label_is_not_a_year_in_ascii_digits_is_offered_and_audited_without_a_cycle(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]], label: str
) -> None:
    """"²".isdigit() is True and int("²") raises: the panel read the label so and crashed (a year or nothing)."""
    _world(env, monkeypatch, "submitted")
    at = AppTest.from_function(_bulk_zip_page, default_timeout=30, args=(label,)).run()
    assert not at.exception
    assert drawn["home.bulk_download"]() == b"PK zip"
    [event] = _exports(env)
    assert "cycles" not in event.detail  # no cycle named: none recorded


def test_a_grant_revoked_after_the_button_was_drawn_no_longer_opens_the_file(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]]
) -> None:
    """The page stays open with its button; the click is checked against the focal point's grants of now, as every
    other click is (the file was made with the grants of when the button was drawn)."""
    assessment_id = _world(env, monkeypatch, "submitted")
    _signed_in(env, FOCAL, assessment_id, "results")
    with env.session() as s:
        assert users.revoke(s, email=FOCAL) == 1
    with pytest.raises(Exception):  # noqa: B017 - Streamlit's worker turns it into "Failed to generate file"
        drawn["results.pdf"]()
    assert not _exports(env)  # no file, no disclosure recorded


def test_a_user_deactivated_after_the_button_was_drawn_gets_no_file(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]]
) -> None:
    assessment_id = _world(env, monkeypatch, "submitted")
    _signed_in(env, FOCAL, assessment_id, "results")
    with env.session() as s:
        s.execute(text("UPDATE app_user SET active = false WHERE email = :e"), {"e": FOCAL})
        s.commit()
    with pytest.raises(Exception):  # noqa: B017
        drawn["results.pdf"]()
    assert not _exports(env)


def test_a_zip_made_before_the_advisers_grants_changed_is_not_handed_over(
    env: Env, monkeypatch: pytest.MonkeyPatch, drawn: dict[str, Callable[[], Any]]
) -> None:
    """The bulk zip is made in the background with the grants of when it was asked for, and the button hands the
    made bytes over: an adviser turned into Kenya's viewer meanwhile got every country's profiles. A file drawn for
    other grants than the user's of now is not handed over (the page, drawn again, offers what they may have)."""
    _world(env, monkeypatch, "submitted")
    at = AppTest.from_function(_bulk_zip_page, default_timeout=30).run()
    assert not at.exception
    with env.session() as s:
        users.revoke(s, email=ADVISER)
        users.grant(s, email=ADVISER, role="viewer", country="KEN")
    with pytest.raises(Exception):  # noqa: B017 - Streamlit's worker turns it into "Failed to generate file"
        drawn["home.bulk_download"]()
    assert not _exports(env)
