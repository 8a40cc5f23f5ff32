"""Issue 20: the Assess title read "Kenya, 2026", Review "Kenya 2026" and the pickers "Kenya · 2026". One form of
an assessment's name everywhere (titles, the Review page's sticky line, pickers), in both languages."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from assessment import service, users
from tests.ui.conftest import Env
from tests.ui.test_auth import _app

OTHER_FORMS = re.compile(r"Kenya, 2026|Kenya · 2026")


def _page(env: Env, page: str, assessment: str, lang: str) -> AppTest:
    at = _app(env, email="adv@itu.example", sub="sub-adviser")
    at.query_params["assessment"] = assessment
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(f"ui/pages/{page}.py")
    at.query_params["assessment"] = assessment
    return at.run()


def _shown(at: AppTest) -> list[str]:
    """Titles, markdown lines and every picker's options: where an assessment is named."""
    out = [str(e.value) for e in at.title] + [str(e.value) for e in at.markdown]
    for box in at.selectbox:
        out += [str(o) for o in box.options]
    return out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_assessment_is_named_kenya_2026_on_every_page(env: Env, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")  # the Review page is there in multi-user mode
    ken = env.create("KEN", 2026)
    with env.session() as s:
        users.invite(s, email="adv@itu.example", role="adviser")
        service.submit_assessment(s, assessment_id=ken)
    at = _page(env, "home", ken, lang)
    assert "Kenya 2026" in at.selectbox(key="home.pick").options
    seen = _shown(at)
    for page in ("assess", "results"):
        at = _page(env, page, ken, lang)
        assert not at.exception
        assert at.title[0].value.endswith("Kenya 2026"), at.title[0].value
        seen += _shown(at)
    at = _page(env, "review", ken, lang)
    assert not at.exception
    assert at.title[0].value.endswith("Kenya 2026"), at.title[0].value
    assert any("**Kenya 2026**" in m for m in _shown(at))  # the sticky line
    pickers = [o for box in at.selectbox for o in box.options if "Kenya" in str(o)]
    assert pickers and all(str(o).startswith("Kenya 2026 · ") for o in pickers), pickers
    seen += _shown(at)
    assert not [s for s in seen if OTHER_FORMS.search(s)], [s for s in seen if OTHER_FORMS.search(s)]
