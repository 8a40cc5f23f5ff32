"""Session-state keys, in one place, so pages, callbacks and tests agree on them."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from questionnaires.messages import DEFAULT_LANG, languages

# The sidebar language switch (its widget key is the state key, and the URL's ``?lang=``, so a reload or
# a shared link keeps the language).
LANG = "lang"
# The language chosen, kept apart from the switch's widget value: Streamlit may drop or reset a widget's
# value when the page changes, and the reader's language must survive every navigation.
LANG_CHOSEN = "ui.lang"
# The assessment being worked on, and our own copy of its answers (widget values are dropped when a
# widget is not rendered, streamlit#5813, so the answers live here and in the database, not in widgets).
ASSESSMENT_ID = "ui.assessment_id"
DRAFT = "ui.draft"
# Assess page: current pillar step, per-question inline messages and save times.
STEP = "assess.step"
JUMP = "assess.jump"
ERRORS = "assess.errors"
CONFLICTS = "assess.conflicts"
SAVED = "assess.saved"
CONFIRMING = "assess.confirming"  # the submit confirmation is open
PENDING = "assess.pending"  # "not applicable" ticked, waiting for its justification (a note, not an error)
FAILED = "assess.failed"  # changes the database did not take (unreachable), saved again when it answers
# Home page widgets.
HOME_COUNTRY = "home.country"
HOME_CYCLE = "home.cycle"
HOME_START = "home.start"
HOME_PICK = "home.pick"
HOME_OPEN = "home.open"
HOME_RESULTS = "home.results"
HOME_GRID = "home.grid"  # Home's list as the interactive data grid (sort, search, every row)
# Results page widgets.
TARGET_PREFIX = "results.target."
PLAN_PILLAR = "results.plan.pillar"
PLAN_TIER = "results.plan.tier"
ROADMAP_DETAIL = "results.roadmap.detail"
# Results' folded sections, drawn only while open (issue 26: their pickers and tables were drawn folded too).
TARGETS_OPEN = "results.targets.open"
BREAKDOWN_OPEN = "results.breakdown.open"
PLAN_OPEN = "results.plan.open"
COMPARE_TAB = "compare.tab"
# Methodology page widget.
METHOD_PILLAR = "method.pillar"
# Compare page widgets.
COMPARE_DEMO = "compare.illustrative"
COMPARE_DRAFTS = "compare.drafts"
COMPARE_CYCLE = "compare.cycle"
COMPARE_SCOPE = "compare.scope"
COMPARE_GROUP = "compare.group"
COMPARE_COUNTRIES = "compare.countries"
COMPARE_FOCUS = "compare.focus"
COMPARE_MEASURE = "compare.measure"
COMPARE_RADAR = "compare.radar"
COMPARE_TREND = "compare.trend"
COMPARE_STABILITY_DRAW = "compare.stability_draw"
COMPARE_PUBLISHED_CYCLE = "compare.published_cycle"  # a country user with no data of their own
# URL query parameters: a reload (a new browser session) resumes the same assessment and pillar.
QP_ASSESSMENT = "assessment"
QP_PILLAR = "pillar"

Part = Literal["value", "na", "dk", "just", "evidence", "comment", "review"]
PARTS: tuple[Part, ...] = ("value", "na", "dk", "just", "evidence", "comment", "review")


def widget_key(question_id: str, part: Part) -> str:
    """The key of one of a question's widgets, e.g. ``q.pol_framework.value``."""
    return f"q.{question_id}.{part}"


def lang() -> str:
    """The UI language of this session (English until the user switches)."""
    value = st.session_state.get(LANG_CHOSEN, st.session_state.get(LANG, DEFAULT_LANG))
    return value if value in languages() else DEFAULT_LANG


# The language each worded picker was last drawn in (see reword).
WORDED_IN = "ui.worded_in"


def reword(key: str, current: str) -> None:
    """Call before drawing the picker ``key`` whose options are words in the reader's language.

    Streamlit's browser side holds a radio's or a picker's choice by the option's words, not by the option: after
    a language switch (a rerun, ``ui.nav.language_links``) the new words matched none, so the picker showed nothing
    chosen while the page followed the choice the session holds. The first run in a new language sets the value
    again, which sends it to the browser in the new words.
    """
    drawn_in: dict[str, str] = st.session_state.setdefault(WORDED_IN, {})
    if drawn_in.get(key, current) != current and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    drawn_in[key] = current
