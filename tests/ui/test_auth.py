"""The app in multi-user mode (AppTest seeds the provider's identity with ``at.user``)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from answers.document import Answer, AnswersDocument
from assessment import audit, review, service, users
from tests.localization import html_tables
from tests.ui.conftest import Env, texts

AUTH = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": secrets.token_urlsafe(48),
                 "client_id": "iotready", "client_secret": "x" + secrets.token_hex(8),
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}


@pytest.fixture
def multi(env: Env, monkeypatch: pytest.MonkeyPatch) -> Env:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    return env


def _app(env: Env, *, email: str | None, sub: str = "sub-1", verified: bool = True) -> AppTest:
    at = env.app()
    at.secrets.update(AUTH)
    if email is None:
        at.user = {"is_logged_in": False}
    else:
        at.user = {"is_logged_in": True, "email": email, "sub": sub, "email_verified": verified, "iss": "test"}
    return at


@pytest.fixture
def network_address() -> Iterator[None]:
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    try:
        yield
    finally:
        st_config.set_option("server.address", before)


def test_beyond_loopback_the_local_mode_serves_nothing(env: Env, network_address: None) -> None:
    env.create("KEN")
    at = env.app().run()
    assert not at.exception
    assert "will not serve" in texts(at) and "Kenya" not in texts(at)


def test_multi_user_with_a_weak_cookie_secret_serves_nothing(multi: Env) -> None:
    at = _app(multi, email="fp@ken.example")
    at.secrets["auth"] = {**AUTH["auth"], "cookie_secret": "changeme"}
    at.run()
    assert "will not serve" in texts(at) and "cookie_secret" in texts(at)


def test_signed_out_users_see_only_the_sign_in_button(multi: Env) -> None:
    multi.create("KEN")
    at = _app(multi, email=None).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Kenya" not in texts(at)


def test_an_uninvited_person_is_refused_politely(multi: Env) -> None:
    at = _app(multi, email="stranger@example.org").run()
    assert not at.exception
    assert "has not been invited" in texts(at)
    with multi.session() as s:
        assert [e.event for e in audit.events(s)] == ["sign_in_refused"]


def test_a_focal_point_sees_its_country_only_and_the_admin_page(multi: Env) -> None:
    ken, fra = multi.create("KEN"), multi.create("FRA")
    with multi.session() as s:
        users.invite(s, email="fp@ken.example", role="focal_point", country="KEN")
        service.submit_assessment(s, assessment_id=fra)
    at = _app(multi, email="fp@ken.example").run()
    assert not at.exception
    listed = html_tables(at)[0].to_string()  # Home's plain table (issue 26)
    assert "Kenya" in listed and "France" not in listed
    assert "fp@ken.example" in " ".join(c.value for c in at.sidebar.caption)
    at.switch_page("ui/pages/admin.py").run()
    assert not at.exception and "Invite someone" in texts(at)
    # Opening the other country's assessment by URL is refused by the service.
    at = _app(multi, email="fp@ken.example")
    at.query_params["assessment"] = fra
    at.run()
    at.switch_page("ui/pages/assess.py").run()
    assert not at.exception
    assert "France" not in texts(at) and "No assessment is open" in texts(at)
    # The control: by the same route, its own country's assessment opens (so the refusal above is the check's).
    at = _app(multi, email="fp@ken.example")
    at.query_params["assessment"] = ken
    at.run()
    at.switch_page("ui/pages/assess.py").run()
    assert not at.exception
    assert "Kenya" in texts(at) and "No assessment is open" not in texts(at)


def test_a_focal_point_is_offered_delete_on_its_draft_only_not_once_handed_in(multi: Env) -> None:
    ken = multi.create("KEN")
    with multi.session() as s:
        users.invite(s, email="fp@ken.example", role="focal_point", country="KEN")
    at = _app(multi, email="fp@ken.example").run()
    assert [b.key for b in at.button if b.key == "home.delete"] == ["home.delete"]
    with multi.session() as s:
        service.submit_assessment(s, assessment_id=ken)
    at.run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "home.delete"]


def test_an_adviser_opens_a_query_in_the_page_and_returns_the_assessment_with_it_saved(multi: Env) -> None:
    ken = multi.create("KEN")
    with multi.session() as s:
        users.invite(s, email="adv@itu.example", role="adviser")
        service.submit_assessment(s, assessment_id=ken)
    at = _app(multi, email="adv@itu.example").run()
    at.switch_page("ui/pages/review.py").run()
    assert not at.exception
    at.button(key="review.do.review").click().run()
    assert not at.exception
    at.text_area(key="review.new.v6_users").set_value("Which survey is this from?")
    at.button(key="review.add.v6_users").click().run()
    at.text_input(key="review.note").set_value("one query to answer")
    at.button(key="review.do.return").click().run()
    assert not at.exception
    with multi.session() as s:
        assert service.get_assessment(s, ken).status == "returned"
        moves = [e.detail for e in audit.events(s, event="status")]
        saved = review.threads(s, assessment_id=ken)
    assert moves[0] == {"from": "under_review", "to": "returned", "action": "return", "note": "one query to answer"}
    assert [(t.question_id, t.resolved, [(c.by, c.body) for c in t.comments]) for t in saved] == [
        ("v6_users", False, [("adv@itu.example", "Which survey is this from?")])
    ]


def _reviewing(env: Env, *questions: str) -> tuple[str, list[review.Thread], AppTest]:
    """Kenya's assessment under review with a query "Source ?" on each question, and the adviser's Review page
    in French."""
    ken = env.create("KEN")
    with env.session() as s:
        users.invite(s, email="adv@itu.example", role="adviser")
        service.submit_assessment(s, assessment_id=ken)
        service.transition(s, assessment_id=ken, action="review")
        threads = [review.add_comment(s, assessment_id=ken, question_id=qid, body="Source ?") for qid in questions]
    at = _app(env, email="adv@itu.example")
    at.query_params["lang"] = "fr"
    at.run()
    at.switch_page("ui/pages/review.py").run()
    return ken, threads, at


def test_validating_with_open_queries_asks_for_an_acknowledgement_in_french(multi: Env) -> None:
    """Two open queries: the Review page says so, keeps Valider disabled until ticked, and the audit keeps 2."""
    ken, _, at = _reviewing(multi, "v6_users", "pol_framework")
    assert not at.exception
    assert any("2 questions de revue sont encore ouvertes" in w.value for w in at.warning), texts(at)
    assert at.button(key="review.do.validate").disabled
    at.checkbox(key="review.confirm_open").check().run()
    assert at.checkbox(key="review.confirm_open").label == "Je valide avec ces 2 questions ouvertes"
    assert not at.button(key="review.do.validate").disabled
    at.text_input(key="review.note").set_value("chiffres vérifiés par ailleurs")
    at.button(key="review.do.validate").click().run()
    assert not at.exception
    with multi.session() as s:
        assert service.get_assessment(s, ken).status == "validated"
        (event,) = [e.detail for e in audit.events(s, event="status") if e.detail["action"] == "validate"]
    assert event["open_queries"] == 2 and event["note"] == "chiffres vérifiés par ailleurs"
    with multi.session() as s:
        users.invite(s, email="admin@itu.example", role="admin")
    admin = _app(multi, email="admin@itu.example", sub="sub-2")
    admin.query_params["lang"] = "fr"
    admin.run()
    admin.switch_page("ui/pages/admin.py").run()
    trail = admin.dataframe[-1].value.to_string()
    assert "En cours d'examen → Validée · validée avec 2 questions de revue ouvertes · chiffres" in trail


def test_a_query_opened_after_the_tick_unticks_it_and_validates_nothing_in_french(multi: Env) -> None:
    """Ticked for 1 open query; another adviser opens a second before Valider: nothing validated, look again."""
    ken, _, at = _reviewing(multi, "v6_users")
    at.checkbox(key="review.confirm_open").check().run()
    assert at.checkbox(key="review.confirm_open").label == "Je valide avec cette question ouverte"
    assert not at.button(key="review.do.validate").disabled
    with multi.session() as s:  # meanwhile, on another screen
        review.add_comment(s, assessment_id=ken, question_id="pol_framework", body="Année ?")
    at.button(key="review.do.validate").click().run()
    assert not at.exception
    with multi.session() as s:
        assert service.get_assessment(s, ken).status == "under_review"
    assert any("ont changé depuis que vous avez coché la case (alors\u202f: 1\u202f; maintenant\u202f: 2)" in w.value
               for w in at.warning), texts(at)
    assert at.checkbox(key="review.confirm_open").label == "Je valide avec ces 2 questions ouvertes"
    assert not at.checkbox(key="review.confirm_open").value and at.button(key="review.do.validate").disabled
    at.checkbox(key="review.confirm_open").check().run()
    at.button(key="review.do.validate").click().run()
    assert not at.exception
    with multi.session() as s:
        assert service.get_assessment(s, ken).status == "validated"
        (event,) = [e.detail for e in audit.events(s, event="status") if e.detail["action"] == "validate"]
    assert event["open_queries"] == 2


def test_a_query_resolved_and_another_opened_after_the_tick_validates_nothing(multi: Env) -> None:
    """Still one open query, but not the one the adviser confirmed: the count alone would have let it through."""
    ken, (first,), at = _reviewing(multi, "v6_users")
    at.checkbox(key="review.confirm_open").check().run()
    with multi.session() as s:  # meanwhile, on another screen: that query answered, a new one asked
        review.set_resolved(s, assessment_id=ken, thread_id=first.id, resolved=True)
        review.add_comment(s, assessment_id=ken, question_id="pol_framework", body="Année ?")
    at.button(key="review.do.validate").click().run()
    assert not at.exception
    with multi.session() as s:
        assert service.get_assessment(s, ken).status == "under_review"
    assert any("(alors\u202f: 1\u202f; maintenant\u202f: 1)" in w.value for w in at.warning), texts(at)
    assert not at.checkbox(key="review.confirm_open").value and at.button(key="review.do.validate").disabled


def test_a_validated_assessment_offers_no_new_query_and_no_reopening(multi: Env) -> None:
    ken, [thread], at = _reviewing(multi, "v6_users")
    with multi.session() as s:
        review.set_resolved(s, assessment_id=ken, thread_id=thread.id, resolved=True)
        service.transition(s, assessment_id=ken, action="validate")
    at.run()
    assert not at.exception
    assert not [a for a in at.text_area if a.key == "review.new.v6_users"]
    assert not [b for b in at.button if b.key == f"review.resolve.{thread.id}"]


def _expander_of(at: AppTest, text: str) -> list[bool]:
    """Whether each expander holding ``text`` in its markdown is drawn open."""
    return [e.proto.expanded for e in at.get("expander") if any(text in m.value for m in e.markdown)]


def test_a_query_just_added_stays_open_and_its_box_is_emptied_in_french(multi: Env) -> None:
    """The expander's label gains the open count, so it used to come back folded, with the text still in the box
    for a second click to send twice."""
    ken, _, at = _reviewing(multi, "pol_framework")
    at.text_area(key="review.new.v6_users").set_value("Quelle enquête ?")
    at.button(key="review.add.v6_users").click().run()
    assert not at.exception
    assert _expander_of(at, "Quelle enquête ?") == [True]
    assert at.text_area(key="review.new.v6_users").value == ""
    assert _expander_of(at, "Source ?") == [False]  # the others stay as they were
    at.button(key="review.add.v6_users").click().run()  # a second click on the emptied box sends nothing
    with multi.session() as s:
        assert [th.comments[0].body for th in review.threads(s, assessment_id=ken)
                if th.question_id == "v6_users"] == ["Quelle enquête ?"]


def test_the_adviser_reads_each_answer_as_the_country_gave_it_in_french(multi: Env) -> None:
    """The expander said "Réponse : planned", the stored code; now the option's label, the number with its unit."""
    ken = multi.create("KEN")
    multi.answer(ken, "pol_framework", Answer(value="planned"))
    multi.answer(ken, "v6_users", Answer(value=12.5))
    multi.answer(ken, "pol_city", Answer(not_applicable=True, justification="Compétence municipale"))
    with multi.session() as s:
        users.invite(s, email="adv@itu.example", role="adviser")
        service.submit_assessment(s, assessment_id=ken)
    at = _app(multi, email="adv@itu.example")
    at.query_params["lang"] = "fr"
    at.run()
    at.switch_page("ui/pages/review.py").run()
    captions = [c.value for c in at.caption if c.value.startswith("Réponse")]
    assert "Réponse\u202f: 1 – Prévu" in captions and "Réponse\u202f: 12,5 % des utilisateurs" in captions, captions
    assert "Réponse\u202f: Sans objet" in captions and not any("planned" in c for c in captions)


def test_a_reply_keeps_its_question_open(multi: Env) -> None:
    _, (thread,), at = _reviewing(multi, "pol_framework")
    at.text_input(key=f"review.reply.{thread.id}").set_value("Voir l'annexe 2")
    at.button(key=f"review.send.{thread.id}").click().run()
    assert not at.exception
    assert _expander_of(at, "Voir l'annexe 2") == [True]
    assert at.text_input(key=f"review.reply.{thread.id}").value == ""


def test_the_country_reads_open_queries_by_question_number_and_as_typed(multi: Env) -> None:
    """On Assess, a returned assessment lists the adviser's queries as '2.1 <question>': <text>, markup inert."""
    from questionnaires.references import question_number

    ken = multi.create("KEN")
    with multi.session() as s:
        users.invite(s, email="fp@ken.example", role="focal_point", country="KEN")
        service.submit_assessment(s, assessment_id=ken)
        service.transition(s, assessment_id=ken, action="review")
        review.add_comment(s, assessment_id=ken, question_id="v6_users",
                           body="Voir [ce lien](https://evil.example) **urgent** $x$")
        service.transition(s, assessment_id=ken, action="return")
    at = _app(multi, email="fp@ken.example", sub="sub-fp")
    at.query_params["lang"] = "fr"
    at.query_params["assessment"] = ken
    at.run()
    at.switch_page("ui/pages/assess.py").run()
    assert not at.exception
    q = multi.questionnaire
    label = f"{question_number(q, 'v6_users')} {q.question('v6_users').text.get('fr')}"
    (line,) = [m.value for m in at.markdown if "evil.example" in m.value]
    assert line.startswith(f"- *{label}*")
    assert r"\[ce lien\](https\://evil.example) \*\*urgent\*\* \$x\$" in line


def test_the_admins_audit_trail_reads_in_french_without_ids_or_raw_json(multi: Env) -> None:
    ken = multi.create("KEN")
    with multi.session() as s:
        users.invite(s, email="admin@itu.example", role="admin")
        service.transition(s, assessment_id=ken, action="submit", note="prêt")
        q = multi.questionnaire
        doc = AnswersDocument(questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
                              country="BRA", cycle=2026, status="submitted")
        service.import_document(s, doc=doc, questionnaire=q)  # a file hands it in: audited as the button's move
    at = _app(multi, email="admin@itu.example")
    at.query_params["lang"] = "fr"
    at.run()
    at.switch_page("ui/pages/admin.py").run()
    assert not at.exception
    assert at.dataframe, texts(at)
    trail = at.dataframe[-1].value
    assert list(trail.columns) == ["Quand", "Qui", "Quoi", "Pays", "Détail"]
    shown = trail.to_string()
    assert "Brouillon → Soumise · prêt" in shown and "Kenya" in shown and "Étape du circuit de validation" in shown
    assert "Brouillon → Soumise · remise par import de fichier" in shown and "Brésil" in shown
    assert ken not in shown and "{" not in shown and "None" not in shown
    users_table = at.dataframe[0].value.to_string()
    assert "None" not in users_table


def test_a_user_whose_roles_were_all_revoked_is_told_so_not_something_went_wrong(multi: Env) -> None:
    multi.create("KEN")
    with multi.session() as s:
        users.invite(s, email="v@ken.example", role="viewer", country="KEN")
    at = _app(multi, email="v@ken.example").run()
    assert "Signed in as v@ken.example" in texts(at)
    with multi.session() as s:
        users.revoke(s, email="v@ken.example")
    at.run()
    assert not at.exception
    assert "has no role on this installation any more" in texts(at)
    assert "Something went wrong" not in texts(at)
    assert [b.label for b in at.button if b.key == "auth.logout_refused"] == ["Sign out"]


def test_the_no_role_message_shows_the_address_as_typed_not_as_markdown(multi: Env) -> None:
    """An address's local part may hold Markdown's characters ("[here](…)"): the message named it as Markdown, a
    link whose text hid where it led, while the sidebar's "Signed in as" showed it as typed."""
    email = "[here](https://evil.example)x@ken.example"
    with multi.session() as s:
        users.invite(s, email=email, role="viewer", country="KEN")
    at = _app(multi, email=email).run()
    with multi.session() as s:
        users.revoke(s, email=email)
    at.run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "has no role on this installation any more" in error
    assert r"\[here\]" in error and "[here](" not in error  # escaped: shown as typed, no link


def test_an_email_verified_claim_sent_as_the_string_false_is_refused(multi: Env) -> None:
    with multi.session() as s:
        users.invite(s, email="admin@itu.example", role="admin")
    at = _app(multi, email="admin@itu.example")
    at.user = {"is_logged_in": True, "email": "admin@itu.example", "sub": "attacker", "email_verified": "false",
               "iss": "test"}
    at.run()
    assert "has not been invited" in texts(at) and "Admin" not in [b.label for b in at.button]
    with multi.session() as s:
        assert not users.list_users(s)[0].bound


def test_every_script_run_has_its_own_mark_for_reading_the_grants() -> None:
    """``ui.auth.actor`` reads the grants once per run, full or fragment, by a mark Streamlit makes anew for every
    run (on Streamlit 1.67); without it, only once a second (a revoked user's click could pass within it)."""
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from ui import auth

        run = auth._this_run()
        st.session_state.setdefault("marks", []).append(run)  # kept alive, so no two marks share an address

    at = AppTest.from_function(script)
    at.run()
    at.run()
    marks = at.session_state["marks"]
    assert None not in marks and marks[0] is not marks[1]


def _acting_script() -> None:
    import streamlit as st

    from assessment.access import Actor, Grant, as_actor
    from ui import auth

    if auth.ACTOR not in st.session_state:  # as the router left it after the sign-in
        st.session_state[auth.ACTOR] = Actor(name="fp@ken.example", grants=(Grant("focal_point", "KEN"),),
                                             user_id="user-1")
    st.write(repr(as_actor(auth.actor()).grants))


def test_an_unreachable_database_keeps_the_grants_known_for_the_page(
    multi: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fragment's rerun while the database is away draws its part of the page as before (its unsaved changes
    framed), where reading the grants again would have failed it; nothing is written without the database."""
    from sqlalchemy.exc import OperationalError

    def lost(*_a: object, **_k: object) -> None:
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(users, "current_actor", lost)
    at = AppTest.from_function(_acting_script)
    at.run()
    assert not at.exception
    assert "KEN" in at.markdown[0].value


def test_a_deactivated_user_acts_with_no_grant(multi: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_a: object, **_k: object) -> None:
        raise users.SignInRefused(users.reason("usr_not_invited", email="fp@ken.example"))

    monkeypatch.setattr(users, "current_actor", refused)
    at = AppTest.from_function(_acting_script)
    at.run()
    assert not at.exception
    assert at.markdown[0].value == "()"
