"""The error boundary: an unexpected exception becomes a friendly message with a reference id.

The traceback goes to the log file (``assessment.logs``) under that id, never to the screen, so a user
can quote the id to support. Streamlit's own control flow (``st.stop``, ``st.rerun``) derives from
BaseException and passes through untouched.
"""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from assessment.db import is_disk_full
from assessment.logs import configure_logging
from questionnaires.messages import t
from ui import state

log = logging.getLogger("iotready.app")
P = ParamSpec("P")
R = TypeVar("R")
PENDING = "ui.pending_error"
# Downloads that failed in Streamlit's worker thread (no session state there): session id -> reference.
_FAILED_DOWNLOADS: dict[str, str] = {}
_LOCK = threading.Lock()


def new_reference() -> str:
    return uuid.uuid4().hex[:8].upper()


def report(exc: BaseException) -> str:
    """Log ``exc`` with its traceback under a new reference id and return the id."""
    configure_logging()
    ref = new_reference()
    log.error("unexpected error, reference %s", ref, exc_info=(type(exc), exc, exc.__traceback__))
    return ref


DISK_FULL = "disk-full"  # stands for a reference: the reader is told what happened, not given an id


def show(ref: str) -> None:
    if ref == DISK_FULL:
        st.error(t("ui.error.disk_full", state.lang()), icon=":material/hard_drive:")
        return
    st.error(t("ui.error.unexpected", state.lang(), ref=ref), icon=":material/error:")


def session_id() -> str | None:
    """This browser session's id (None outside a script run), to tell it later that a download failed."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def download_failed(session: str | None, ref: str) -> None:
    """Remember, from any thread, that a download of ``session`` failed: its next run says so."""
    if session is not None:
        with _LOCK:
            _FAILED_DOWNLOADS[session] = ref


def _show_failed_download() -> None:
    ident = session_id()
    if ident is None:
        return
    with _LOCK:
        ref = _FAILED_DOWNLOADS.pop(ident, None)
    if ref is not None:
        st.error(t("ui.error.download", state.lang(), ref=ref), icon=":material/error:")


def reference(exc: BaseException) -> str:
    """What to show for ``exc``: the disk-full message (nothing was written), else a logged reference id."""
    if is_disk_full(exc):
        configure_logging()
        log.error("the disk or database is full", exc_info=(type(exc), exc, exc.__traceback__))
        return DISK_FULL
    return report(exc)


@contextmanager
def boundary() -> Iterator[None]:
    """Run a page (or a fragment) so that any exception is shown as a friendly message only."""
    pending = st.session_state.pop(PENDING, None)
    if pending:
        show(pending)
    _show_failed_download()
    try:
        yield
    except Exception as exc:  # the boundary: everything not handled deeper ends here
        show(reference(exc))


def guarded(func: Callable[P, R]) -> Callable[P, R | None]:
    """Wrap a widget callback or fragment body in the boundary (they run outside the page's ``with``)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            ref = reference(exc)
            # A callback runs before the script: keep the id for the page to show in this rerun.
            st.session_state[PENDING] = ref
            return None

    return wrapper
