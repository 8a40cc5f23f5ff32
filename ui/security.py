"""Deployment safety checks: which mode the app runs in, and whether it may listen where it is asked to.

Local mode (the default of ``make run``) listens on loopback with no sign-in: one person, one computer.
Anything reachable from a network must run the multi-user mode with OpenID Connect sign-in configured
and a strong cookie secret. These checks run twice: in :mod:`ui.serve` before the server starts
listening, and at the top of every app run (so a server started by hand still serves nothing unsafe).
Pure functions over plain values, no Streamlit, so they are tested directly.
"""

from __future__ import annotations

import functools
import math
import os
import re
import tomllib
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
    """Why ``secret`` is unsafe as a cookie secret, or None when it is fine.

    Length and character classes say nothing of how a secret was made: ``0123456789abc...xyz`` has both.
    So its guessability is measured (:func:`secret_strength`): at least :data:`MIN_BITS` estimated bits,
    and not mostly made of words (a long English phrase is a guessable secret however long).
    """
    if not isinstance(secret, str) or not secret.strip():
        return "is missing"
    s = secret.strip()
    if s.lower() in PLACEHOLDERS or any(p in s.lower() for p in ("changeme", "change-me", "example")):
        return "is a placeholder"
    if len(s) < MIN_SECRET:
        return f"is shorter than {MIN_SECRET} characters"
    bits, words = secret_strength(s)
    advice = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
    if words > MAX_WORDS:
        return f"is made of words or common passwords ({words:.0%} of it), which are guessed first: {advice}"
    if bits < MIN_BITS:
        return f"is guessable (about {bits:.0f} bits; sequences, keyboard rows and repeats count for little): {advice}"
    return None


# Random 32-character hex secrets measure about 95 to 190 (a few in a thousand under 100: repeats such as
# ``1f1f1f`` count for little), token_urlsafe(24) above 150, token_urlsafe(48) above 300; keyboard walks such as
# ``1qaz2wsx…`` 36 characters long measure under 80.
MIN_BITS = 85
MAX_WORDS = 0.5  # share of the characters inside dictionary words; random secrets stay under 0.3
_SEPARATORS = re.compile(r"[\s\-_.,;:/+=]+")
_CONTEXT_WORDS = ["iotready", "iot", "readiness", "streamlit", "cookie", "secret", "itu", "oauth", "auth"]


@functools.lru_cache(maxsize=32)
def secret_strength(secret: str) -> tuple[float, float]:
    """(estimated bits, share of characters in dictionary words) of ``secret``, by zxcvbn's pattern matching.

    zxcvbn (Dropbox's estimator) finds what guessers try first: dictionary words (English, names, common
    passwords), keyboard rows, sequences, repeats, dates. Separators are dropped first, so spaces between
    words do not count as randomness. Each match counts log2 of zxcvbn's guesses for it; what it cannot
    explain counts log2 of its character pool per character (26 lower, 26 upper, 10 digits, 33 symbols).
    Cached: the app checks on every run.
    """
    from zxcvbn import zxcvbn

    compact = _SEPARATORS.sub("", secret)[:512] or secret[:512]
    result = zxcvbn(compact, user_inputs=_CONTEXT_WORDS, max_length=512)
    bits = 0.0
    in_words = 0
    for match in result["sequence"]:
        token = str(match["token"])
        if match["pattern"] == "bruteforce":
            bits += len(token) * math.log2(_pool(token))
        else:
            bits += math.log2(max(float(match["guesses"]), 2.0))
            if match["pattern"] == "dictionary":
                in_words += len(token)
    return bits, in_words / len(compact)


def _pool(token: str) -> int:
    pool = 26 if any(c.islower() for c in token) else 0
    pool += 26 if any(c.isupper() for c in token) else 0
    pool += 10 if any(c.isdigit() for c in token) else 0
    pool += 33 if any(not c.isalnum() for c in token) else 0
    return max(pool, 2)


def sign_in_problems(secrets: Mapping[str, Any]) -> list[str]:
    """What is wrong in the ``[sign_in]`` section (whose e-mails count as verified; see docs/deploy.md)."""
    from assessment.users import provider_rule

    section = secrets.get("sign_in")
    if section is None:
        return []
    if not isinstance(section, Mapping):
        return ["[sign_in] must be a section (a table), see docs/deploy.md, Identity providers"]
    problems: list[str] = []
    named = {k: v for k, v in section.items() if isinstance(v, Mapping)}
    for title, sub in [("[sign_in]", {k: v for k, v in section.items() if k not in named})] + [
            (f"[sign_in.{k}]", v) for k, v in named.items()]:
        try:
            provider_rule(sub)
        except ValueError as exc:
            problems += [f"{title} {p}" for p in exc.args[0]]
    return problems


def auth_problems(secrets: Mapping[str, Any]) -> list[str]:
    """What is missing or unsafe in the ``[auth]`` section of ``.streamlit/secrets.toml``."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return ["sign-in is not configured: add an [auth] section to .streamlit/secrets.toml (see docs/deploy.md)"]
    problems = [f"[auth] {key} is missing" for key in AUTH_KEYS if key != "cookie_secret" and not auth.get(key)]
    why = weak_secret(auth.get("cookie_secret"))
    if why:
        problems.append(f"[auth] cookie_secret {why}")
    problems += sign_in_problems(secrets)
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
