"""Data exchange page, multi-user, in French: a returned assessment takes the country's corrected file.

The contributor limited to one pillar is told, by the pillar's name, which row is not theirs (nothing
written); the focal point sees the plan, says yes, and the assessment stays returned until handed in again.
"""

from __future__ import annotations

import secrets

import pytest
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from assessment import service, users
from exchange import build_workbook
from tests.exchange.helpers import edit, set_cell
from tests.ui.conftest import Env, open_page, texts
from tests.ui.test_exchange import XLSX

AUTH = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": secrets.token_urlsafe(48),
                 "client_id": "c", "client_secret": "s",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}


@pytest.fixture
def returned(env: Env, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    with env.session() as s:
        users.invite(s, email="fp@ken.example", role="focal_point", country="KEN")
        users.invite(s, email="c@ken.example", role="contributor", country="KEN", pillars=["ipv6"])
    aid = env.create("KEN", 2026)
    with env.session() as s:
        service.save_answer(s, assessment_id=aid, questionnaire=env.questionnaire, question_id="v6_users",
                            answer=Answer(value=20.0), expected_version=None)
        for action in ("submit", "review", "return"):
            service.transition(s, assessment_id=aid, action=action)
    return aid


def _as(env: Env, email: str) -> AppTest:
    at = env.app()
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": True, "email": email, "sub": email, "email_verified": True, "iss": "test"}
    at.query_params["lang"] = "fr"
    return open_page(at, "exchange")


def _upload(at: AppTest, payload: bytes) -> AppTest:
    at.file_uploader(key="exchange.upload").set_value(("ken.xlsx", payload, XLSX)).run()
    return at.button(key="exchange.import").click().run()


def _workbook(env: Env) -> bytes:
    q = env.questionnaire
    data = build_workbook(q, "fr", country="KEN", cycle=2026)
    data = edit(data, set_cell(q, "v6_users", "answer", 35))  # the contributor's pillar (IPv6)
    return edit(data, set_cell(q, "pol_framework", "evidence", "Loi 12/2020"))  # another pillar


def test_a_contributors_row_outside_their_pillar_is_named_and_nothing_is_written(env: Env, returned: str) -> None:
    at = _upload(_as(env, "c@ken.example"), _workbook(env))
    assert not at.exception
    shown = texts(at)
    assert "«\u202fCadre politique et réglementaire favorable\u202f»" in shown, shown
    assert "rien n'a été importé" in shown and "pol_framework" not in shown
    assert not any(b.key == "exchange.confirm" for b in at.button)
    saved = env.saved(returned, "v6_users")
    assert saved is not None and saved.value == 20.0


def test_the_focal_point_imports_into_the_returned_assessment_after_the_plan(env: Env, returned: str) -> None:
    at = _upload(_as(env, "fp@ken.example"), _workbook(env))
    assert not at.exception
    assert any(b.key == "exchange.confirm" for b in at.button), texts(at)
    at.button(key="exchange.confirm").click().run()
    assert not at.exception
    assert any("Kenya" in s.value for s in at.success), texts(at)
    saved = env.saved(returned, "v6_users")
    assert saved is not None and saved.value == 35.0
    with env.session() as s:
        assert service.get_assessment(s, returned).status == "returned"
