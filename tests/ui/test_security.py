"""The deployment checks: where the app may listen, and what sign-in needs (pure functions)."""

from __future__ import annotations

import secrets

import pytest

from ui import serve
from ui.security import auth_problems, is_loopback, multi_user, startup_problems, weak_secret

GOOD = secrets.token_urlsafe(48)
AUTH = {"auth": {"redirect_uri": "https://iot.example.org/oauth2callback", "cookie_secret": GOOD,
                 "client_id": "iotready", "client_secret": "s3cr3t",
                 "server_metadata_url": "https://sso.example.org/.well-known/openid-configuration"}}


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1"])
def test_local_mode_on_loopback_needs_nothing(address: str) -> None:
    assert is_loopback(address)
    assert startup_problems(address=address, secrets={}, multi=False) == []


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.20", "", None])
def test_beyond_loopback_without_sign_in_is_refused(address: str | None) -> None:
    [problem] = startup_problems(address=address, secrets=AUTH, multi=False)
    assert "without sign-in" in problem


@pytest.mark.parametrize(
    ("secret", "why"),
    [(None, "missing"), ("", "missing"), ("changeme", "placeholder"), ("short-but-random-Xy7", "shorter"),
     ("a" * 64, "regular"), ("ab" * 32, "regular"), ("https://example.org/" + "q" * 40, "placeholder")],
)
def test_weak_cookie_secrets_are_refused(secret: str | None, why: str) -> None:
    assert why in (weak_secret(secret) or "")
    problems = startup_problems(address="0.0.0.0", secrets={"auth": {**AUTH["auth"], "cookie_secret": secret}},
                                multi=True)
    assert any("cookie_secret" in p for p in problems)


def test_a_complete_auth_section_passes_anywhere() -> None:
    assert weak_secret(GOOD) is None
    assert startup_problems(address="0.0.0.0", secrets=AUTH, multi=True) == []


def test_multi_user_needs_the_auth_section_even_on_loopback() -> None:
    assert startup_problems(address="127.0.0.1", secrets={}, multi=True)
    missing = auth_problems({"auth": {"cookie_secret": GOOD, "redirect_uri": "https://x.example.org/cb"}})
    assert "[auth] client_id is missing" in missing
    assert "[auth] redirect_uri must end with /oauth2callback" in missing


def test_the_mode_switch() -> None:
    assert multi_user({"IOTREADY_MULTI_USER": "1"})
    assert not multi_user({}) and not multi_user({"IOTREADY_MULTI_USER": "0"})


def test_the_launcher_refuses_before_listening(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no secrets file here
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("IOTREADY_MULTI_USER", raising=False)
    started: list[object] = []
    monkeypatch.setattr("streamlit.web.cli.main", lambda *a, **k: started.append(a))
    assert serve.main(["--server.address", "0.0.0.0"]) == 2
    assert "without sign-in" in capsys.readouterr().err
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    assert serve.main(["--server.address=0.0.0.0"]) == 2
    assert "[auth]" in capsys.readouterr().err
    assert started == []
    assert serve.main(["--server.address", "127.0.0.1"]) == 2  # multi-user still needs sign-in configured
