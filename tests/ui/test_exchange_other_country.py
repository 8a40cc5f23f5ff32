"""Issue 20.10: Rwanda's focal point uploading a Kenyan workbook is told they may not import for Kenya,
never how a submitted assessment is reopened; nothing is written. French and English."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from assessment import service, users
from exchange import build_workbook
from tests.exchange.helpers import edit, set_cell
from tests.ui.conftest import Env, open_page, texts
from tests.ui.test_exchange import XLSX
from tests.ui.test_exchange_returned import AUTH


@pytest.fixture
def kenya_submitted(env: Env, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    with env.session() as s:
        users.invite(s, email="fp@rwa.example", role="focal_point", country="RWA")
    aid = env.create("KEN", 2026)
    with env.session() as s:
        service.save_answer(s, assessment_id=aid, questionnaire=env.questionnaire, question_id="v6_users",
                            answer=Answer(value=20.0), expected_version=None)
        service.transition(s, assessment_id=aid, action="submit")
    return aid


def _upload_as_rwanda(env: Env, lang: str) -> AppTest:
    at = env.app()
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": True, "email": "fp@rwa.example", "sub": "fp@rwa.example", "email_verified": True,
               "iss": "test"}
    at.query_params["lang"] = lang
    at = open_page(at, "exchange")
    q = env.questionnaire
    payload = edit(build_workbook(q, lang, country="KEN", cycle=2026), set_cell(q, "v6_users", "answer", 35))
    at.file_uploader(key="exchange.upload").set_value(("ken.xlsx", payload, XLSX)).run()
    return at.button(key="exchange.import").click().run()


@pytest.mark.parametrize(("lang", "said", "not_said"), [
    ("en", "you may not import for Kenya", ["Reopen", "reopen", "submitted", "adviser"]),
    ("fr", "vous ne pouvez pas importer de données pour ce pays (Kenya)",
     ["Rouvrir", "rouvrez", "soumise", "conseiller", "importé et", "Kenya 2026 n'a pas été importé"]),
])
def test_another_countrys_workbook_is_refused_for_that_country_not_for_its_status(
    env: Env, kenya_submitted: str, lang: str, said: str, not_said: list[str]
) -> None:
    at = _upload_as_rwanda(env, lang)
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert said in shown, texts(at)
    assert [w for w in not_said if w in shown] == []
    assert not any(b.key == "exchange.confirm" for b in at.button)
    saved = env.saved(kenya_submitted, "v6_users")
    assert saved is not None and saved.value == 20.0
