"""Deployment safety checks: which mode the app runs in, and whether it may listen where it is asked to.

Local mode (the default of ``make run``) listens on loopback with no sign-in: one person, one computer.
Anything reachable from a network must run the multi-user mode with OpenID Connect sign-in configured
and a strong cookie secret. These checks run twice: in :mod:`ui.serve` before the server starts
listening, and at the top of every app run (so a server started by hand still serves nothing unsafe).
Pure functions over plain values, no Streamlit, so they are tested directly.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MULTI_USER_ENV = "IOTREADY_MULTI_USER"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
MIN_SECRET = 32
# Values people paste from tutorials; never accepted whatever their length.
PLACEHOLDERS = frozenset({
    "xxx", "changeme", "change-me", "secret", "cookie_secret", "your-secret", "your_secret", "supersecret",
    "replace-me", "replace_me", "<at least 32 random characters>",
})


def multi_user(env: Mapping[str, str] | None = None) -> bool:
    """Whether the multi-user mode is switched on (``IOTREADY_MULTI_USER=1``)."""
    value = (env if env is not None else os.environ).get(MULTI_USER_ENV, "").strip().lower()
    return value in {"1", "true", "yes", "on"}


def is_loopback(address: str | None) -> bool:
    """Whether ``address`` reaches this computer only (an empty address means every interface)."""
    return bool(address) and address.strip().lower() in LOOPBACK  # type: ignore[union-attr]


def weak_secret(secret: object) -> str | None:
    """Why ``secret`` is unsafe as a cookie secret, or None when it is fine."""
    if not isinstance(secret, str) or not secret.strip():
        return "is missing"
    s = secret.strip()
    if s.lower() in PLACEHOLDERS or any(p in s.lower() for p in ("changeme", "change-me", "example")):
        return "is a placeholder"
    if len(s) < MIN_SECRET:
        return f"is shorter than {MIN_SECRET} characters"
    counts = Counter(s)
    entropy = -sum(n / len(s) * math.log2(n / len(s)) for n in counts.values()) * len(s)
    if entropy < 128:  # e.g. "aaaa...", "abababab..."
        return "is too regular to be random: generate one with secrets.token_urlsafe(48)"
    return None


def auth_problems(secrets: Mapping[str, Any]) -> list[str]:
    """What is missing or unsafe in the ``[auth]`` section of ``.streamlit/secrets.toml``."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return ["sign-in is not configured: add an [auth] section to .streamlit/secrets.toml (see docs/deploy.md)"]
    problems = [f"[auth] {key} is missing" for key in AUTH_KEYS if key != "cookie_secret" and not auth.get(key)]
    why = weak_secret(auth.get("cookie_secret"))
    if why:
        problems.append(f"[auth] cookie_secret {why}")
    redirect = str(auth.get("redirect_uri") or "")
    if redirect and not redirect.rstrip("/").endswith("/oauth2callback"):
        problems.append("[auth] redirect_uri must end with /oauth2callback")
    return problems


def startup_problems(*, address: str | None, secrets: Mapping[str, Any], multi: bool) -> list[str]:
    """Why the app must not serve with these settings (empty: it may).

    Local mode on loopback needs nothing. Multi-user mode needs sign-in configured with a strong cookie
    secret, wherever it listens. Listening beyond loopback without the multi-user mode is refused.
    """
    if not multi:
        if is_loopback(address):
            return []
        return [f"the app is asked to listen on {address or 'every interface'} without sign-in: set "
                f"{MULTI_USER_ENV}=1 and configure [auth] in .streamlit/secrets.toml, or listen on 127.0.0.1"]
    return auth_problems(secrets)


def read_secrets(folder: Path | None = None) -> dict[str, Any]:
    """``.streamlit/secrets.toml`` of the working folder, else of the home folder (as Streamlit reads them)."""
    for path in ((folder or Path.cwd()) / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"):
        if path.is_file():
            with path.open("rb") as fh:
                return tomllib.load(fh)
    return {}
