"""Home: choose a Member State and a cycle, start or resume an assessment, see every assessment."""

from __future__ import annotations

import unicodedata
from datetime import date

import pandas as pd
import streamlit as st

from assessment import history, service
from assessment.access import allowed
from assessment.upgrade import locked, upgrade_assessment
from formatting.markdown import tier_name
from formatting.numbers import MISSING, fmt_count, fmt_score
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from refdata import countries, country_name
from ui import auth, autosave, cache_keys, data, home_data, nav, readonly, state
from ui.bulk import bulk_profiles
from ui.charts import PERCENT_COLUMNS
from ui.delete import delete_button
from ui.pages import ASSESS, METHODOLOGY, RESULTS, PageSpec
from ui.static_charts import html_table
from ui.tables import localized, text_columns


def fold(name: str) -> str:
    """A name without accents, in lower case: the key to sort and search names as readers expect."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _country_options(lang: str) -> list[str]:
    """ISO3 codes sorted by the country name in the UI language (accents folded for French)."""
    return sorted((c.iso3 for c in countries()), key=lambda iso3: fold(country_name(iso3, lang)))


def searchable_name(iso3: str, lang: str) -> str:
    """The country's name, followed by the same name without accents when it has any.

    The picker's search matches the typed letters against the label as shown, accents included, so
    "Senegal" would not find "Sénégal"; the unaccented form beside it makes it found.
    """
    name = country_name(iso3, lang)
    # Only the marks go (accents, Arabic vowel signs): Cyrillic, Arabic and Chinese letters stay, so a name
    # written in them is never followed by an empty "()".
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    plain = unicodedata.normalize("NFC", plain)
    return name if plain == unicodedata.normalize("NFC", name) or not plain.strip() else f"{name} ({plain})"


def _by_name(rows: list[service.AssessmentSummary], lang: str) -> list[service.AssessmentSummary]:
    """Assessments by country name in the reader's language, then the latest cycle first."""
    return sorted(rows, key=lambda r: (fold(country_name(r.country, lang)), -r.cycle))


def _start(lang: str) -> None:
    questionnaire = data.questionnaire()
    iso3 = st.session_state[state.HOME_COUNTRY]
    cycle = int(st.session_state[state.HOME_CYCLE])
    try:
        with data.session() as s:
            view = service.get_or_create_assessment(s, country=iso3, cycle=cycle, questionnaire=questionnaire,
                                                       actor=auth.actor())
    except service.ServiceError as exc:  # a refusal in words (the service checks again), never the crash box
        st.error(exc.text(lang), icon=":material/block:")
        return
    try:
        autosave.load(view.id, from_start=True)
    except autosave.Unsaved as exc:  # changes to the open assessment wait for the database: kept, said why
        st.error(exc.text(lang), icon=":material/sync_problem:")
        return
    nav.switch_page(ASSESS, assessment=view.id)


def _open(assessment_id: str, target: PageSpec, lang: str) -> None:
    """Open on ``target``; on Assess, at the first pillar with questions left (as the user guide promises).
    Not while changes to the open assessment wait for the database: they would be lost; the reader is told."""
    try:
        autosave.load(assessment_id, from_start=True)
    except autosave.Unsaved as exc:
        st.error(exc.text(lang), icon=":material/sync_problem:")
        return
    nav.switch_page(target, assessment=assessment_id)


def main() -> None:
    lang = state.lang()
    questionnaire = data.questionnaire()
    st.title(t("app.title", lang))
    st.markdown(t("app.subtitle", lang))
    _start_box(lang)
    _list(questionnaire, lang)


def _start_box(lang: str) -> None:
    """Start or resume, for the countries the reader may start assessments in (asked of the matrix); a role
    that starts none reads why instead of a button that would be refused."""
    actor = auth.actor()
    why = readonly.create_reason(actor, lang)
    if why is not None:  # not "pick a country to start… every answer is saved as you go" to who may do neither
        st.info(why, icon=":material/info:")
        return
    st.caption(t("ui.home.intro", lang))
    with st.container(border=True):
        st.subheader(t("ui.home.start_title", lang))
        left, right = st.columns([3, 1])
        options = [c for c in _country_options(lang) if allowed(actor, "create", country=c)]
        state.reword(state.HOME_COUNTRY, lang)  # the chosen country stays shown after a language switch
        left.selectbox(
            t("ui.home.country", lang),
            options,
            index=0 if len(options) == 1 else None,  # a focal point's only country, already chosen
            format_func=lambda iso3: searchable_name(iso3, lang),
            placeholder=t("ui.home.country_placeholder", lang),
            key=state.HOME_COUNTRY,
        )
        right.number_input(
            t("ui.home.cycle", lang), min_value=2000, max_value=2100, value=date.today().year, step=1,
            key=state.HOME_CYCLE, help=t("ui.home.cycle_help", lang),
        )
        chosen = st.session_state.get(state.HOME_COUNTRY)
        if st.button(
            t("ui.home.start", lang), type="primary", key=state.HOME_START, disabled=chosen is None,
            icon=":material/play_arrow:",
        ):
            _start(lang)


def _list(questionnaire: Questionnaire, lang: str) -> None:
    """Every assessment the reader may see, and what they may do with the one picked."""

    # Stored scores, read once per database state; the order (and the table below) once per language too.
    # One aggregate query per rerun (the data state); everything below is served from caches keyed by it.
    now = cache_keys.reader_stamp()
    rows = home_data.ordered(now, lang, lambda: _by_name(list(home_data.assessments(now)), lang))
    st.subheader(t("ui.home.list_title", lang))
    if not rows:
        st.info(t("ui.home.empty", lang), icon=":material/info:")
        nav.page_link(METHODOLOGY, label=t("ui.home.read_method", lang), icon=":material/menu_book:")
        return
    table = home_data.table(now, lang, lambda: pd.DataFrame(
        [
            {
                t("ui.col.country", lang): country_name(r.country, lang),
                t("ui.col.cycle", lang): str(r.cycle),
                t("ui.col.status", lang): t(f"ui.status.{r.status}", lang),
                t("ui.col.data", lang): t("ui.home.illustrative_short", lang) if r.illustrative else "",
                t("completeness", lang): None if r.completeness is None else 100 * r.completeness,
                t("overall", lang): fmt_score(r.overall, lang),
                t("tier", lang): tier_name(questionnaire, r.overall_tier, lang),
                t("ui.col.last_change", lang): r.updated_at.strftime("%Y-%m-%d %H:%M") if r.updated_at else "",
            }
            for r in rows
        ]
    ))
    table.attrs[PERCENT_COLUMNS] = [t("completeness", lang)]  # "47 %" in French, not a format with a point
    if not any(r.illustrative for r in rows):  # an empty column pushed "Last change" out of sight at 1280 px
        table = table.drop(columns=[t("ui.col.data", lang)])
    _table(table, lang)
    if any(r.illustrative for r in rows):
        st.caption(t("ui.home.illustrative_note", lang))
    _upgrade(rows, lang)
    labels = {
        r.id: t("ui.assessment_name", lang, country=country_name(r.country, lang), cycle=r.cycle)
        + (f" · {t('ui.home.illustrative_short', lang)}" if r.illustrative else "")
        for r in rows
    }
    current = st.session_state.get(state.ASSESSMENT_ID)
    state.reword(state.HOME_PICK, lang)
    st.selectbox(
        t("ui.home.pick", lang), list(labels), format_func=labels.__getitem__, key=state.HOME_PICK,
        index=list(labels).index(current) if current in labels else 0,
    )
    picked = str(st.session_state[state.HOME_PICK])
    # The buttons on a row of their own, each as wide as its words ("Supprimer" read "Suppri…" in a quarter
    # column at 1280 px); they wrap on a phone.
    buttons = st.container(horizontal=True)
    open_col = results_col = delete_col = buttons
    if open_col.button(t("ui.home.open", lang), key=state.HOME_OPEN, icon=":material/edit_note:"):
        _open(picked, ASSESS, lang)
    if results_col.button(t("ui.home.results", lang), key=state.HOME_RESULTS, icon=":material/monitoring:"):
        _open(picked, RESULTS, lang)
    row = next(r for r in rows if r.id == picked)
    if history.may_delete(auth.actor(), row):  # the service checks again; the button shows only for who may
        delete_button(delete_col, picked, labels[picked], row.version, lang, status=row.status)

    bulk_profiles(rows, lang)


# Rows of the plain table Home opens on; every row is in the interactive table, one switch away.
FIRST_ROWS = 20


def _table(table: pd.DataFrame, lang: str) -> None:
    """The list: a plain HTML table of its first rows, or, when the reader turns it on, the interactive grid.

    The data grid (Glide, with Arrow's decoder) was most of what made Home slower to open than a bare page
    (issue 26: about 0.5 s in a fresh browser); a plain table needs no script. The same columns and values,
    written as :func:`ui.tables.localized` writes them; the grid sorts, searches and shows every row.
    """
    # The switch under the table, not above it: its script chunks (a switch's) are fetched after the table is
    # drawn, not before it (issue 26). Its value is read before it is drawn: it was set by the click's rerun.
    if st.session_state.get(state.HOME_GRID):
        # The country column as wide as its longest name (not a fixed "medium" that left "Dernière m…" cut off).
        st.dataframe(localized(table, lang), hide_index=True, width="stretch",
                     column_config={**text_columns(table), t("ui.col.country", lang): st.column_config.TextColumn()},
                     placeholder=MISSING)
    else:
        first = table.head(FIRST_ROWS)
        first.attrs.update(table.attrs)
        st.html(html_table(first, lang))
        if len(table) > len(first):
            st.caption(t("ui.home.first_rows", lang, shown=fmt_count(len(first), lang),
                         n=fmt_count(len(table), lang)))
    st.toggle(t("ui.home.grid", lang), key=state.HOME_GRID, help=t("ui.home.grid_help", lang))


MAX_HELD_SHOWN = 5  # beyond this, handed-in assessments that keep their version are counted, not listed


def _upgrade(rows: list[service.AssessmentSummary], lang: str) -> None:
    """Assessments answered on an earlier questionnaire version: one button carries them over."""
    mine = [r for r in rows if r.outdated and allowed(auth.actor(), "import", r)]  # who may carry them over
    if not mine:
        return
    # Only what the country can still edit moves; a handed-in one stays, and the reader learns why.
    reasons = [(r, locked(r.status, r.country, r.cycle)) for r in mine]
    outdated = [r for r, why in reasons if why is None]
    held = [why for _, why in reasons if why is not None]
    questionnaire = data.questionnaire()
    with st.container(border=True):
        st.markdown(f"**{t('ui.home.upgrade_title', lang)}**")
        if len(held) > MAX_HELD_SHOWN:  # a new version over a whole cycle: one line, not a caption per country
            st.caption(t("ui.home.upgrade_held", lang, n=len(held)))
        else:
            for why in held:
                st.caption(why.text(lang))
        if not outdated:
            return
        st.caption(t("ui.home.upgrade_help", lang, n=len(outdated), version=questionnaire.version))
        if st.button(t("ui.home.upgrade_button", lang, version=questionnaire.version), key="home.upgrade",
                     icon=":material/upgrade:"):
            with data.session() as s:
                for r in outdated:
                    rep = upgrade_assessment(s, assessment_id=r.id, questionnaire=questionnaire,
                                             actor=auth.actor())
                    st.success(t("ui.home.upgraded", lang, country=country_name(rep.country, lang), cycle=rep.cycle,
                                 old=rep.from_version, new=rep.to_version, kept=len(rep.kept),
                                 review=len(rep.to_review), answer=len(rep.to_answer),
                                 history=len(rep.moved_to_history)))
