"""The deployment checks: where the app may listen, and what sign-in needs (pure functions)."""

from __future__ import annotations

import base64
import random
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
     ("a" * 64, "guessable"), ("ab" * 32, "guessable"), ("https://example.org/" + "q" * 40, "placeholder")],
)
def test_weak_cookie_secrets_are_refused(secret: str | None, why: str) -> None:
    assert why in (weak_secret(secret) or "")
    problems = startup_problems(address="0.0.0.0", secrets={"auth": {**AUTH["auth"], "cookie_secret": secret}},
                                multi=True)
    assert any("cookie_secret" in p for p in problems)


@pytest.mark.parametrize(
    "secret",
    ["0123456789abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm1234567890",
     "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "zyxwvutsrqponmlkjihgfedcba9876543210"],
)
def test_sequences_and_keyboard_rows_are_refused_as_guessable(secret: str) -> None:
    """36 characters of three classes passed the old length-and-classes check: their guessability does not."""
    assert weak_secret(secret) is not None


@pytest.mark.parametrize(
    "secret",
    ["the quick brown fox jumps over the lazy dog near the river bank",
     "Tobeornottobethatisthequestionwhethertisnoblerinthemind",
     "correct-horse-battery-staple-and-a-cup-of-tea-every-morning"],
)
def test_long_english_phrases_are_refused_as_words(secret: str) -> None:
    assert "words" in (weak_secret(secret) or "")


def test_generated_secrets_of_32_characters_and_more_pass() -> None:
    """The measure does not refuse what a generator makes: 1,000 fixed draws of each form the docs mention (the
    same draws every run), and the hex secret a random draw once had refused at 99 estimated bits."""
    rng = random.Random(197)
    for _ in range(1000):
        raw = rng.randbytes(48)
        for secret in (base64.urlsafe_b64encode(raw).decode().rstrip("="),
                       base64.urlsafe_b64encode(raw[:24]).decode().rstrip("="), raw[:16].hex()):
            assert weak_secret(secret) is None, secret
    assert weak_secret("1f1f1fb7e0024773890f271d25015583") is None


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


ENTRA = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"


def test_a_tenant_rule_with_its_issuer_and_domains_passes() -> None:
    rule = {"trust_email_verified_claim": False, "tenant_domains": ["ca.go.ke", "itu.int"], "tenant_issuer": ENTRA}
    assert startup_problems(address="0.0.0.0", secrets={**AUTH, "sign_in": rule}, multi=True) == []


@pytest.mark.parametrize(
    ("section", "says"),
    [({"tenant_domains": ["ca.go.ke"]}, "tenant_domains needs tenant_issuer"),
     ({"tenant_issuer": ENTRA}, "tenant_domains is empty"),
     ({"trust_email_verified_claim": False}, "nobody could accept an invitation"),
     ({"trust_email_verified_claim": "yes"}, "must be true or false"),
     ({"tenant_domains": "ca.go.ke", "tenant_issuer": ENTRA}, "must be a list"),
     ({"tenant_domains": ["*.go.ke"], "tenant_issuer": ENTRA}, "is not a domain name"),
     ({"tenant_domains": ["ca.go.ke"], "tenant_issuer": "http://sso.example.org"}, "tenant_issuer must be"),
     ({"email_verfied": True}, "unknown setting 'email_verfied'"),
     ({"entra": {"tenant_domains": ["ca.go.ke"]}}, "[sign_in.entra] tenant_domains needs tenant_issuer")],
)
def test_a_wrong_sign_in_rule_stops_the_app_with_what_to_fix(section: dict[str, object], says: str) -> None:
    problems = startup_problems(address="0.0.0.0", secrets={**AUTH, "sign_in": section}, multi=True)
    assert any(says in p for p in problems), problems
