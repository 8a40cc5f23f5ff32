"""Compare's service layer beyond a user's own rows: workflow states, and medians of published assessments only.

Runs on SQLite and, with ``TEST_DATABASE_URL``, PostgreSQL (the ``session`` fixture).
"""

from __future__ import annotations

import statistics

import pytest
from sqlalchemy import update
from sqlmodel import Session

from assessment import aggregates, service
from assessment.access import Actor, Grant
from assessment.filters import AssessmentFilter
from assessment.models import Assessment
from questionnaires import Questionnaire
from tests.compare.conftest import make_doc

AFRICA = ("KEN", "RWA", "ETH", "NGA")  # every one in the ITU Africa region


def _seed(s: Session, q: Questionnaire, states: dict[str, str], cycle: int = 2025) -> dict[str, str]:
    """One assessment per country at a distinct level, moved to the given workflow state; country -> id."""
    ids = {}
    for i, (iso3, state) in enumerate(states.items()):
        service.import_document(s, doc=make_doc(q, iso3, cycle, level=i / max(len(states), 1)), questionnaire=q)
        aid = service.list_assessments(s, AssessmentFilter(country=iso3, cycle=cycle))[0].id
        s.execute(update(Assessment).where(Assessment.id == aid).values(status=state))  # type: ignore[arg-type]
        ids[iso3] = aid
    s.commit()
    return ids


def _focal_point(iso3: str) -> Actor:
    return Actor(name=f"fp@{iso3.lower()}.example", grants=(Grant("focal_point", iso3),))


AFRICA_SIX = ("KEN", "RWA", "ETH", "NGA", "GHA", "UGA")


def test_medians_count_published_assessments_only(session: Session, mini: Questionnaire) -> None:
    states = {**dict.fromkeys(AFRICA_SIX[1:], "published"), "SEN": "validated"}
    _seed(session, mini, states)
    medians = aggregates.published_medians(session, questionnaire=mini, cycle=2025, actor=_focal_point("FRA"))
    published = [c for c, st in states.items() if st == "published"]
    overall = {c: float(service.list_assessments(session, AssessmentFilter(questionnaire=mini, country=c))[0].overall
                        or 0.0) for c in published}
    assert medians.loc["Africa", "n"] == 5
    assert medians.loc["Africa", "overall"] == round(statistics.median(overall.values()))


def test_a_group_with_too_few_published_countries_is_not_shown(session: Session, mini: Questionnaire) -> None:
    _seed(session, mini, {"KEN": "published", "RWA": "published", "FRA": "published", "ETH": "submitted"})
    medians = aggregates.published_medians(session, questionnaire=mini, cycle=2025, actor=_focal_point("KEN"))
    assert "Africa" not in medians.index  # 2 published: their median would all but name them
    assert "Europe" not in medians.index
    assert (medians["n"] >= aggregates.MIN_COUNTRIES).all()
    assert "developing" not in medians.index  # Kenya and Rwanda; France is not a developing country


def test_a_median_of_three_published_countries_is_not_shown(session: Session, mini: Questionnaire) -> None:
    """Issue 19.9: "Africa 20.7" over Kenya, Tanzania and one more was exactly Tanzania's score."""
    _seed(session, mini, dict.fromkeys(("KEN", "TZA", "RWA"), "published"))
    for reader in ("KEN", "FRA"):
        medians = aggregates.published_medians(session, questionnaire=mini, cycle=2025, actor=_focal_point(reader))
        assert "Africa" not in medians.index


def test_the_readers_own_country_does_not_count_towards_the_minimum(session: Session, mini: Questionnaire) -> None:
    _seed(session, mini, dict.fromkeys(AFRICA_SIX[:5], "published"))  # Kenya and four others
    assert "Africa" in aggregates.published_medians(session, questionnaire=mini, cycle=2025,
                                                    actor=_focal_point("FRA")).index
    assert "Africa" not in aggregates.published_medians(session, questionnaire=mini, cycle=2025,
                                                        actor=_focal_point("KEN")).index
    _seed(session, mini, {"UGA": "published"})  # five others besides Kenya
    assert aggregates.published_medians(session, questionnaire=mini, cycle=2025,
                                        actor=_focal_point("KEN")).loc["Africa", "n"] == 6


def test_published_medians_are_rounded_to_whole_points(session: Session, mini: Questionnaire) -> None:
    _seed(session, mini, dict.fromkeys(AFRICA_SIX, "published"))
    medians = aggregates.published_medians(session, questionnaire=mini, cycle=2025, actor=_focal_point("FRA"))
    values = medians.drop(columns="n").to_numpy(dtype=float).ravel()
    assert values.size and all(float(v).is_integer() for v in values if v == v)


def test_medians_never_hold_a_country_row_and_follow_the_cycle(session: Session, mini: Questionnaire) -> None:
    _seed(session, mini, dict.fromkeys(AFRICA, "published"))
    medians = aggregates.published_medians(session, questionnaire=mini, cycle=2025, actor=_focal_point("FRA"))
    assert not set(medians.index) & set(AFRICA)
    assert "country" not in medians.columns
    assert aggregates.published_medians(session, questionnaire=mini, cycle=2024, actor=_focal_point("FRA")).empty


def test_the_published_stamp_moves_when_a_publication_does(session: Session, mini: Questionnaire) -> None:
    ids = _seed(session, mini, {"KEN": "validated", "RWA": "published"})
    fp = _focal_point("FRA")
    before = aggregates.published_stamp(session, questionnaire=mini, actor=fp)
    service.transition(session, assessment_id=ids["KEN"], action="publish", note="released")
    assert aggregates.published_stamp(session, questionnaire=mini, actor=fp) != before


def test_published_cycles_are_those_with_a_published_assessment_newest_first(
        session: Session, mini: Questionnaire) -> None:
    _seed(session, mini, {"KEN": "published", "RWA": "validated"}, cycle=2023)
    _seed(session, mini, {"ETH": "published"}, cycle=2025)
    _seed(session, mini, {"NGA": "submitted"}, cycle=2026)  # handed in, not published: not offered
    fp = _focal_point("FRA")  # a country with no assessment at all still gets the list
    assert aggregates.published_cycles(session, questionnaire=mini, actor=fp) == [2025, 2023]
    assert aggregates.published_cycles(session, questionnaire=mini, illustrative=True, actor=fp) == []


def test_workflow_states_are_those_the_actor_may_list(session: Session, mini: Questionnaire) -> None:
    ids = _seed(session, mini, {"KEN": "draft", "RWA": "validated", "ETH": "under_review"})
    adviser = Actor(name="adviser@itu.example", grants=(Grant("adviser"),))
    assert aggregates.workflow_states(session, questionnaire=mini, actor=adviser) == {
        ids["RWA"]: "validated", ids["ETH"]: "under_review"}
    assert aggregates.workflow_states(session, questionnaire=mini, actor=_focal_point("KEN")) == {ids["KEN"]: "draft"}
    with pytest.raises(service.Forbidden):
        aggregates.workflow_states(session, questionnaire=mini, actor=Actor(name="nobody@example.org"))
