"""Issue 20: every role's journey in multi-user mode, page by page (AppTest seeds the identity with ``at.user``).

Each test walks in French, the language the issue was walked in, and proves one of the journey's fixes: the
Review page opens the assessment its address names, empties the note after each move, says when data is
illustrative; pages offer only what the role may do and say why they are read-only; Admin names roles in words.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assessment import audit, service, users
from tests.ui.conftest import Env, texts
from tests.ui.test_auth import _app

NNBSP = "\u202f"


@pytest.fixture
def multi(env: Env, monkeypatch: pytest.MonkeyPatch) -> Env:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    return env


def _invite(env: Env, email: str, role: str, country: str | None = None, pillars: list[str] | None = None) -> None:
    with env.session() as s:
        users.invite(s, email=email, role=role, country=country, pillars=pillars)


def _french(env: Env, email: str, page: str, *, assessment: str | None = None, sub: str | None = None) -> AppTest:
    """``email``'s app in French, on ``ui/pages/<page>.py`` (with ``?assessment=`` when given)."""
    at = _app(env, email=email, sub=sub or f"sub-{email}")
    at.query_params["lang"] = "fr"
    if assessment is not None:
        at.query_params["assessment"] = assessment
    at.run()
    at.switch_page(f"ui/pages/{page}.py")
    if assessment is not None:
        at.query_params["assessment"] = assessment
    return at.run()


def _picker(at: AppTest):  # type: ignore[no-untyped-def]
    """The Review page's assessment picker (its key carries the labels, so it is found by its prefix)."""
    return next(b for b in at.selectbox if str(b.key).startswith("review.pick."))


def _submitted(env: Env, *countries: str, illustrative: bool = False) -> list[str]:
    ids = [env.create(c, illustrative=illustrative) for c in countries]
    with env.session() as s:
        for i in ids:
            service.submit_assessment(s, assessment_id=i)
    return ids


# --- Point 2: the address decides, the country stays named ------------------------------------------------------


def test_review_opens_the_assessment_the_address_names_not_the_first_in_the_picker(multi: Env) -> None:
    """Ethiopia sorts before Kenya: /review?assessment=<Kenya> opened Ethiopia, and queries went there."""
    eth, ken = _submitted(multi, "ETH", "KEN")
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "review", assessment=ken)
    assert not at.exception
    assert at.title[0].value == f"Examen et validation{NNBSP}: Kenya 2026"
    assert at.button(key="review.add.v6_users").label == "Ajouter la question pour Kenya"
    at.text_area(key="review.new.v6_users").set_value("Quelle enquête ?")
    at.button(key="review.add.v6_users").click().run()
    with multi.session() as s:
        from assessment import review

        assert [th.question_id for th in review.threads(s, assessment_id=ken)] == ["v6_users"]
        assert review.threads(s, assessment_id=eth) == []


def test_review_keeps_the_pick_in_the_address_so_a_reload_opens_the_same_country(multi: Env) -> None:
    eth, ken = _submitted(multi, "ETH", "KEN")
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "review")
    assert "Éthiopie" in at.title[0].value
    _picker(at).set_value(ken).run()
    assert at.query_params["assessment"] in ([ken], ken)
    assert "Kenya" in at.title[0].value
    assert eth


# --- Point 4: each move starts with an empty note ------------------------------------------------------------------


def test_the_review_note_is_emptied_after_each_move_so_publish_never_carries_the_validate_note(multi: Env) -> None:
    (ken,) = _submitted(multi, "KEN")
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "review", assessment=ken)
    at.button(key="review.do.review").click().run()
    assert at.text_input(key="review.note").value == ""
    at.text_input(key="review.note").set_value("chiffres vérifiés")
    at.button(key="review.do.validate").click().run()
    assert not at.exception
    assert at.text_input(key="review.note").value == ""
    at.button(key="review.do.publish").click().run()
    with multi.session() as s:
        notes = [e.detail.get("note") for e in audit.events(s, event="status")]
        assert service.get_assessment(s, ken).status == "published"
    assert sorted(n or "" for n in notes[:2]) == ["", "chiffres vérifiés"], notes


# --- Point 7 (the Review half): illustrative data is said to be illustrative --------------------------------------


def test_review_says_an_illustrative_assessment_is_illustrative(multi: Env) -> None:
    (ken,) = _submitted(multi, "KEN", illustrative=True)
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "review", assessment=ken)
    assert not at.exception
    assert any("Données illustratives" in w.value for w in at.warning), texts(at)
    assert "illustrati" in _picker(at).format_func(ken).lower()
