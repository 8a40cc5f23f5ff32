"""Admin: invitations by e-mail, grants, revocations, last sign-in, and the audit trail.

Administrators manage everyone; a country's focal point invites and removes the contributors and
viewers of their country. The page only offers what the matrix allows; the services check again.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from assessment import access, audit, mail, users
from assessment.service import ServiceError
from formatting.audit import audit_detail, pillar_name, role_text
from formatting.markdown import inline_escape
from formatting.numbers import MISSING
from questionnaires.messages import separator, t
from refdata import countries as all_countries
from refdata import country_name
from ui import auth, data, state


def _roles(actor: access.ActorLike) -> list[str]:
    return list(access.ROLES) if auth.is_admin() else sorted(access.DELEGABLE)


def _countries(actor: access.ActorLike) -> list[str]:
    if auth.is_admin():
        return [c.iso3 for c in all_countries()]
    return sorted(access.as_actor(actor).countries())


def _invite(lang: str) -> None:
    actor = auth.actor()
    st.subheader(t("ui.admin.invite_title", lang))
    with st.form("admin.invite", clear_on_submit=False):
        email = st.text_input(t("ui.admin.email", lang), key="admin.email", max_chars=254)
        for key in ("admin.role", "admin.country", "admin.pillars"):  # kept shown after a language switch
            state.reword(key, lang)
        role = st.selectbox(t("ui.admin.role", lang), _roles(actor), key="admin.role",
                            format_func=lambda r: t(f"ui.role.{r}", lang))
        # An administrator may grant a role tied to no country ("—"); a focal point grants only in their own
        # country, so their only country is the one chosen (they had to pick it from a list of one).
        choices = ["", *_countries(actor)] if auth.is_admin() else _countries(actor)
        country = st.selectbox(t("ui.admin.country", lang), choices, key="admin.country",
                               format_func=lambda c: country_name(c, lang) if c else "—")
        pillars = st.multiselect(t("ui.admin.pillars", lang), [p.id for p in data.questionnaire().pillars],
                                 key="admin.pillars", format_func=lambda p: _pillar(p, lang))
        sent = st.form_submit_button(t("ui.admin.invite", lang), type="primary")
    if not sent:
        return
    try:
        with data.session() as s:
            view = users.invite(s, email=email, role=role, country=country or None, pillars=pillars or None,
                                actor=actor)
    except ServiceError as exc:
        st.error(exc.text(lang))
        return
    subject, body = mail.invitation(view.email, lang)
    st.success(t("ui.admin.invited", lang, email=inline_escape(view.email)))
    st.caption(t("ui.admin.send_this", lang))
    st.code(f"{subject}\n\n{body}", language=None)
    if mail.smtp_configured():
        try:
            mail.send_invitation(view.email, lang)
            st.info(t("ui.admin.mail_sent", lang))
        except OSError:
            st.warning(t("ui.admin.mail_failed", lang))


def _pillar(pillar_id: str, lang: str) -> str:
    return pillar_name(data.questionnaire(), pillar_id, lang)


def _users(lang: str) -> None:
    actor = auth.actor()
    st.subheader(t("ui.admin.users_title", lang))
    with data.session() as s:
        views = users.list_users(s, actor=actor)
    rows = [
        {
            t("ui.admin.email", lang): v.email,
            t("ui.admin.roles", lang): "; ".join(
                role_text(data.questionnaire(), g.role, g.country, g.pillars, lang)
                for g in v.grants
            ),
            t("ui.admin.signed_in", lang): t("ui.admin.yes", lang) if v.bound else t("ui.admin.not_yet", lang),
            t("ui.admin.last_sign_in", lang): _when(v.last_sign_in),
        }
        for v in views
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder=MISSING)
    revocable = [(v.email, g.role, g.country) for v in views for g in v.grants]
    if not revocable:
        return
    # No grant is picked until the reader picks one: the first row was often the reader's own grant, one
    # click away from locking themselves out.
    state.reword("admin.revoke_pick", lang)
    picked = st.selectbox(
        t("ui.admin.revoke_pick", lang), range(len(revocable)), key="admin.revoke_pick", index=None,
        placeholder=t("ui.admin.revoke_placeholder", lang),
        format_func=lambda i: f"{revocable[i][0]} · "
        + role_text(data.questionnaire(), revocable[i][1], revocable[i][2], None, lang),
    )
    if st.button(t("ui.admin.revoke", lang), key="admin.revoke", disabled=picked is None) and picked is not None:
        email, role, country = revocable[int(picked)]
        try:
            with data.session() as s:
                users.revoke(s, email=email, role=role, country=country, actor=actor)
        except ServiceError as exc:
            st.error(exc.text(lang))
            return
        st.rerun()


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else ""


def _audit(lang: str) -> None:
    actor = auth.actor()
    if not access.allowed(actor, "audit"):
        return
    st.subheader(t("ui.admin.audit_title", lang))
    with data.session() as s:
        events = audit.events(s, actor=actor, limit=500)
    # What an administrator reads: when, who, what, which country, and the detail in words (no row or
    # assessment ids, no raw JSON); the CSV below keeps every field for the record.
    rows = [
        {
            t("ui.admin.col_when", lang): _when(e.at),
            t("ui.admin.col_who", lang): e.by,
            t("ui.admin.col_event", lang): t(f"ui.audit.{e.event}", lang),
            t("ui.admin.col_country", lang): country_name(e.country, lang) if e.country else "",
            t("ui.admin.col_detail", lang): audit_detail(data.questionnaire(), e.event, e.detail, lang),
        }
        for e in events
    ]
    # Widths that fit the page at 1280 px without sideways scrolling (the detail was cut, "Validé…", past the edge;
    # the walk's screenshot shows a 704 px column there, so they fit that, not only the wide layout); a grid cell
    # does not wrap, so the whole detail of one entry is read below the table.
    widths = {"col_when": 145, "col_who": 140, "col_event": 190, "col_country": 75, "col_detail": 145}
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder=MISSING,
                 column_config={t(f"ui.admin.{k}", lang): st.column_config.TextColumn(width=w)
                                for k, w in widths.items()})
    _audit_entry(rows, lang)
    with data.session() as s:
        csv_text = audit.export_csv(s, actor=actor)
    st.download_button(t("ui.admin.audit_csv", lang), data=csv_text.encode("utf-8"), file_name="audit.csv",
                       mime="text/csv", on_click="ignore", key="admin.audit_csv", icon=":material/download:")


def _audit_entry(rows: list[dict[str, str]], lang: str) -> None:
    """One entry of the trail in full, words wrapped: the latest unless the reader picks another."""
    if not rows:
        return
    when, who, what, country, detail = (t(f"ui.admin.{k}", lang) for k in
                                        ("col_when", "col_who", "col_event", "col_country", "col_detail"))
    state.reword("admin.audit_pick", lang)
    picked = st.selectbox(t("ui.admin.audit_pick", lang), range(len(rows)), key="admin.audit_pick",
                          format_func=lambda i: f"{rows[i][when]} · {rows[i][who]} · {rows[i][what]}")
    row = rows[picked]
    with st.container(border=True, key="admin.audit_entry"):
        st.markdown(f"**{inline_escape(row[what])}**" + (f" · {inline_escape(row[country])}" if row[country] else ""))
        st.markdown(f"{detail}{separator(':', lang)}{inline_escape(row[detail]) or MISSING}")


def main() -> None:
    lang = state.lang()
    st.title(t("ui.nav.admin", lang))
    if not access.allowed(auth.actor(), "invite"):
        st.info(t("problem.svc_forbidden", lang))
        return
    _invite(lang)
    _users(lang)
    _audit(lang)
