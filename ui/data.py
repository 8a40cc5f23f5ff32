"""The app's door to the database and the questionnaire: cached once per process, one Session per call.

``st.cache_resource`` (global, shared by every session) holds the Engine (thread-safe) and the loaded
Questionnaire (immutable), so a rerun never reconnects nor re-reads YAML. Sessions are never cached.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assessment import db
from questionnaires import Questionnaire, default_questionnaire, load_questionnaire
from questionnaires.panel import PanelWeight, load_panel

QUESTIONNAIRE_ENV = "IOTREADY_QUESTIONNAIRE_DIR"


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return db.connect(url)


def engine() -> Engine:
    """The Engine for ``DATABASE_URL`` (or the per-user SQLite file); raises ``DatabaseUnavailable``."""
    return _engine(db.database_url())


@st.cache_resource(show_spinner=False)
def _questionnaire(directory: str) -> Questionnaire:
    return load_questionnaire(directory) if directory else default_questionnaire()


def questionnaire() -> Questionnaire:
    """The shipped questionnaire, or the folder named by ``IOTREADY_QUESTIONNAIRE_DIR`` (tests, drafts)."""
    return _questionnaire(os.environ.get(QUESTIONNAIRE_ENV, ""))


@st.cache_resource(show_spinner=False)
def _panel(directory: str) -> tuple[PanelWeight, ...] | None:
    found = load_panel(_questionnaire(directory))
    return None if found is None else tuple(found)


def panel() -> tuple[PanelWeight, ...] | None:
    """The expert panel's spread shipped with the questionnaire version (``weights_panel.csv``), or None."""
    return _panel(os.environ.get(QUESTIONNAIRE_ENV, ""))


@contextmanager
def session() -> Iterator[Session]:
    """A short-lived Session on the cached Engine (the service functions commit themselves)."""
    with Session(engine()) as s:
        yield s
