"""The mock OpenID Connect provider and the app in multi-user mode, for the browser tests that sign people in.

``oidc-provider-mock`` serves on 127.0.0.1 only; each person is a user the provider's page offers by its
subject. :func:`multi_user_app` writes an ``[auth]`` section pointing at the provider (and an optional
``[sign_in]`` rule) into a secrets file of the test's own and serves the app with it; each test seeds its
database first.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.test_browser import _free_port, _serve

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"


@contextmanager
def provider(people: Mapping[str, str | Mapping[str, object]], hits: Counter[str] | None = None) -> Iterator[str]:
    """The mock provider with one user per subject; yields its issuer URL.

    A person given as a string is that e-mail, verified; a mapping gives the claims as a provider would send
    them (an ``email_verified`` of ``"false"``, or none at all as Microsoft Entra ID does). ``hits``, when
    given, counts the requests per path (how often the app read the discovery document or the keys).
    """
    import oidc_provider_mock
    import werkzeug.serving

    users = [
        oidc_provider_mock.User(
            sub=sub, claims={"email": who, "email_verified": True} if isinstance(who, str) else dict(who))
        for sub, who in people.items()
    ]
    mock = oidc_provider_mock.app(user_claims=users)

    def counted(environ: dict[str, object], start_response: object) -> Iterable[bytes]:
        if hits is not None:
            hits[str(environ.get("PATH_INFO"))] += 1
        return mock(environ, start_response)

    server = werkzeug.serving.make_server("127.0.0.1", _free_port(), counted, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return f'"{value}"'


@contextmanager
def multi_user_app(tmp: Path, issuer: str, *, sign_in: Mapping[str, object] | None = None) -> Iterator[str]:
    """The app on ``tmp/app.db`` (already seeded) in multi-user mode, signing in at ``issuer``; yields its address."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    text = (
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(48)}"\n'
        'client_id = "iotready"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
    )
    if sign_in:
        text += "\n[sign_in]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in sign_in.items())
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(text, encoding="utf-8")
    extra = {"IOTREADY_MULTI_USER": "1", "IOTREADY_QUESTIONNAIRE_DIR": str(MINI)}
    with _serve(tmp, demo=False, extra_env=extra, args=["--secrets.files", str(secrets_file)], port=port):
        yield base
