"""The Compare page's data: the stored scores of every assessment, read once per database state, and cached analyses.

A rerun asks the database only for :func:`assessment.service.data_stamp` (one aggregate query); the
scores frame is re-read only when the stamp changes (one query: the scores are stored, not recomputed),
and answers documents are loaded only for the rows a section shows. Cached objects are shared by every
session of the process and must be treated as read-only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from answers.document import AnswersDocument
from assessment import aggregates, service, workflow
from assessment.access import COUNTRY_ROLES, LOCAL_ADMIN, ActorLike, as_actor
from compare import (
    ChangeReport,
    change_since_last_cycle,
    distribution,
    group_medians,
    map_data,
    rank_stability,
    ranks,
    select,
)
from compare.frame import with_reference
from compare.priorities import assistance_priorities
from compare.stats import distribution_summary
from questionnaires.loader import Questionnaire
from ui import auth, cache_keys, data

ROW = "id"  # the assessment id of a frame row (its document is loaded on demand)


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


DocumentLoader = Callable[[Sequence[str]], Sequence[AnswersDocument]]


@dataclass(frozen=True)
class Dataset:
    """The stored scores of every assessment of the current questionnaire version (one row each).

    Scores come from the database (stored with each write, :mod:`assessment.scores`): building this reads
    no answers. Answers documents are loaded only for the rows a section needs (the selection's assistance
    and exports, one country's change) and remembered, so one process holds one read-only copy for every
    session, and only of what was asked for.
    """

    stamp: str
    frame: pd.DataFrame
    outdated: int = 0  # assessments the current questionnaire cannot score (another version), left out
    cycles: dict[bool, list[int]] = field(default_factory=dict)  # illustrative flag -> cycles, newest first
    load: DocumentLoader | None = field(default=None, repr=False, compare=False)
    _selected: dict[tuple[Selection, bool], pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)
    _docs: dict[str, AnswersDocument] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

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
        """The answers documents behind frame rows, in the same order (loaded once, then shared)."""
        ids = [str(i) for i in rows[ROW]]
        with self._lock:
            missing = [i for i in ids if i not in self._docs]
            if missing and self.load is not None:
                self._docs.update(zip(missing, self.load(missing), strict=True))
            return [self._docs[i] for i in ids]

    def country_documents(self, country: str, illustrative: bool) -> list[AnswersDocument]:
        """Every cycle's document of one country in one set (what the change report compares)."""
        frame = self.frame
        return self.documents(frame.loc[(frame["country"] == country) & (frame["illustrative"] == illustrative)])


def _load_documents(ids: Sequence[str], actor: ActorLike = LOCAL_ADMIN) -> Sequence[AnswersDocument]:
    with data.session() as s:
        return service.documents_by_id(s, ids, actor=actor)


def _build(questionnaire: Questionnaire, stamp: str, actor: ActorLike = LOCAL_ADMIN) -> Dataset:
    with data.session() as s:
        # Only what the current questionnaire can score: another version, or content changed under the same
        # version (hash), is left out and counted rather than failing the whole page.
        scores, outdated = service.score_frame(s, questionnaire=questionnaire, actor=actor)
        states = aggregates.workflow_states(s, questionnaire=questionnaire, actor=actor)
    frame = with_reference(scores)
    # The workflow state (the frame's ``status`` is the document's: draft or submitted): validated or not.
    frame["state"] = frame["id"].map(states).fillna("draft")
    frame["validated"] = frame["state"].isin(workflow.VALIDATED)
    frame["illustrative"] = frame["illustrative"].astype(bool)
    cycles = {
        flag: sorted({int(c) for c in frame.loc[frame["illustrative"] == flag, "cycle"]}, reverse=True)
        for flag in (False, True)
    }
    return Dataset(stamp=stamp, frame=frame, outdated=outdated, cycles=cycles,
                   load=lambda ids: _load_documents(ids, actor))


@st.cache_resource(max_entries=2, show_spinner=False)
def _dataset(stamp: str, _questionnaire: Questionnaire, _actor: ActorLike = LOCAL_ADMIN) -> Dataset:
    return _build(_questionnaire, stamp, _actor)


def dataset() -> Dataset:
    """The scored assessments for the current database state (rebuilt only after a write).

    The stamp names the database, the questionnaire and the data state, so it keys every cache below.
    """
    # The acting user and their grants are part of the key: what one user may see is never served to another,
    # nor to the same user once their grants changed (the dataset carries a loader bound to the grants).
    return _dataset(cache_keys.reader_stamp(), data.questionnaire(), auth.actor())


@st.cache_data(max_entries=16, show_spinner=False)
def stability(stamp: str, selection: Selection, _rows: pd.DataFrame, method: str = "uniform") -> pd.DataFrame:
    """Seeded Monte-Carlo rank stability of the selection's countries (cached per data state, selection, method).

    ``method="panel"`` draws each weight within the version's expert-panel spread (``data.panel()``);
    ``"uniform"`` multiplies each by U(0.5, 1.5).
    """
    frame = _rows.drop_duplicates("country", keep="last")
    if method == "panel":
        return rank_stability(data.questionnaire(), frame, method="panel", panel=data.panel())
    return rank_stability(data.questionnaire(), frame)


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


@st.cache_data(max_entries=32, show_spinner=False)
def priorities(stamp: str, selection: Selection, target_tier: str | None, validated_only: bool, lang: str,
               _docs: Sequence[AnswersDocument], _validated: Sequence[bool]) -> pd.DataFrame:
    """Assistance needs ranked by points at stake (re-scores every country of the selection, ~0.1 s per 10).

    Cached per data state, selection, target tier, data basis and language; ``_docs`` and ``_validated``
    are already the counted documents (validated ones only when ``validated_only``).
    """
    return assistance_priorities(data.questionnaire(), _docs, target_tier=target_tier, validated=_validated,
                                 lang=lang)


def is_country_user(actor: ActorLike) -> bool:
    """Whether every role of ``actor`` is a country's (focal point, contributor, viewer): own rows plus medians."""
    roles = as_actor(actor).roles()
    return bool(roles) and roles <= COUNTRY_ROLES


@st.cache_data(max_entries=16, show_spinner=False)
def _published(stamp: str, cycle: int, illustrative: bool, own: tuple[str, ...], _actor: ActorLike) -> pd.DataFrame:
    """Cached per reader's countries too: which groups are shown depends on them (compare.stats.MIN_GROUP)."""
    with data.session() as s:
        return aggregates.published_medians(s, questionnaire=data.questionnaire(), cycle=cycle,
                                            illustrative=illustrative, actor=_actor)


def published_cycles(illustrative: bool) -> list[int]:
    """The cycles with published assessments, newest first (for a country user with no data of their own)."""
    with data.session() as s:
        return aggregates.published_cycles(s, questionnaire=data.questionnaire(), illustrative=illustrative,
                                           actor=auth.actor())


def published_medians(cycle: int, illustrative: bool) -> pd.DataFrame:
    """Group medians of every country's published assessments (what a country's user sees of the others)."""
    questionnaire = data.questionnaire()
    actor = auth.actor()
    with data.session() as s:
        state = aggregates.published_stamp(s, questionnaire=questionnaire, illustrative=illustrative, actor=actor)
    stamp = f"{data.engine().url!r}|{questionnaire.id}|{questionnaire.content_hash}|{state}"
    return _published(stamp, cycle, illustrative, tuple(sorted(as_actor(actor).countries())), actor)
