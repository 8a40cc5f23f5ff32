"""The sign-in metadata cache (ui/signin_cache.py): fewer downloads, the same checks, and a loud failure on upgrade.

The sign-ins here run in-process through Streamlit's own ``_create_oauth_client`` (as its ``/auth/login`` and
``/oauth2callback`` routes call it, one new client per request) against the mock OpenID Connect provider;
``tests/e2e/test_signin_browser.py`` signs in through the browser.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
import types
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from joserfc.errors import JoseError
from streamlit.runtime.secrets import AttrDict

from tests.e2e.oidc import provider
from ui import page_address, serve, signin_cache, warm

ROUTES = importlib.import_module(signin_cache.ROUTES)
DISCOVERY = "/.well-known/openid-configuration"
JWKS = "/jwks"
REDIRECT = "http://127.0.0.1:8599/oauth2callback"


@pytest.fixture
def hits() -> Counter[str]:
    return Counter()


@pytest.fixture
def issuer(hits: Counter[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The mock provider, configured as ``[auth]`` for Streamlit's route module, with the cache installed fresh."""
    with provider({"fp-ken": "fp@ken.example"}, hits) as url:
        auth = AttrDict({
            "redirect_uri": REDIRECT, "cookie_secret": "x" * 48, "client_id": "iotready", "client_secret": "s3cret",
            "server_metadata_url": f"{url}/.well-known/openid-configuration",
        })
        monkeypatch.setattr(ROUTES, "get_secrets_auth_section", lambda: auth)
        monkeypatch.setattr(ROUTES, signin_cache.TARGET, getattr(ROUTES, signin_cache.TARGET))  # restored after
        monkeypatch.setattr(signin_cache, "_installed", False)
        monkeypatch.delenv(signin_cache.SWITCH, raising=False)
        signin_cache.clear()
        assert signin_cache.install()
        yield url
        signin_cache.clear()


async def _sign_in(tamper: bool = False) -> dict[str, Any]:
    """The round trip as Streamlit's routes do it: one client for the login, a new one for the callback."""
    client, redirect_uri = ROUTES._create_oauth_client("default")
    rv = await client.create_authorization_url(redirect_uri)
    async with httpx.AsyncClient() as browser:  # the provider's page: the user picks fp-ken
        reply = await browser.post(rv["url"], data={"sub": "fp-ken"})
    code = parse_qs(urlparse(reply.headers["location"]).query)["code"][0]
    client, _ = ROUTES._create_oauth_client("default")
    token = await client.fetch_access_token(code=code, redirect_uri=redirect_uri)
    if tamper:  # another signature: the token as an attacker who changed its claims would send it
        head, body, signature = token["id_token"].split(".")
        token["id_token"] = ".".join((head, body, signature[::-1]))
    return dict(await client.parse_id_token(token, nonce=rv["nonce"]))


def test_two_sign_ins_read_the_discovery_document_and_the_keys_once(issuer: str, hits: Counter[str]) -> None:
    first = asyncio.run(_sign_in())
    second = asyncio.run(_sign_in())
    assert first["sub"] == second["sub"] == "fp-ken"
    assert first["iss"] == issuer
    # Without the cache: 4 and 2 (each client of each leg read them again).
    assert (hits[DISCOVERY], hits[JWKS]) == (1, 1)


def test_a_forged_signature_is_refused_with_the_cached_keys(issuer: str, hits: Counter[str]) -> None:
    asyncio.run(_sign_in())
    with pytest.raises(JoseError):
        asyncio.run(_sign_in(tamper=True))
    # Refused on the cached keys, then once more on fresh ones (in case the provider had changed them).
    assert hits[JWKS] == 2


def test_the_cached_metadata_expires(issuer: str, hits: Counter[str], monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(signin_cache, "clock", lambda: now[0])
    asyncio.run(_sign_in())
    now[0] += signin_cache.TTL_SECONDS - 1
    asyncio.run(_sign_in())
    assert (hits[DISCOVERY], hits[JWKS]) == (1, 1)
    now[0] += 1
    asyncio.run(_sign_in())
    assert (hits[DISCOVERY], hits[JWKS]) == (2, 2)


def test_keys_the_provider_replaced_are_read_again(issuer: str, hits: Counter[str]) -> None:
    asyncio.run(_sign_in())
    url = f"{issuer}/.well-known/openid-configuration"
    stale = signin_cache.cached("default", url)
    assert stale is not None
    from joserfc.jwk import RSAKey

    stale["jwks"] = {"keys": [RSAKey.generate_key(2048).as_dict(private=False)]}  # another key, no key id
    signin_cache._remember("default", url, stale)
    assert asyncio.run(_sign_in())["sub"] == "fp-ken"
    assert hits[JWKS] == 2
    again = signin_cache.cached("default", url)
    assert again is not None and again["jwks"] != stale["jwks"]  # the provider's current keys are kept now


def test_one_tls_context_is_shared_unless_the_provider_sets_its_own(issuer: str) -> None:
    first, _ = ROUTES._create_oauth_client("default")
    second, _ = ROUTES._create_oauth_client("default")
    assert first.client_kwargs["verify"] is second.client_kwargs["verify"] is signin_cache.tls_context()


def test_the_switch_leaves_streamlit_as_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signin_cache, "_installed", False)
    monkeypatch.setenv(signin_cache.SWITCH, "0")
    original = getattr(ROUTES, signin_cache.TARGET)
    assert not signin_cache.install()
    assert getattr(ROUTES, signin_cache.TARGET) is original


def test_installing_twice_patches_once(issuer: str) -> None:
    patched = getattr(ROUTES, signin_cache.TARGET)
    assert signin_cache.install()
    assert getattr(ROUTES, signin_cache.TARGET) is patched
    assert patched.__wrapped__.__name__ == signin_cache.TARGET


@pytest.mark.parametrize("multi", [True, False])
def test_the_launcher_installs_the_cache_in_multi_user_mode_only(monkeypatch: pytest.MonkeyPatch, multi: bool) -> None:
    """``make run`` goes through ui.serve; ``streamlit run app.py`` through app.py (the browser test signs in so)."""
    installed: list[bool] = []

    def install() -> bool:
        installed.append(True)
        return True

    monkeypatch.setattr(serve, "startup_problems", lambda **_: [])
    monkeypatch.setattr(serve, "multi_user", lambda: multi)
    monkeypatch.setattr(signin_cache, "install", install)
    monkeypatch.setattr(page_address, "install", lambda _paths: True)
    monkeypatch.setattr(warm, "start", lambda: None)
    monkeypatch.setattr("streamlit.web.cli.main", lambda: 0)
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # the launcher hands its own to Streamlit
    assert serve.main(["--server.address", "127.0.0.1"]) == 0
    assert installed == ([True] if multi else [])


# A Streamlit upgrade must be reviewed, not silently survived: these fail when what the patch relies on changes.

def test_the_installed_streamlit_is_one_the_patch_was_checked_against() -> None:
    import streamlit

    assert signin_cache.streamlit_supported(), (
        f"Streamlit {streamlit.__version__}: check ui/signin_cache.py against its sign-in routes, then add it to "
        "SUPPORTED")
    assert not signin_cache.streamlit_supported("1.68.0")


def test_the_patched_function_keeps_its_name_signature_and_callers() -> None:
    assert signin_cache.target_problem(ROUTES) is None
    fn = getattr(ROUTES, signin_cache.TARGET)
    assert tuple(inspect.signature(getattr(fn, "__wrapped__", fn)).parameters) == signin_cache.SIGNATURE
    # The routes look the function up by its module-level name at each request, so the patch reaches them.
    for route in (ROUTES._auth_login, ROUTES._auth_callback, ROUTES._get_provider_logout_url):
        assert signin_cache.TARGET in route.__code__.co_names, route.__name__


def test_authlib_still_skips_the_download_when_the_metadata_is_loaded() -> None:
    from authlib.integrations.base_client.async_app import AsyncOAuth2Mixin
    from authlib.integrations.base_client.async_openid import AsyncOpenIDMixin

    assert '"_loaded_at" not in self.server_metadata' in inspect.getsource(AsyncOAuth2Mixin.load_server_metadata)
    assert 'metadata.get("jwks")' in inspect.getsource(AsyncOpenIDMixin.fetch_jwk_set)


def test_a_changed_function_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    renamed = types.ModuleType(signin_cache.ROUTES)
    assert signin_cache.target_problem(renamed) == f"{signin_cache.ROUTES}.{signin_cache.TARGET} is gone"
    changed = types.ModuleType(signin_cache.ROUTES)
    setattr(changed, signin_cache.TARGET, lambda provider, base_url: None)
    assert "takes ('provider', 'base_url')" in (signin_cache.target_problem(changed) or "")
    monkeypatch.setattr(signin_cache, "_installed", False)
    monkeypatch.setattr(signin_cache, "streamlit_supported", lambda: False)
    original = getattr(ROUTES, signin_cache.TARGET)
    assert not signin_cache.install()
    assert getattr(ROUTES, signin_cache.TARGET) is original
