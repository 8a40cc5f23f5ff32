"""``python -m ui.serve [streamlit options]``: start the app only where it is safe to listen.

Refuses (exit status 2, nothing started) to listen beyond loopback without the multi-user mode, and
refuses the multi-user mode without sign-in configured or with a missing or weak cookie secret.
Otherwise it runs ``streamlit run app.py`` with the same options, and warms the process in the background
(:mod:`ui.warm`) so the first visitor does not pay for imports and the first scoring; in multi-user mode it
keeps the identity provider's metadata between sign-in requests (:mod:`ui.signin_cache`).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from ui.security import multi_user, read_secrets, startup_problems

APP = Path(__file__).resolve().parents[1] / "app.py"


def _address(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--server.address" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
    if os.environ.get("STREAMLIT_SERVER_ADDRESS"):
        return os.environ["STREAMLIT_SERVER_ADDRESS"]
    config = Path.cwd() / ".streamlit" / "config.toml"
    if config.is_file():
        with config.open("rb") as fh:
            return tomllib.load(fh).get("server", {}).get("address")
    return None  # Streamlit's default: every interface


def main(args: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if args is None else args)
    problems = startup_problems(address=_address(argv), secrets=read_secrets(), multi=multi_user())
    if problems:
        print("The app was not started:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 2
    from streamlit.web import cli as stcli

    from ui import page_address, pages, signin_cache, warm

    page_address.install(pages.url_paths())  # a page opened by its address connects without a 0.1 s probe
    if multi_user():
        signin_cache.install()  # the provider's metadata kept between sign-in requests (docs/security.md)
    warm.start()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    return int(stcli.main() or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
