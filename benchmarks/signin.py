"""Sign-in as a reader waits for it, against a page load of the same app, in Chromium.

`python -m benchmarks.signin [ROUNDS]` serves the app in multi-user mode beside a mock OpenID Connect
provider (`oidc-provider-mock`, on 127.0.0.1 only), then, `ROUNDS` times (default 5), in a fresh browser
profile: opens the app, clicks **Sign in**, picks the user on the provider's page and waits until the app
is drawn for the signed-in user. It splits the wait where it goes:

- *to the provider*: the click until the provider's page (the app builds the authorization request;
  Authlib reads the provider's discovery document);
- *back to the app*: the provider's button until the app is drawn (the provider's redirect, the token
  exchange and ID-token check in `/oauth2callback`, the session cookie, and the first script run, which
  binds the invitation and records the sign-in);

and compares the whole round trip with a page load of the signed-in user (the same page opened again, the
floor a sign-in cannot beat), measured in the same rounds. Two servers run side by side, interleaved: Streamlit's
sign-in as shipped (``IOTREADY_SIGNIN_CACHE=0``) and with the provider's metadata kept (:mod:`ui.signin_cache`),
each with its own mock provider, which counts the discovery documents and keys (JWKS) it served per sign-in.
It also prints the app's own time on ``/auth/login`` and ``/oauth2callback`` (request sent to first byte).
A benchmark, not a test: nothing asserts a time.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from benchmarks.browser_pages import CHROMIUM, CHROMIUM_ARGS, ROOT, SETTLED, _free_port, _serve

EMAIL = "fp@ken.example"


@contextmanager
def _provider(hits: Counter[str]) -> Iterator[str]:
    import oidc_provider_mock
    import werkzeug.serving

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request would bury the figures

    users = [oidc_provider_mock.User(sub="fp-ken", claims={"email": EMAIL, "email_verified": True})]
    mock = oidc_provider_mock.app(user_claims=users)

    def counted(environ: dict[str, Any], start_response: Any) -> Any:
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


def _database(tmp: Path) -> str:
    from sqlmodel import Session

    from assessment import db, users

    url = f"sqlite:///{tmp / 'signin.db'}"
    with Session(db.connect(url)) as s:
        users.invite(s, email=EMAIL, role="focal_point", country="KEN")
    return url


@dataclass
class Variant:
    """One app server and its own provider, and what its rounds measured."""

    label: str
    env: dict[str, str]
    hits: Counter[str] = field(default_factory=Counter)
    base: str = ""
    to_idp: list[float] = field(default_factory=list)
    back: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    server: dict[str, list[float]] = field(default_factory=lambda: {"/auth/login": [], "/oauth2callback": []})


def _secrets(tmp: Path, name: str, base: str, issuer: str) -> Path:
    path = tmp / f"secrets-{name}.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(48)}"\n'
        'client_id = "iotready"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def _round(browser: Any, v: Variant, count: bool) -> None:
    """One sign-in in a fresh profile, then a page load of the signed-in user, timed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # The mock provider's page asks a CDN for its stylesheet: refused at once, so no network reaches the figures.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(60_000)

    def served(request: Any) -> None:  # the app's own time on its two sign-in routes (request sent to first byte)
        path = urlparse(request.url).path
        if count and path in v.server:
            timing = request.timing
            v.server[path].append((timing["responseStart"] - timing["requestStart"]) / 1000)

    page.on("requestfinished", served)
    page.goto(v.base)
    page.wait_for_function(SETTLED)
    start = time.perf_counter()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    mid = time.perf_counter()
    page.get_by_role("button", name="fp-ken", exact=True).click()
    page.wait_for_url(f"{v.base}/**")
    page.get_by_text(f"Signed in as {EMAIL}").wait_for()
    page.wait_for_function(SETTLED)
    end = time.perf_counter()
    load_start = time.perf_counter()
    page.goto(v.base)
    page.get_by_text(f"Signed in as {EMAIL}").wait_for()
    page.wait_for_function(SETTLED)
    load = time.perf_counter() - load_start
    context.close()
    if count:
        v.to_idp.append(mid - start)
        v.back.append(end - mid)
        v.loads.append(load)


def main(rounds: int | None = None) -> None:
    from playwright.sync_api import sync_playwright

    rounds = rounds or (int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 5)
    if not Path(CHROMIUM).exists():
        print("skipped: /usr/bin/chromium is missing (apt-get install chromium)")
        return
    variants = [
        Variant("Streamlit alone (IOTREADY_SIGNIN_CACHE=0)", {"IOTREADY_SIGNIN_CACHE": "0"}),
        Variant("with the provider's metadata kept (ui/signin_cache.py)", {}),
    ]
    with tempfile.TemporaryDirectory(prefix="iotready-signin-bench-") as name, ExitStack() as stack:
        tmp = Path(name)
        url = _database(tmp)
        for n, v in enumerate(variants):
            issuer = stack.enter_context(_provider(v.hits))
            port = _free_port()
            v.base = f"http://127.0.0.1:{port}"
            env = {**os.environ, "DATABASE_URL": url, "IOTREADY_LOG_DIR": str(tmp / "logs"),
                   "IOTREADY_MULTI_USER": "1", **v.env}
            if not v.env:
                env.pop("IOTREADY_SIGNIN_CACHE", None)
            # streamlit run: ui.serve reads .streamlit/secrets.toml only, and this secrets file is elsewhere;
            # app.py installs the cache on its first run, as in the browser tests.
            stack.enter_context(_serve(ROOT / "app.py", env, tmp / f"app-{n}.log", port=port,
                                       extra=["--secrets.files", str(_secrets(tmp, str(n), v.base, issuer))]))
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for i in range(rounds + 1):  # the first round warms each server and is not counted
            for v in variants:
                _round(browser, v, count=i > 0)
        browser.close()
    print(f"sign-in, {rounds} rounds (medians; each variant's rounds interleaved with the other's)")
    for v in variants:
        t_idp, t_back, t_load = (statistics.median(x) for x in (v.to_idp, v.back, v.loads))
        trip = t_idp + t_back
        login, callback = (statistics.median(v.server[k]) if v.server[k] else float("nan") for k in v.server)
        signins = max(v.hits["/oauth2/token"], 1)
        print(f"{v.label}:\n  to the provider {t_idp:.2f} s; back to the app {t_back:.2f} s; round trip {trip:.2f} s "
              f"= {trip / t_load:.2f}× a signed-in page load ({t_load:.2f} s)\n"
              f"  the app's own time: /auth/login {1000 * login:.0f} ms, /oauth2callback {1000 * callback:.0f} ms; "
              f"downloads per sign-in: discovery document {v.hits['/.well-known/openid-configuration'] / signins:.2f}, "
              f"keys {v.hits['/jwks'] / signins:.2f} ({signins} sign-ins)")


if __name__ == "__main__":
    main()
