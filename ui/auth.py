"""Who is using the app: the local administrator (local mode) or the signed-in user (multi-user mode).

The startup guard refuses to serve anything unsafe (see :mod:`ui.security`); the sign-in gate asks for
OpenID Connect sign-in (``st.login``) and maps the provider's identity to the user's grants through the
service layer (:func:`assessment.users.sign_in`). Pages pass :func:`actor` to every service call: the
checks themselves live in the services, never only here.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy.exc import DBAPIError

from assessment import users
from assessment.access import LOCAL_ADMIN, Actor, ActorLike
from formatting.markdown import inline_escape
from questionnaires.messages import t
from ui import browser, data
from ui.security import multi_user, startup_problems

ACTOR = "auth.actor"
USER_ID = "auth.user_id"
SUBJECT = "auth.subject"
GRANTS_READ_AT = "auth.grants_read_at"  # time.monotonic() of the last read of the user's grants
GRANTS_CHANGED = "auth.grants_changed"  # set when :func:`actor` found other grants than the page was drawn for
# The router reads the grants on every run, but a click inside a fragment (Assess's pillar) or a widget's callback
# does not run the router: a focal point whose grant had just been revoked went on saving answers while they
# stayed on the pillar. So :func:`actor` reads them once in every script run, full or fragment (before the run's
# callbacks). Where Streamlit gives no mark of the run, it reads them when older than this many seconds.
GRANTS_FRESH_FOR = 1.0
_read_in_run: weakref.WeakKeyDictionary[object, bool] = weakref.WeakKeyDictionary()


def _this_run() -> object | None:
    """An object Streamlit makes anew for every script run, full or fragment, before the run's widget callbacks
    (the run context's ``parallel_coordinator``, replaced by ``ScriptRunContext.reset`` on Streamlit 1.67), or None
    outside a run or on a Streamlit without it (then :data:`GRANTS_FRESH_FOR` applies)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "parallel_coordinator", None) if ctx is not None else None


def _grants_read() -> None:
    """Note that the grants were just read, in this run."""
    st.session_state[GRANTS_READ_AT] = time.monotonic()
    run = _this_run()
    if run is not None:
        _read_in_run[run] = True


def _grants_stale() -> bool:
    run = _this_run()
    if run is not None:
        return run not in _read_in_run
    return time.monotonic() - st.session_state.get(GRANTS_READ_AT, 0.0) > GRANTS_FRESH_FOR


def _secrets() -> Mapping[str, Any]:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return {}


def guard(lang: str) -> None:
    """Stop the run with the reasons when the app would serve unsafely (beyond loopback without sign-in...)."""
    problems = startup_problems(address=st.get_option("server.address"), secrets=_secrets(), multi=multi_user())
    if problems:
        st.error(t("ui.auth.unsafe", lang), icon=":material/lock:")
        for p in problems:
            st.markdown(f"- {p}")
        st.stop()


def provider_rule() -> users.ProviderRule:
    """The configured rule of the provider the user signed in with (``[sign_in]``, or ``[sign_in.NAME]``).

    Checked at startup (:func:`ui.security.auth_problems`), so a bad section never reaches this point.
    """
    section = _secrets().get("sign_in")
    if not isinstance(section, Mapping):
        return users.CLAIM_ONLY
    provider = str(st.user.get("provider") or "default")
    named = section.get(provider)
    return users.provider_rule(named if isinstance(named, Mapping) else section)


def _sign_in_page(lang: str) -> None:
    # The page's language, direction and fonts, the language cookie (the provider sends the reader back to "/"
    # without ?lang=) and the style of the language links, which were a bare bulleted list here.
    browser.page_scripts(lang)
    st.title(t("app.title", lang))
    st.write(t("ui.auth.sign_in_needed", lang))
    st.button(t("ui.auth.sign_in", lang), key="auth.login", on_click=st.login, type="primary")
    st.stop()


def _refused(text: str, lang: str) -> None:
    browser.page_scripts(lang)
    st.session_state.pop(USER_ID, None)
    st.error(text, icon=":material/block:")
    st.button(t("ui.auth.sign_out", lang), key="auth.logout_refused", on_click=st.logout)
    st.stop()


def gate(lang: str) -> None:
    """In multi-user mode: sign the user in, or stop the run with the sign-in button or the refusal.

    One login is recorded once: the service keys the ``sign_in`` event on the ID token's issued-at and
    nonce (:func:`assessment.users.login_marker`), so a reload, a new tab or the next page is not a new
    sign-in. A user whose roles were all revoked is told so, not shown pages that would refuse everything.
    """
    if not multi_user():
        return
    if not st.user.is_logged_in:
        _sign_in_page(lang)
    subject = str(st.user.get("sub") or "")
    claims = {k: st.user.get(k) for k in ("iss", "sub", "iat", "nonce", "auth_time")}
    with data.session() as s:
        try:
            signing_in = st.session_state.get(SUBJECT) != subject or USER_ID not in st.session_state
            if signing_in:
                who = users.sign_in(
                    s, subject=subject, email=_str(st.user.get("email")),
                    email_verified=st.user.get("email_verified"), issuer=_str(st.user.get("iss")),
                    name=_str(st.user.get("name")), rule=provider_rule(), login=users.login_marker(claims),
                )
                st.session_state[SUBJECT] = subject
                st.session_state[USER_ID] = who.user_id
            # Grants are read on every run, so a revocation takes effect at the user's next click (once a run: a
            # widget's callback, which runs before the router, may have read them already).
            if signing_in or _grants_stale():
                st.session_state[ACTOR] = users.current_actor(s, user_id=st.session_state[USER_ID])
                _grants_read()
            st.session_state.pop(GRANTS_CHANGED, None)  # this whole run is drawn for them: no second run needed
        except users.SignInRefused as exc:
            _refused(exc.text(lang), lang)
    who = st.session_state[ACTOR]
    if not who.grants:
        _refused(t("ui.auth.no_roles", lang, email=inline_escape(who.name)), lang)  # typed by people: as typed
    with st.sidebar:
        st.caption(t("ui.auth.signed_in_as", lang, email=inline_escape(who.name)))
        st.button(t("ui.auth.sign_out", lang), key="auth.logout", on_click=st.logout)


def actor() -> ActorLike:
    """The acting user for service calls: the signed-in user with their grants of now, or the local administrator.

    The grants are read once in every script run (see :data:`GRANTS_FRESH_FOR`). When they changed, the call that
    read them gets them (a widget's callback is checked against them: a revoked user's change is refused and said on
    the question), and the next call redraws the whole app (``st.rerun``): the router then applies them to every
    part of the page, or says the user has no role any more, where a fragment drawn for the old grants failed.
    """
    if not multi_user():
        return LOCAL_ADMIN
    ss = st.session_state
    who = ss.get(ACTOR)
    if not isinstance(who, Actor):
        return Actor(name="anonymous", grants=())
    if ss.pop(GRANTS_CHANGED, False):
        st.rerun()
    if who.user_id is not None and _grants_stale():
        try:
            fresh = grants_now(who)
        except DBAPIError:
            # The database is unreachable: keep the grants known (the next call reads again). Nothing is written
            # without the database, which reads them first; the page stays drawn, its unsaved changes framed.
            return who
        _grants_read()
        if set(fresh.grants) != set(who.grants):
            ss[GRANTS_CHANGED] = True
        ss[ACTOR] = who = fresh
    return who


def grants_now(who: Actor) -> Actor:
    """``who`` (a signed-in user) with their grants as they are now; a user deactivated meanwhile has none, so every
    service call refuses them. Also used where no script runs (a download built on its click)."""
    assert who.user_id is not None
    with data.session() as s:
        try:
            return users.current_actor(s, user_id=who.user_id)
        except users.SignInRefused:
            return Actor(name=who.name, grants=(), user_id=who.user_id)


def is_admin() -> bool:
    who = actor()
    return isinstance(who, Actor) and "admin" in who.roles()


def _str(value: object) -> str | None:
    return str(value) if value else None
