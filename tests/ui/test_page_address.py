"""The page-address script (ui/page_address.py): what Streamlit's static handler serves, and a loud failure on upgrade.

The pages here are served in-process by Streamlit's own static-file handler (the one ``python -m ui.serve``
mounts), through Starlette's test client; ``tests/e2e/test_page_address_browser.py`` opens them in Chromium.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from streamlit import file_util

from ui import page_address, pages, serve, signin_cache, warm

ROUTES = importlib.import_module(page_address.ROUTES)
STATIC = file_util.get_static_dir()
TAG = page_address.script(["assess", "results"])


class Client:
    """Requests to an ASGI app in this process (httpx's ASGI transport)."""

    def __init__(self, handler: Any) -> None:
        self.app = Starlette(routes=[Mount("/", app=handler)])

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
                return await c.request(method, path, headers=headers)

        return asyncio.run(go())

    def get(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.request("GET", path, headers)

    def head(self, path: str) -> httpx.Response:
        return self.request("HEAD", path)


@pytest.fixture
def client() -> Client:
    """Streamlit's static files, wrapped as the launcher wraps them."""
    original = getattr(ROUTES, page_address.TARGET)
    return Client(page_address.wrap(original(STATIC, None), TAG))


def test_a_page_address_gets_the_script_first_in_its_head(client: Client) -> None:
    r = client.get("/assess?assessment=abc")
    assert r.status_code == 200
    head = r.text.split("<head>", 1)[1]
    assert head.startswith(TAG.decode())
    assert head.index(TAG.decode()) < head.index('<script type="module"')  # before Streamlit reads the setting
    assert int(r.headers["content-length"]) == len(r.content)


def test_the_page_keeps_no_validator_so_no_copy_without_the_script_is_reused(client: Client) -> None:
    r = client.get("/")
    assert TAG.decode() in r.text
    assert "etag" not in r.headers and "last-modified" not in r.headers
    assert r.headers["cache-control"] == "no-cache"
    # A copy kept from before (Streamlit's validators) is not confirmed: the page comes whole, with the script.
    for kept in ({"if-modified-since": "Wed, 01 Jan 2099 00:00:00 GMT"}, {"if-none-match": '"*"'}):
        again = client.get("/assess", headers=kept)
        assert again.status_code == 200 and TAG.decode() in again.text


def test_a_head_request_says_the_length_a_get_sends(client: Client) -> None:
    assert int(client.head("/results").headers["content-length"]) == len(client.get("/results").content)


def test_static_files_other_than_the_page_pass_untouched(client: Client) -> None:
    name = next(p.name for p in (Path(STATIC) / "static" / "js").glob("index.*.js"))
    r = client.get(f"/static/js/{name}")
    assert r.content == (Path(STATIC) / "static" / "js" / name).read_bytes()
    assert r.headers.get("etag")  # its validators are Streamlit's, unchanged
    assert client.get("/_stcore/health").status_code == 404  # reserved addresses are still refused (no route here)


def test_the_script_names_only_the_pages_and_cannot_end_its_element() -> None:
    tag = page_address.script(["assess", "x</script><script>alert(1)//"]).decode()
    assert tag.count("</script>") == 1 and tag.endswith("</script>")
    names = json.loads(re.search(r"var pages=(\[.*?\]);", tag).group(1))  # type: ignore[union-attr]
    assert names == ["assess", "x</script><script>alert(1)//"]


def test_a_page_without_head_is_left_as_it_is() -> None:
    assert page_address.inject(b"<html><body></body></html>", TAG) is None
    assert page_address.inject(b"<html><head></head></html>", b"X") == b"<html><head>X</head></html>"


def test_the_launcher_names_every_page_but_home() -> None:
    named = pages.url_paths()
    assert "home" not in named
    assert {"assess", "results", "compare", "exchange", "methodology", "review", "admin"} <= set(named)


def test_the_launcher_installs_the_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """``make run`` goes through ui.serve, which installs it before Streamlit builds its routes."""
    installed: list[list[str]] = []

    def install(url_paths: list[str]) -> bool:
        installed.append(list(url_paths))
        return True

    monkeypatch.setattr(serve, "startup_problems", lambda **_: [])
    monkeypatch.setattr(serve, "multi_user", lambda: False)
    monkeypatch.setattr(page_address, "install", install)
    monkeypatch.setattr(signin_cache, "install", lambda: True)
    monkeypatch.setattr(warm, "start", lambda: None)
    monkeypatch.setattr("streamlit.web.cli.main", lambda: 0)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    assert serve.main(["--server.address", "127.0.0.1"]) == 0
    assert installed == [pages.url_paths()]


def test_install_wraps_the_handler_streamlit_mounts(monkeypatch: pytest.MonkeyPatch) -> None:
    original = getattr(ROUTES, page_address.TARGET)
    monkeypatch.setattr(page_address, "_installed", False)
    monkeypatch.setattr(ROUTES, page_address.TARGET, original)  # restored after the test
    assert page_address.install(["assess"])
    patched = getattr(ROUTES, page_address.TARGET)
    assert patched is not original and patched.__wrapped__ is original
    assert page_address.install(["assess"])  # a second call patches nothing more
    assert getattr(ROUTES, page_address.TARGET) is patched
    # Streamlit's mount of its static files goes through the module-level name, so it gets the wrapped handler.
    mount = ROUTES.create_streamlit_static_assets_routes(None)[0]
    r = Client(mount.app).get("/compare")
    assert page_address.script(["assess"]).decode() in r.text


def test_the_switch_leaves_streamlit_as_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_address, "_installed", False)
    monkeypatch.setenv(page_address.SWITCH, "0")
    original = getattr(ROUTES, page_address.TARGET)
    assert not page_address.install(["assess"])
    assert getattr(ROUTES, page_address.TARGET) is original


# A Streamlit upgrade must be reviewed, not silently survived: these fail when what the patch relies on changes.

def test_the_installed_streamlit_is_one_the_patch_was_checked_against() -> None:
    import streamlit

    assert page_address.streamlit_supported(), (
        f"Streamlit {streamlit.__version__}: check ui/page_address.py against its static handler and browser code, "
        "then add it to SUPPORTED")
    assert not page_address.streamlit_supported("1.68.0")


def test_the_handler_and_the_page_have_the_expected_shape() -> None:
    assert page_address.target_problem(ROUTES, Path(STATIC) / "index.html") is None
    assert page_address.TARGET in ROUTES.create_streamlit_static_assets_routes.__code__.co_names


def test_the_browser_code_still_reads_the_setting_and_probes_a_page_address_first() -> None:
    """What the script answers: Streamlit's browser code takes ``window.__streamlit.BACKEND_BASE_URL`` as the
    server's address; without it, at a page's address, it probes the page's address first, then its parent."""
    bundle = next((Path(STATIC) / "static" / "js").glob("index.*.js")).read_text(encoding="utf-8")
    assert "window.__streamlit" in bundle and "BACKEND_BASE_URL" in bundle
    probe = re.search(r"function \w+\(\)\{let e=\w+\(\w+\.BACKEND_BASE_URL\),\{pathname:t\}=e;if\(t===`/`\)return\[e\];"
                      r"let n=t\.split\(`/`\)", bundle)
    assert probe, "Streamlit's base address probe changed: check ui/page_address.py"


def test_a_changed_handler_is_left_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    index = Path(STATIC) / "index.html"
    renamed = types.ModuleType(page_address.ROUTES)
    assert page_address.target_problem(renamed, index) == f"{page_address.ROUTES}.{page_address.TARGET} is gone"
    changed = types.ModuleType(page_address.ROUTES)
    setattr(changed, page_address.TARGET, lambda directory, base_url, extra: None)
    assert "takes ('directory', 'base_url', 'extra')" in (page_address.target_problem(changed, index) or "")
    headless = tmp_path / "index.html"
    headless.write_text("<html><body></body></html>")
    assert "has no <head>" in (page_address.target_problem(ROUTES, headless) or "")
    monkeypatch.setattr(page_address, "_installed", False)
    monkeypatch.setattr(page_address, "streamlit_supported", lambda: False)
    original = getattr(ROUTES, page_address.TARGET)
    assert not page_address.install(["assess"])
    assert getattr(ROUTES, page_address.TARGET) is original
    assert inspect.isfunction(original)
