"""Issue 20, point 7b: the database becomes unreachable while a comment is saved.

Before, the crash box said "your saved answers are safe, reload" while the comment showed "✓ Saved" with no
orange frame, and the reload lost it. Now the field stays marked unsaved, the message says the save failed and
the text is still in the box, and the change is saved once the database answers again.

The database is cut at the connection level: a small TCP proxy in front of PostgreSQL that the test stops and
starts again (the app's pool then meets refused connections, as when the server or the network goes down).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from streamlit.testing.v1 import AppTest

from assessment import db
from tests.conftest import _pg_schema_url
from tests.ui.conftest import APP, MINI, Env, Q, open_more, texts

pytestmark = pytest.mark.postgres

PG_ENV = "TEST_DATABASE_URL"


class Proxy:
    """A TCP proxy on 127.0.0.1 to ``target``; :meth:`stop` refuses and cuts every connection, :meth:`start`
    listens again on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._running = False

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener, self._running = listener, True
        self._thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while self._running:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if not self._running:
                client.close()
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        sel = selectors.DefaultSelector()
        sel.register(a, selectors.EVENT_READ, b)
        sel.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                for key, _ in sel.select():
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            for s in (a, b):
                s.close()

    def stop(self) -> None:
        self._running = False
        if self._listener is not None:
            with contextlib.suppress(OSError):  # wakes the thread in accept(); close() alone left it listening
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
        with self._lock:
            for s in self._conns:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._conns.clear()
        if self._thread is not None:
            self._thread.join(timeout=5)


@pytest.fixture
def cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Env, Proxy]]:
    """The app's environment on a fresh PostgreSQL schema reached through a proxy the test can cut."""
    base = os.environ.get(PG_ENV, "").strip()
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    real = make_url(db.normalise_url(base))
    proxy = Proxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.start()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = db.make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _pg_schema_url(real.set(port=proxy.port).render_as_string(hide_password=False), schema)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(MINI))
    monkeypatch.setenv("IOTREADY_LOG_DIR", str(tmp_path / "logs"))
    try:
        yield Env(url=url, log_dir=tmp_path / "logs", questionnaire=Q), proxy
    finally:
        proxy.stop()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _assess(env: Env, assessment_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "fr"
    at.query_params["assessment"] = assessment_id
    at.run()
    at.switch_page("ui/pages/assess.py")
    at.query_params["assessment"] = assessment_id
    return at.run()


def test_a_comment_typed_while_the_database_is_cut_stays_unsaved_then_is_saved_when_it_returns(
    cut: tuple[Env, Proxy],
) -> None:
    env, proxy = cut
    ken = env.create("KEN")
    at = _assess(env, ken)
    question = Q.questions_in(Q.pillars[0].id)[0].id
    box = f"q.{question}.comment"
    open_more(at, question)  # the comment box is sent only while its section is open (issue 26)
    assert not at.exception

    proxy.stop()  # the database goes away between two clicks
    at.text_area(key=box).set_value("Source : enquête nationale 2025").run()
    shown = texts(at)
    assert not at.exception
    assert "Un problème est survenu" not in shown and "Something went wrong" not in shown, shown
    assert any("La base de données est injoignable" in e.value and "toujours dans le champ" in e.value
               for e in at.error), shown
    assert "Enregistré à" not in shown  # no "✓ Saved" beside text that is not saved
    assert any(f".st-key-q-{question}-comment" in h.proto.body for h in at.get("html"))  # the orange frame
    assert at.text_area(key=box).value == "Source : enquête nationale 2025"

    proxy.start()  # the database answers again: the next run (the page tries every few seconds) saves it
    at.run()
    assert not at.exception
    saved = env.saved(ken, question)
    assert saved is not None and saved.comment == "Source : enquête nationale 2025"
    assert not [e for e in at.error if "injoignable" in e.value]
    assert "Enregistré à" in texts(at)
