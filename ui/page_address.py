"""Tell the browser where the app's server is, so a page opened at its own address connects at once.

Why: Streamlit's browser code, opened at a page's address (``/results?assessment=…``: a bookmark, a link in an
e-mail, a reload, the return from sign-in), cannot tell whether ``results`` is a page or a prefix the app is
served under. It asks ``/results/_stcore/health`` first, gets a 404, waits 100 ms and asks ``/_stcore/health``:
every page but Home, opened by its address, started that much later (docs/performance.md, issue 26).

What :func:`install` changes, and nothing else: the page Streamlit's static-file handler serves for every
page address (its ``index.html``) carries, before Streamlit's own scripts, a short script that sets
``window.__streamlit.BACKEND_BASE_URL`` (the start-up configuration Streamlit's browser code reads, for apps
embedded elsewhere) to the address without its last part, when that part is the ``url_path`` of one of the
app's pages. The browser then asks the right address first. Any other address (Home, a prefix set by a
reverse proxy, an unknown page) gets Streamlit's own probing, as before. The page keeps no validator headers
(``ETag``, ``Last-Modified``) and a request to confirm a copy kept from before gets it whole: it is 6 kB, and a
browser never reuses a copy without the script. Static files other than that page pass untouched.

Guarded like :mod:`ui.signin_cache`: it patches only the Streamlit versions in :data:`SUPPORTED` whose handler
factory and ``index.html`` have the expected shape; otherwise it logs why and leaves Streamlit as shipped
(the probe's 0.1 s, never a broken page). ``IOTREADY_PAGE_ADDRESS=0`` turns it off.
``tests/ui/test_page_address.py`` fails when a Streamlit upgrade changes what this relies on.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.streamlit_patch import signature_problem, version_supported

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

#: Streamlit versions (major.minor) whose static-file handler and browser code this module was checked against.
SUPPORTED = ("1.67",)
ROUTES = "streamlit.web.server.starlette.starlette_static_routes"
TARGET = "create_streamlit_static_handler"
SIGNATURE = ("directory", "base_url")
#: ``IOTREADY_PAGE_ADDRESS=0`` leaves Streamlit's page as shipped (the benchmark's "before").
SWITCH = "IOTREADY_PAGE_ADDRESS"
#: Where the script goes: first thing in the page's head, before Streamlit's module script reads the setting.
MARKER = b"<head>"

_installed = False


def source(url_paths: Iterable[str]) -> str:
    """The script: the server's address is the page's address without a last part naming a page.

    The page names are JSON in the script (never HTML-significant: ``<`` is escaped), so a name cannot end it.
    """
    names = json.dumps(sorted(set(url_paths))).replace("<", "\\u003c")
    return (
        f"(function(){{var pages={names};var parts=location.pathname.split('/');"
        "var last=decodeURIComponent(parts[parts.length-1]);"
        "if(pages.indexOf(last)<0)return;parts.pop();"
        "window.__streamlit=Object.assign({},window.__streamlit||{},"
        "{BACKEND_BASE_URL:location.origin+parts.join('/')+'/'});})();"
    )


def script(url_paths: Iterable[str]) -> bytes:
    """The ``<script>`` element added to the page."""
    return f"<script>{source(url_paths)}</script>".encode()


def csp_hash(url_paths: Iterable[str]) -> str:
    """The script's hash as a Content-Security-Policy ``script-src`` source, for a proxy that sets one."""
    digest = hashlib.sha256(source(url_paths).encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def inject(page: bytes, tag: bytes) -> bytes | None:
    """``page`` with ``tag`` right after its ``<head>``; None when the page has no ``<head>`` (left as it is)."""
    at = page.find(MARKER)
    if at < 0:
        return None
    end = at + len(MARKER)
    return page[:end] + tag + page[end:]


def wrap(app: ASGIApp, tag: bytes) -> ASGIApp:
    """``app`` (Streamlit's static files) with ``tag`` added to every HTML page it sends whole (status 200)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await app(scope, receive, send)
            return
        last = str(scope.get("path", "")).rsplit("/", 1)[-1]
        if "." not in last or last.endswith(".html"):  # a page, not a script or a picture
            # A copy the browser kept from before has no script: asked to confirm it, the server sends it whole.
            scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", [])
                                          if k.lower() not in (b"if-none-match", b"if-modified-since")]}
        start: Message | None = None
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and start is None:
                kind = dict((k.lower(), v) for k, v in message.get("headers", [])).get(b"content-type", b"")
                if message.get("status") == 200 and kind.startswith(b"text/html"):
                    start = message  # held until the whole page is here
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body)
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() not in (b"etag", b"last-modified", b"content-length")]
            if scope.get("method") == "HEAD":  # no body: the length is what GET sends, with the script
                out, length = page, _length(start) + len(tag)
            else:
                out = inject(page, tag) or page
                length = len(out)
            headers.append((b"content-length", str(length).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": out})

        await app(scope, receive, capture)

    return wrapped


def _length(start: Message) -> int:
    for k, v in start.get("headers", []):
        if k.lower() == b"content-length":
            return int(v)
    return 0


def streamlit_supported(version: str | None = None) -> bool:
    """Whether this Streamlit version (default: the installed one) is one the patch was checked against."""
    return version_supported(SUPPORTED, version)


def target_problem(routes: Any, index: Path) -> str | None:
    """Why the handler factory or ``index.html`` cannot be patched, or None when both have the expected shape."""
    problem = signature_problem(routes, TARGET, SIGNATURE)
    if problem:
        return problem
    try:
        page = index.read_bytes()
    except OSError as exc:
        return f"{index} cannot be read ({exc.strerror})"
    if MARKER not in page:
        return f"{index} has no {MARKER.decode()}"
    if b"__streamlit" in page:
        return f"{index} sets window.__streamlit itself"
    return None


def install(url_paths: Iterable[str]) -> bool:
    """Patch Streamlit's static-file handler (once per process); False, with the reason logged, when it is not."""
    global _installed
    if _installed:
        return True
    if os.environ.get(SWITCH, "1") == "0":
        log.info("page address script off (%s=0)", SWITCH)
        return False
    if not streamlit_supported():
        import streamlit

        log.warning("page address script not installed: Streamlit %s is not in %s", streamlit.__version__, SUPPORTED)
        return False
    import importlib

    from streamlit import file_util

    routes = importlib.import_module(ROUTES)
    problem = target_problem(routes, Path(file_util.get_static_dir()) / "index.html")
    if problem:
        log.warning("page address script not installed: %s", problem)
        return False
    names = list(url_paths)
    tag = script(names)
    original = getattr(routes, TARGET)

    @functools.wraps(original)
    def handler(directory: str, base_url: str | None) -> Any:
        return wrap(original(directory, base_url), tag)

    setattr(routes, TARGET, handler)
    _installed = True
    log.info("page address script installed; its Content-Security-Policy hash is %s", csp_hash(names))
    return True
