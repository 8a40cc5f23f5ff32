"""Compare's provenance line in the multi-user mode: validated against self-reported."""

from __future__ import annotations

import secrets

import pytest

from assessment import service, users
from assessment.access import Actor, Grant
from tests.ui.conftest import Env, open_page
from ui.compare_provenance import counts


def test_counts_separate_validated_from_self_reported() -> None:
    statuses = {"KEN": "validated", "FRA": "published", "SEN": "resubmitted", "BRA": "under_review"}
    assert counts(statuses, ["KEN", "FRA", "SEN", "BRA"]) == (2, 2)
    assert counts(statuses, ["SEN"]) == (0, 1)


def test_an_adviser_sees_which_figures_are_validated(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    adviser = Actor("adv@itu.example", (Grant("adviser"),))
    with env.session() as s:
        users.invite(s, email="adv@itu.example", role="adviser")
    ken, fra = env.create("KEN"), env.create("FRA")
    with env.session() as s:
        for aid in (ken, fra):
            service.submit_assessment(s, assessment_id=aid)
        service.transition(s, assessment_id=ken, action="review", actor=adviser)
        service.transition(s, assessment_id=ken, action="validate", actor=adviser)
    at = env.app()
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                          "cookie_secret": secrets.token_urlsafe(48), "client_id": "c", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": "adv@itu.example", "sub": "adv", "email_verified": True}
    at = open_page(at, "compare")
    assert not at.exception
    shown = [c.value for c in at.caption] + [i.value for i in at.info]
    line = "Validated or published by a BDT adviser: 1 of 2. Self-reported (not validated yet): 1 of 2."
    assert any(line in v for v in shown), "\n".join(shown)
