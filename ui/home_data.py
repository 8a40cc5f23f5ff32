"""The Home page's list of assessments, read once per database state and shared by every session.

A rerun (any click on Home) asks the database only for :func:`assessment.service.data_stamp` (one
aggregate query, read once per rerun by :func:`ui.cache_keys.reader_stamp` and passed to the cached readers); the
list (stored scores, :func:`assessment.service.list_assessments`) and its display table are rebuilt only after a
write.
Cached objects are shared and must be treated as read-only.
The acting user (and their grants) is part of the key: what one user may see is never served to another.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from assessment import service
from assessment.access import ActorLike
from assessment.filters import AssessmentFilter
from questionnaires.loader import Questionnaire
from ui import auth, cache_keys, data


@st.cache_resource(max_entries=4, show_spinner=False)
def _assessments(
    stamp: str, _questionnaire: Questionnaire, _actor: ActorLike
) -> tuple[service.AssessmentSummary, ...]:
    with data.session() as s:
        return tuple(service.list_assessments(s, AssessmentFilter(questionnaire=_questionnaire), actor=_actor))


def assessments(state: str | None = None) -> tuple[service.AssessmentSummary, ...]:
    """Every assessment the user may see, with stored scores, real ones first (:func:`service.list_assessments`).

    ``state`` is a :func:`ui.cache_keys.reader_stamp` the caller already read in this rerun (saves a query); None
    reads it.
    """
    return _assessments(state or cache_keys.reader_stamp(), data.questionnaire(), auth.actor())


@st.cache_resource(max_entries=8, show_spinner=False)
def _ordered(
    stamp: str, lang: str, _order: Callable[[], list[service.AssessmentSummary]]
) -> list[service.AssessmentSummary]:
    return _order()


def ordered(
    state: str, lang: str, order: Callable[[], list[service.AssessmentSummary]]
) -> list[service.AssessmentSummary]:
    """The list in the order ``order`` gives for ``lang`` (e.g. by country name), once per data state
    (``state``, a :func:`ui.cache_keys.reader_stamp` read once per rerun) and language."""
    return _ordered(state, lang, order)


@st.cache_resource(max_entries=8, show_spinner=False)
def _table(stamp: str, lang: str, _build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    return _build()


def table(state: str, lang: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The display table of the list in ``lang``, built by ``build`` once per data state (``state``) and language."""
    return _table(state, lang, build)
