"""Keep the identity provider's metadata between sign-in requests, so a sign-in is not a round of downloads.

Why: Streamlit 1.67 builds a new Authlib OAuth client for each request of the sign-in round trip
(``/auth/login`` and ``/oauth2callback``, in ``streamlit.web.server.starlette.starlette_auth_routes``), and
each new client downloads the provider's discovery document again, then the provider's signing keys (JWKS)
on the way back, and builds a TLS context (loading the CA bundle, 20–250 ms on this 2-core machine) for each
of the five HTTP clients it opens. Sign-in took 3.1× a page load (docs/performance.md).

What :func:`install` changes, and nothing else: it wraps Streamlit's private ``_create_oauth_client(provider)``
so the client it returns

- starts with the provider's metadata (discovery document, and the JWKS once fetched) when this process read
  it less than :data:`TTL_SECONDS` ago, so Authlib does not fetch them again; after that the entry has
  expired and the next sign-in fetches both afresh. A key id the cached JWKS does not hold (the provider
  rotated its keys) still makes Authlib fetch the JWKS again, and an ID token whose signature fails on the
  cached keys is checked once more on freshly fetched ones (a rotation without new key ids). The ID token's
  signature, issuer, audience, nonce and expiry are checked on every sign-in exactly as before: only the
  downloads are saved;
- opens its HTTP connections with one TLS context built once per process, as httpx would build it by default
  (certifi's CA bundle, or ``SSL_CERT_FILE``/``SSL_CERT_DIR``), unless the provider's ``client_kwargs`` set
  ``verify`` itself.

Guarded: it patches only the Streamlit versions in :data:`SUPPORTED` whose function still has the expected
name and signature; otherwise it logs why and leaves sign-in as Streamlit ships it (slower, never broken).
``tests/ui/test_signin_cache.py`` fails when a Streamlit upgrade changes the version, the function or the
Authlib behaviour this relies on, so the patch is reviewed rather than silently dropped.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

from ui.streamlit_patch import signature_problem, version_supported

log = logging.getLogger(__name__)

#: Streamlit versions (major.minor) whose private sign-in route this module was checked against.
SUPPORTED = ("1.67",)
#: How long a discovery document (and the JWKS read with it) is reused: bounded, so a provider's change of
#: endpoints or keys is seen within this time even when no key rotation forces a fresh JWKS.
TTL_SECONDS = 600.0
ROUTES = "streamlit.web.server.starlette.starlette_auth_routes"
TARGET = "_create_oauth_client"
#: ``IOTREADY_SIGNIN_CACHE=0`` leaves Streamlit's sign-in as shipped (docs/deploy.md; the benchmark's "before").
SWITCH = "IOTREADY_SIGNIN_CACHE"
#: The parameters of the patched function, in order.
SIGNATURE = ("provider",)

_lock = threading.Lock()
_metadata: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
_installed = False
clock: Callable[[], float] = time.monotonic  # replaced by the tests to age the cache


def streamlit_supported(version: str | None = None) -> bool:
    """Whether this Streamlit version (default: the installed one) is one the patch was checked against."""
    return version_supported(SUPPORTED, version)


def target_problem(routes: Any) -> str | None:
    """Why the route module's ``_create_oauth_client`` cannot be patched, or None when it has the expected shape."""
    return signature_problem(routes, TARGET, SIGNATURE)


def clear() -> None:
    """Forget every cached provider's metadata (tests; a deliberate refresh)."""
    with _lock:
        _metadata.clear()


def cached(provider: str, url: str) -> dict[str, Any] | None:
    """A copy of the provider's metadata read less than :data:`TTL_SECONDS` ago, or None."""
    with _lock:
        entry = _metadata.get((provider, url))
        if entry is None:
            return None
        stored_at, metadata = entry
        if clock() - stored_at >= TTL_SECONDS:
            del _metadata[(provider, url)]
            return None
        return copy.deepcopy(metadata)


def _remember(provider: str, url: str, metadata: dict[str, Any]) -> None:
    """Keep the client's metadata; a JWKS added to a kept document keeps that document's time (it expires with it)."""
    if "_loaded_at" not in metadata:  # not a fetched discovery document: nothing to keep
        return
    with _lock:
        entry = _metadata.get((provider, url))
        same = entry is not None and entry[1].get("_loaded_at") == metadata["_loaded_at"]
        stored_at = entry[0] if same and entry is not None else clock()
        _metadata[(provider, url)] = (stored_at, copy.deepcopy(metadata))


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS context httpx would build for ``verify=True``, built once: each build reads the whole CA bundle."""
    import httpx

    return httpx.create_ssl_context()


def _key_problem(exc: Exception) -> bool:
    """Whether the ID token failed on its signature or key (joserfc's errors), not on its claims (Authlib's)."""
    try:
        from joserfc.errors import JoseError
    except ImportError:  # pragma: no cover - Authlib 1.9 requires joserfc
        return False
    return isinstance(exc, JoseError)


def _with_cache(create: Callable[[str], tuple[Any, str]]) -> Callable[[str], tuple[Any, str]]:
    @functools.wraps(create)
    def create_oauth_client(provider: str) -> tuple[Any, str]:
        client, redirect_uri = create(provider)
        client.client_kwargs.setdefault("verify", tls_context())
        url = getattr(client, "_server_metadata_url", None)
        if not url:
            return client, redirect_uri
        known = cached(provider, url)
        if known is not None:
            client.server_metadata.update(known)
        load, fetch_keys = client.load_server_metadata, client.fetch_jwk_set

        # Authlib calls these through the instance, so the client's own calls keep the cache up to date too.
        async def load_server_metadata() -> dict[str, Any]:
            metadata: dict[str, Any] = await load()
            _remember(provider, url, metadata)
            return metadata

        async def fetch_jwk_set(force: bool = False) -> Any:
            keys = await fetch_keys(force=force)
            _remember(provider, url, client.server_metadata)
            return keys

        parse = client.parse_id_token

        async def parse_id_token(token: Any, nonce: Any, **kwargs: Any) -> Any:
            try:
                return await parse(token, nonce, **kwargs)
            except Exception as exc:
                if known is None or "jwks" not in known or not _key_problem(exc):
                    raise
                # A provider that replaced its keys without new key ids: check the token again, once, on its
                # current keys, as Streamlit's own client (which read them for each sign-in) would have.
                client.server_metadata.pop("jwks", None)
                return await parse(token, nonce, **kwargs)

        client.load_server_metadata = load_server_metadata
        client.fetch_jwk_set = fetch_jwk_set
        client.parse_id_token = parse_id_token
        return client, redirect_uri

    create_oauth_client.signin_cache = True  # type: ignore[attr-defined]
    return create_oauth_client


def install() -> bool:
    """Patch Streamlit's sign-in routes once per process; return whether the cache is in place.

    Safe to call from every script run (``app.py``) and from the launcher (``ui/serve.py``): it patches once,
    and never when the version or the function is not the one checked.
    """
    global _installed
    with _lock:
        if _installed:
            return True
        import importlib

        import streamlit

        if os.environ.get(SWITCH, "").strip().lower() in {"0", "off", "false", "no"}:
            log.info("Sign-in metadata cache off (%s).", SWITCH)
            return False
        if not streamlit_supported():
            log.warning("Sign-in metadata cache not installed: Streamlit %s is not one of %s (sign-in still works, "
                        "without the cache).", streamlit.__version__, ", ".join(SUPPORTED))
            return False
        try:
            routes = importlib.import_module(ROUTES)
        except ImportError as exc:  # the auth extra missing: Streamlit reports that itself at sign-in
            log.warning("Sign-in metadata cache not installed: %s", exc)
            return False
        problem = target_problem(routes)
        if problem:
            log.warning("Sign-in metadata cache not installed: %s (sign-in still works, without the cache).", problem)
            return False
        current = getattr(routes, TARGET)
        if not getattr(current, "signin_cache", False):
            setattr(routes, TARGET, _with_cache(current))
        _installed = True
        return True
