"""Compare as each role (multi-user mode): what is counted, and what a country's user sees of the others."""

from __future__ import annotations

import secrets

import pandas as pd
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from assessment import service, users
from tests.compare.conftest import make_doc
from tests.ui.conftest import Env, open_page, texts
from tests.ui.test_compare import open_tab

# Kenya's focal point's own country, and six other African countries, all 2025: five published (the least a
# group median is shown from, besides the reader's own country), one validated.
STATES = {"KEN": "submitted", "RWA": "published", "ETH": "published", "NGA": "published", "GHA": "published",
          "UGA": "published", "SEN": "validated"}
OTHERS = ("Rwanda", "Ethiopia", "Nigeria", "Ghana", "Uganda", "Senegal")


@pytest.fixture
def world(env: Env, monkeypatch: pytest.MonkeyPatch) -> Env:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    with env.session() as s:
        for i, (iso3, state) in enumerate(STATES.items()):
            service.import_document(s, doc=make_doc(env.questionnaire, iso3, 2025, level=i / len(STATES)),
                                    questionnaire=env.questionnaire)
            s.execute(text("UPDATE assessment SET status = :st WHERE country = :c"), {"st": state, "c": iso3})
        s.commit()
        users.invite(s, email="fp@ken.example", role="focal_point", country="KEN")
        users.invite(s, email="adv@itu.example", role="adviser")
        users.invite(s, email="viewer@ken.example", role="viewer", country="KEN")
    return env


def signed_in(env: Env, email: str, lang: str = "en") -> AppTest:
    at = env.app()
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                          "cookie_secret": secrets.token_urlsafe(48), "client_id": "c", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": email, "sub": email, "email_verified": True}
    if lang != "en":
        at.query_params["lang"] = lang
    at = open_page(at, "compare")
    assert not at.exception
    # The scores tab, where the heatmap and the (published) group medians are; the map is the first tab (issue 26).
    if at.tabs:
        open_tab(at, "scores", lang)
    return at


def _published_table(at: AppTest) -> pd.DataFrame | None:
    return next((df.value for df in at.dataframe if "Region or group" in df.value.columns), None)


def test_a_group_of_the_readers_own_country_and_four_others_is_not_published_to_them(
        env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19.9: Kenya's focal point read "Africa 20.7", Tanzania's score, from a median of three countries."""
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    with env.session() as s:
        for i, iso3 in enumerate(("KEN", "TZA", "RWA", "ETH", "NGA")):
            service.import_document(s, doc=make_doc(env.questionnaire, iso3, 2025, level=i / 5),
                                    questionnaire=env.questionnaire)
        s.execute(text("UPDATE assessment SET status = 'published'"))
        s.commit()
        users.invite(s, email="fp@ken.example", role="focal_point", country="KEN")
        users.invite(s, email="fp@fra.example", role="focal_point", country="FRA")
    kenya = signed_in(env, "fp@ken.example")
    table = _published_table(kenya)
    assert table is None or not table["Region or group"].str.startswith("Africa").any()
    assert "No region or group has 5 published assessments" in texts(kenya)
    france = signed_in(env, "fp@fra.example")  # five African countries, none of them the reader's
    table = _published_table(france)
    assert table is not None and "Africa (n=5)" in list(table["Region or group"])
    values = table.drop(columns="Region or group").to_numpy(dtype=float).ravel()
    assert all(float(v).is_integer() for v in values if v == v)  # whole points: no score to the decimal


def heatmap_countries(at: AppTest) -> list[str]:
    import json

    return list(json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"])


@pytest.mark.parametrize("email", ["fp@ken.example", "viewer@ken.example"])
def test_a_country_user_sees_their_own_rows_and_published_medians_only(world: Env, email: str) -> None:
    at = signed_in(world, email)
    assert heatmap_countries(at) == ["Kenya"]
    shown = texts(at)
    assert "other countries appear only in the published group medians" in shown
    published = next(df.value for df in at.dataframe if "Region or group" in df.value.columns)
    assert "Africa (n=5)" in list(published["Region or group"])  # the five published; not Senegal, not Kenya
    cells = " ".join(str(v) for df in at.dataframe for v in df.value.astype(str).to_numpy().ravel())
    for other in OTHERS:
        assert other not in cells  # never another country's row
    open_tab(at, "assistance")
    assert not [r for r in at.radio if r.key == "compare.need_basis"]  # their own data: no switch to offer
    assert "Validated by a BDT adviser: 0 of 1; self-reported: 1 of 1." in texts(at)


def _opened_on(env: Env, email: str) -> tuple[str, AppTest]:
    """Compare as ``email`` opens it, no tab chosen: the open tab's name, and the page."""
    at = env.app()
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                          "cookie_secret": secrets.token_urlsafe(48), "client_id": "c", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "email": email, "sub": email, "email_verified": True}
    at = open_page(at, "compare")
    assert not at.exception
    [opened] = [tab.label for tab in at.tabs if tab.children]  # only the open tab is drawn
    return opened, at


def test_a_country_user_opens_compare_on_their_scores_beside_the_published_medians(world: Env) -> None:
    """The map would show their own country alone: they open where the published group medians are."""
    opened, at = _opened_on(world, "fp@ken.example")
    assert opened == "Scores and ranks"
    assert heatmap_countries(at) == ["Kenya"]
    assert any("Region or group" in df.value.columns for df in at.dataframe)


def test_an_adviser_opens_compare_on_the_map(world: Env) -> None:
    opened, _ = _opened_on(world, "adv@itu.example")
    assert opened == "Map"


def test_an_adviser_counts_handed_in_assessments_and_may_keep_validated_ones_only(world: Env) -> None:
    at = signed_in(world, "adv@itu.example")
    assert sorted(heatmap_countries(at)) == ["Ethiopia", "Ghana", "Kenya", "Nigeria", "Rwanda", "Senegal", "Uganda"]
    assert "published group medians" not in texts(at)
    open_tab(at, "assistance")
    assert "Validated by a BDT adviser: 6 of 7; self-reported: 1 of 7." in texts(at)
    at.radio(key="compare.need_basis").set_value("validated").run()
    assert not at.exception
    raw = next(df.value for df in at.dataframe if "Points at stake" in df.value.columns)
    assert not raw["Which countries (region, groups)"].str.contains("Kenya").any()
    assert (raw["Self-reported"] == 0).all()
    assert "Countries counted: 6; self-reported countries left out: 1." in texts(at)


def test_an_adviser_never_counts_drafts(world: Env) -> None:
    with world.session() as s:
        s.execute(text("UPDATE assessment SET status = 'draft' WHERE country = 'KEN'"))
        s.commit()
    at = signed_in(world, "adv@itu.example")
    at.toggle(key="compare.drafts").set_value(True).run()
    assert "Kenya" not in heatmap_countries(at)


def test_the_published_medians_in_french(world: Env) -> None:
    at = signed_in(world, "fp@ken.example", "fr")
    assert "Médianes publiées des groupes" in [h.value for h in at.subheader]
    published = next(df.value for df in at.dataframe if "Région ou groupe" in df.value.columns)
    assert "Afrique (n=5)" in list(published["Région ou groupe"])


# A country with no assessment at all (Tanzania, in Africa like the published three): its users still see
# the published group medians, are told why their own rows are missing, and a focal point is offered a start.
NO_OWN = {"fp@tza.example": "focal_point", "viewer@tza.example": "viewer"}


@pytest.fixture
def newcomers(env: Env, monkeypatch: pytest.MonkeyPatch) -> Env:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    with env.session() as s:
        for email, role in NO_OWN.items():
            users.invite(s, email=email, role=role, country="TZA")
    return env


def _publish(env: Env, states: dict[str, str], cycle: int = 2025) -> None:
    with env.session() as s:
        for i, (iso3, state) in enumerate(states.items()):
            service.import_document(s, doc=make_doc(env.questionnaire, iso3, cycle, level=i / len(states)),
                                    questionnaire=env.questionnaire)
            s.execute(text("UPDATE assessment SET status = :st WHERE country = :c"), {"st": state, "c": iso3})
        s.commit()


def _start_links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link") if link.proto.label == "Commencer une évaluation"]


@pytest.mark.parametrize("email", sorted(NO_OWN))
def test_a_country_user_with_no_assessment_sees_the_published_medians_in_french(newcomers: Env, email: str) -> None:
    _publish(newcomers, {"RWA": "published", "ETH": "published", "NGA": "published", "GHA": "published",
                         "UGA": "published", "SEN": "validated"}, 2024)
    _publish(newcomers, {"KEN": "published"}, 2025)  # a newer cycle with one published country: too few
    at = signed_in(newcomers, email, "fr")
    shown = texts(at)
    assert "Votre pays n'a pas encore d'évaluation à comparer" in shown
    assert "Médianes publiées des groupes" in [h.value for h in at.subheader]
    assert at.selectbox(key="compare.published_cycle").options == ["2025", "2024"]  # published cycles, newest first
    assert ("Aucune région ni aucun groupe ne compte encore 5 évaluations publiées en plus de celle de votre pays "
            "pour le cycle 2025") in shown
    at.selectbox(key="compare.published_cycle").set_value(2024).run()
    assert not at.exception
    published = next(df.value for df in at.dataframe if "Région ou groupe" in df.value.columns)
    assert "Afrique (n=5)" in list(published["Région ou groupe"])  # the five published; not Senegal
    cells = " ".join(str(v) for df in at.dataframe for v in df.value.astype(str).to_numpy().ravel())
    for other in ("Rwanda", "Éthiopie", "Nigéria", "Ghana", "Ouganda", "Sénégal", "Kenya"):
        assert other not in cells  # never another country's row
    may_start = NO_OWN[email] == "focal_point"
    assert bool(_start_links(at)) is may_start
    assert ("le point focal de votre pays peut en commencer une" in texts(at)) is not may_start


@pytest.mark.parametrize("email", sorted(NO_OWN))
def test_a_country_user_with_no_assessment_and_nothing_published_is_told_so(newcomers: Env, email: str) -> None:
    _publish(newcomers, {"RWA": "validated", "ETH": "submitted"})  # handed in, none published yet
    at = signed_in(newcomers, email, "fr")
    shown = texts(at)
    assert "Votre pays n'a pas encore d'évaluation à comparer" in shown
    assert "Aucune évaluation n'a encore été publiée" in shown
    assert not at.dataframe and not at.get("plotly_chart")
    assert not [s for s in at.selectbox if s.key == "compare.published_cycle"]
    assert bool(_start_links(at)) is (NO_OWN[email] == "focal_point")


def test_a_country_user_with_demo_data_only_sees_the_real_published_medians_on_the_real_data_set(
        newcomers: Env) -> None:
    _publish(newcomers, {"RWA": "published", "ETH": "published", "NGA": "published", "GHA": "published",
                         "UGA": "published"}, 2024)
    with newcomers.session() as s:  # Tanzania's only assessment is illustrative
        service.import_document(s, doc=make_doc(newcomers.questionnaire, "TZA", 2025, illustrative=True),
                                questionnaire=newcomers.questionnaire)
    at = signed_in(newcomers, "viewer@tza.example", "fr")
    assert heatmap_countries(at) == ["République-Unie de Tanzanie"]  # demo data set: no real one
    at.toggle(key="compare.illustrative").set_value(False).run()
    assert not at.exception
    assert "Aucune évaluation dans ce jeu de données" in texts(at)
    assert at.selectbox(key="compare.published_cycle").options == ["2024"]
    published = next(df.value for df in at.dataframe if "Région ou groupe" in df.value.columns)
    assert "Afrique (n=5)" in list(published["Région ou groupe"])
    assert not at.warning  # real data: no illustrative banner


def _countries_shown(at: AppTest) -> set[str]:
    shown = " ".join([*texts(at), *(df.value.to_string() for df in at.dataframe), *(str(m.value) for m in at.markdown)])
    return {name for name in ("Kenya", "Tanzania") if name in shown}


def test_a_reader_moved_to_another_country_no_longer_sees_the_first(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compare's frame was cached under the reader's name and the data state: after an administrator moved Kenya's
    focal point to Tanzania, they still saw Kenya's row and not Tanzania's, while the two countries' assessments had
    the same count, version and time of last change (the grants are part of the key now)."""
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    with env.session() as s:
        for iso3 in ("KEN", "TZA"):
            service.import_document(s, doc=make_doc(env.questionnaire, iso3, 2025, level=0.5),
                                    questionnaire=env.questionnaire)
        s.execute(text("UPDATE assessment SET status = 'submitted', version = 1, "
                       "updated_at = '2025-06-01 00:00:00.000000'"))
        s.commit()
        users.invite(s, email="fp@moved.example", role="focal_point", country="KEN")
    assert _countries_shown(signed_in(env, "fp@moved.example")) == {"Kenya"}
    with env.session() as s:
        users.revoke(s, email="fp@moved.example")
        users.grant(s, email="fp@moved.example", role="focal_point", country="TZA")
    assert _countries_shown(signed_in(env, "fp@moved.example")) == {"Tanzania"}
