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
floor a sign-in cannot beat), measured in the same rounds. A benchmark, not a test: nothing asserts a time.
"""

from __future__ import annotations

import logging
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.browser_pages import CHROMIUM, CHROMIUM_ARGS, ROOT, SETTLED, _free_port, _serve

EMAIL = "fp@ken.example"


@contextmanager
def _provider() -> Iterator[str]:
    import oidc_provider_mock
    import werkzeug.serving

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request would bury the figures

    users = [oidc_provider_mock.User(sub="fp-ken", claims={"email": EMAIL, "email_verified": True})]
    server = werkzeug.serving.make_server("127.0.0.1", _free_port(), oidc_provider_mock.app(user_claims=users),
                                          threaded=True)
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


def main(rounds: int | None = None) -> None:
    from playwright.sync_api import sync_playwright

    rounds = rounds or (int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 5)
    if not Path(CHROMIUM).exists():
        print("skipped: /usr/bin/chromium is missing (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory(prefix="iotready-signin-bench-") as name, _provider() as issuer:
        tmp = Path(name)
        url = _database(tmp)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        secrets_file = tmp / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{base}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(48)}"\n'
            'client_id = "iotready"\n'
            f'client_secret = "{secrets.token_urlsafe(16)}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "DATABASE_URL": url, "IOTREADY_LOG_DIR": str(tmp / "logs"), "IOTREADY_MULTI_USER": "1"}
        to_idp: list[float] = []
        back: list[float] = []
        loads: list[float] = []
        # streamlit run: ui.serve reads .streamlit/secrets.toml only, and this secrets file is elsewhere.
        with _serve(ROOT / "app.py", env, tmp / "app.log", port=port, extra=["--secrets.files", str(secrets_file)]), \
                sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for i in range(rounds + 1):  # the first round warms the server and is not counted
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(60_000)
                page.goto(base)
                page.wait_for_function(SETTLED)
                start = time.perf_counter()
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url("**/oauth2/authorize**")
                mid = time.perf_counter()
                page.get_by_role("button", name="fp-ken", exact=True).click()
                page.wait_for_url(f"{base}/**")
                page.get_by_text(f"Signed in as {EMAIL}").wait_for()
                page.wait_for_function(SETTLED)
                end = time.perf_counter()
                load_start = time.perf_counter()
                page.goto(base)
                page.get_by_text(f"Signed in as {EMAIL}").wait_for()
                page.wait_for_function(SETTLED)
                load = time.perf_counter() - load_start
                context.close()
                if i:
                    to_idp.append(mid - start)
                    back.append(end - mid)
                    loads.append(load)
            browser.close()
    t_idp, t_back, t_load = (statistics.median(x) for x in (to_idp, back, loads))
    trip = t_idp + t_back
    print(f"sign-in, {rounds} rounds (medians): to the provider {t_idp:.2f} s; back to the app {t_back:.2f} s; "
          f"round trip {trip:.2f} s = {trip / t_load:.2f}× a signed-in page load ({t_load:.2f} s)")


if __name__ == "__main__":
    main()
