"""The Compare page's data: every assessment scored once per database state, and cached analyses.

A rerun asks the database only for :func:`assessment.service.data_stamp` (one aggregate query); the
documents and their scores frame are rebuilt only when the stamp changes, so a filter change never
re-reads or re-scores ~1,000 assessments. Cached objects are shared and must be treated as read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from answers.document import AnswersDocument, check_answers
from assessment import service
from assessment.access import LOCAL_ADMIN, ActorLike
from compare import (
    ChangeReport,
    assistance_needs,
    change_since_last_cycle,
    distribution,
    group_medians,
    map_data,
    rank_stability,
    ranks,
    scores_frame,
    select,
)
from compare.stats import distribution_summary
from questionnaires.loader import Questionnaire
from ui import auth, data

ROW = "_row"  # position of a frame row's document in Dataset.docs


@dataclass(frozen=True)
class Selection:
    """What the adviser chose; the same selection drives every figure, table and export of the page."""

    illustrative: bool
    submitted_only: bool
    cycle: int | None
    group: str | None = None
    countries: tuple[str, ...] | None = None

    def filters(self) -> dict[str, object]:
        """The selection as recorded in an export's metadata."""
        return {
            "illustrative": self.illustrative, "submitted_only": self.submitted_only, "cycle": self.cycle,
            "group": self.group, "countries": list(self.countries) if self.countries is not None else None,
        }


@dataclass(frozen=True)
class Dataset:
    """All assessments of the current questionnaire version, with their scores (row i = docs[i])."""

    stamp: str
    docs: tuple[AnswersDocument, ...]
    frame: pd.DataFrame
    outdated: int = 0  # assessments the current questionnaire cannot score (another version), left out
    cycles: dict[bool, list[int]] = field(default_factory=dict)  # illustrative flag -> cycles, newest first
    _selected: dict[tuple[Selection, bool], pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    def rows(self, selection: Selection, *, all_cycles: bool = False) -> pd.DataFrame:
        """The frame rows of ``selection`` (of every cycle when ``all_cycles``, for trends); read-only.

        Remembered per selection: the Dataset is rebuilt after any write, so this never goes stale.
        """
        key = (selection, all_cycles)
        if key not in self._selected:
            if len(self._selected) > 64:
                self._selected.clear()
            self._selected[key] = select(
                self.frame, countries=selection.countries, group=selection.group,
                cycle=None if all_cycles else selection.cycle, submitted_only=selection.submitted_only,
                illustrative=selection.illustrative,
            )
        return self._selected[key]

    def documents(self, rows: pd.DataFrame) -> list[AnswersDocument]:
        """The answers documents behind frame rows, in the same order."""
        return [self.docs[i] for i in rows[ROW]]


def _build(questionnaire: Questionnaire, stamp: str, actor: ActorLike = LOCAL_ADMIN) -> Dataset:
    with data.session() as s:
        docs = service.export_documents(s, questionnaire=questionnaire, actor=actor)
    # Only what the current questionnaire can score: another version, or content changed under the same
    # version (hash), is left out and counted rather than failing the whole page.
    current = tuple(d for d in docs if not check_answers(questionnaire, d))
    frame = scores_frame(questionnaire, current, check=False)  # checked just above
    frame[ROW] = range(len(frame))
    frame["illustrative"] = frame["illustrative"].astype(bool)
    cycles = {
        flag: sorted({int(c) for c in frame.loc[frame["illustrative"] == flag, "cycle"]}, reverse=True)
        for flag in (False, True)
    }
    return Dataset(stamp=stamp, docs=current, frame=frame, outdated=len(docs) - len(current), cycles=cycles)


@st.cache_resource(max_entries=2, show_spinner=False)
def _dataset(stamp: str, _questionnaire: Questionnaire, _actor: ActorLike = LOCAL_ADMIN) -> Dataset:
    return _build(_questionnaire, stamp, _actor)


def dataset() -> Dataset:
    """The scored assessments for the current database state (rebuilt only after a write).

    The stamp names the database, the questionnaire and the data state, so it keys every cache below.
    """
    questionnaire = data.questionnaire()
    actor = auth.actor()
    with data.session() as s:
        state = service.data_stamp(s, actor=actor)
    # The acting user is part of the key: what one user may see is never served to another.
    who = actor if isinstance(actor, str) else actor.name
    stamp = f"{data.engine().url!r}|{questionnaire.id}|{questionnaire.content_hash}|{who}|{state}"
    return _dataset(stamp, questionnaire, actor)


@st.cache_data(max_entries=16, show_spinner=False)
def stability(stamp: str, selection: Selection, _rows: pd.DataFrame) -> pd.DataFrame:
    """Seeded Monte-Carlo rank stability of the selection's countries (cached per data state and selection)."""
    return rank_stability(data.questionnaire(), _rows.drop_duplicates("country", keep="last"))


@st.cache_data(max_entries=16, show_spinner=False)
def selection_ranks(stamp: str, selection: Selection, _rows: pd.DataFrame) -> pd.DataFrame:
    """Ranks with ties of the selection's countries (cached per data state and selection)."""
    return ranks(_rows)


@st.cache_data(max_entries=64, show_spinner=False)
def map_points(stamp: str, selection: Selection, pillar: str | None, lang: str, _rows: pd.DataFrame) -> pd.DataFrame:
    """The world map's values of the selection for the overall score or one pillar."""
    return map_data(_rows, data.questionnaire(), pillar=pillar, lang=lang)


@st.cache_data(max_entries=64, show_spinner=False)
def change_report(stamp: str, selection: Selection, country: str, lang: str,
                  _docs: Sequence[AnswersDocument]) -> ChangeReport | None:
    """What moved for ``country`` from its previous cycle to the selection's cycle (cached per country)."""
    return change_since_last_cycle(
        data.questionnaire(), _docs, country, cycle=selection.cycle, submitted_only=selection.submitted_only,
        illustrative=selection.illustrative, lang=lang,
    )


@st.cache_data(max_entries=16, show_spinner=False)
def selection_medians(stamp: str, selection: Selection, _rows: pd.DataFrame) -> pd.DataFrame:
    """Median scores of every region and group in the selection (cached: ~11 ms of pandas per rerun otherwise)."""
    return group_medians(_rows, data.questionnaire())


@st.cache_data(max_entries=16, show_spinner=False)
def selection_distribution(stamp: str, selection: Selection, _rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every pillar score of the selection (long form) and its per-pillar summary (cached: ~8 ms per rerun)."""
    questionnaire = data.questionnaire()
    return distribution(_rows, questionnaire), distribution_summary(_rows, questionnaire)


@st.cache_data(max_entries=16, show_spinner=False)
def assistance(stamp: str, selection: Selection, lang: str, _docs: Sequence[AnswersDocument],
               _rows: pd.DataFrame) -> pd.DataFrame:
    """The assistance-needs planning table of the selection (cached per data state, selection and language)."""
    return assistance_needs(data.questionnaire(), _docs, lang=lang, frame=_rows)
