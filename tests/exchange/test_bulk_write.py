"""The bulk write (exchange.bulk.Writer) writes exactly the rows apply_plan writes one assessment at a time.

A large export's second reading writes new assessments with multi-row INSERTs instead of one plan at a time;
the database must not be able to tell: the same assessments, answers, change log (in order), audit events
and stored scores, whatever ids and timestamps. Existing assessments and taken keys go the per-plan way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from answers.document import Answer
from assessment import db, scores, service
from assessment.access import LOCAL_ADMIN
from assessment.account_models import AuditEvent
from assessment.documents import headers
from assessment.models import ANSWER_TABLE, ASSESSMENT_TABLE, CHANGE_LOG_TABLE, SCORE_TABLE
from exchange.bulk import Planner, Writer, key_of
from exchange.patch import ImportPatch, patch_from_document
from exchange.plan import ImportPlan, PlanChanged, apply_plan, make_plan
from questionnaires import Questionnaire
from tests.compare.conftest import make_doc

RICH = {
    "pol_framework": Answer(value="adopted", evidence="Law 12/2020", comment="Checked by the ministry", review=True),
    "pol_elements": Answer(value=["licensing"], evidence="Decree 4"),
    "pol_city": Answer(not_applicable=True, justification="Cities are provincial"),
    "v6_users": Answer(value=40.0, comment="From the 2024 survey"),
}
TIMES = {"at", "created_at", "updated_at", "computed_at", "source_updated_at"}


def _patches(mini: Questionnaire) -> list[ImportPatch]:
    docs = [
        make_doc(mini, "KEN", 2025, answers=dict(RICH), status="submitted", targets={"ipv6": 60.0}),
        make_doc(mini, "UGA", 2025, answers={"v6_users": Answer(dont_know=True)}, status="draft"),
        make_doc(mini, "KEN", 2024, answers={"v6_users": Answer(value=55.0)}, status="draft"),  # saved before
        make_doc(mini, "RWA", 2026, answers=dict(RICH), status="draft", targets={"overall": "advancing"}),
        make_doc(mini, "RWA", 2026, answers={"pol_elements": Answer(value=[])}, illustrative=True),
    ]
    return [patch_from_document(d) for d in docs]


def _saved_before(engine: Engine, mini: Questionnaire) -> None:
    with Session(engine) as s:
        service.import_document(s, doc=make_doc(mini, "KEN", 2024, answers=dict(RICH), status="draft"),
                                questionnaire=mini)


def _one_by_one(engine: Engine, mini: Questionnaire, patches: list[ImportPatch]) -> None:
    with Session(engine) as s:
        for patch in patches:
            apply_plan(s, plan=make_plan(s, patch=patch, questionnaire=mini), questionnaire=mini, commit=False)
        s.commit()
        ids = list(s.execute(select(ASSESSMENT_TABLE.c.id)).scalars())
        scores.recompute(s, mini, headers(s, ids))  # what the list stores on first reading


def _bulk(engine: Engine, mini: Questionnaire, patches: list[ImportPatch], chunk: int) -> None:
    with Session(engine) as s:
        plans: list[ImportPlan] = []
        planner = Planner(s, mini, LOCAL_ADMIN, plans.append, chunk=chunk)
        for patch in patches:
            planner.add(patch)
        planner.finish()
        stamps = {key_of(p.patch): p.stamp() for p in plans if p.changes}
        writer = Writer(s, mini, LOCAL_ADMIN, stamps, chunk=chunk)
        for patch in patches:
            writer.add(patch)
        writer.finish()
        s.commit()
        # Only what the list would recompute: an assessment apply_plan changed (its score is stale); the new
        # ones' stored scores must already be those the list computes.
        stamps = {r.assessment_id: r.source_updated_at for r in s.execute(select(SCORE_TABLE))}
        stale = [r.id for r in s.execute(select(ASSESSMENT_TABLE)) if stamps.get(r.id) != r.updated_at]
        assert len(stale) == 1
        scores.recompute(s, mini, headers(s, stale))


def _dump(engine: Engine) -> dict[str, Any]:
    """Every row the import writes, ids replaced by the assessment they belong to, timestamps left out."""
    with engine.connect() as c:
        keys = {r.id: (r.country, r.cycle, r.illustrative) for r in c.execute(select(ASSESSMENT_TABLE))}
        out: dict[str, Any] = {}
        for name, table in (("assessment", ASSESSMENT_TABLE), ("answer", ANSWER_TABLE),
                            ("change_log", CHANGE_LOG_TABLE), ("audit", AuditEvent.__table__),  # type: ignore[attr-defined]
                            ("score", SCORE_TABLE)):
            rows = []
            key_column = "id" if name == "assessment" else "assessment_id"
            for r in c.execute(select(table).order_by(*table.primary_key.columns)):
                row = dict(r._mapping)
                row["key"] = keys.get(row.pop(key_column))
                rows.append({k: v for k, v in row.items() if k not in TIMES and k != "id"})
            # The change log and audit in id order per assessment (as they read), answers by question.
            out[name] = sorted(rows, key=lambda r: (repr(r["key"]), r.get("question_id") or "") if name == "answer"
                               else repr(r["key"]))
        stamps = {r.assessment_id: r.source_updated_at for r in c.execute(select(SCORE_TABLE))}
        updated = {r.id: r.updated_at for r in c.execute(select(ASSESSMENT_TABLE))}
        out["scores_fresh"] = all(stamps.get(aid) == at for aid, at in updated.items())
    return out


@pytest.mark.parametrize("chunk", [2, 100])
def test_the_bulk_write_writes_the_rows_apply_plan_writes(mini: Questionnaire, tmp_path: Path, chunk: int) -> None:
    one, bulk = (db.connect(f"sqlite:///{tmp_path / name}") for name in ("one.sqlite", "bulk.sqlite"))
    try:
        for engine in (one, bulk):
            _saved_before(engine, mini)
        patches = _patches(mini)
        _one_by_one(one, mini, patches)
        _bulk(bulk, mini, patches, chunk)
        expected, got = _dump(one), _dump(bulk)
        assert len(got["assessment"]) == 5 and got["scores_fresh"] and expected["scores_fresh"]
        for name in expected:
            assert got[name] == expected[name], name
    finally:
        one.dispose()
        bulk.dispose()


def test_a_key_taken_since_the_first_reading_is_a_changed_plan(mini: Questionnaire, session: Session) -> None:
    [patch] = [p for p in _patches(mini) if p.country == "UGA"]
    plans: list[ImportPlan] = []
    planner = Planner(session, mini, LOCAL_ADMIN, plans.append)
    planner.add(patch)
    planner.finish()
    service.import_document(session, doc=make_doc(mini, "UGA", 2025, answers={}, status="draft"),
                            questionnaire=mini)  # someone else, between the two readings
    writer = Writer(session, mini, LOCAL_ADMIN, {key_of(patch): plans[0].stamp()})
    writer.add(patch)
    with pytest.raises(PlanChanged):
        writer.finish()


def test_a_checked_new_assessment_is_planned_as_when_checked_again(mini: Questionnaire, session: Session) -> None:
    """A streamed export's first reading checks each document whole; the plan of a new one skips a second check."""
    from dataclasses import replace

    for patch in _patches(mini):
        full = make_plan(session, patch=patch, questionnaire=mini)
        fast = make_plan(session, patch=replace(patch, checked=True), questionnaire=mini)
        assert full.ready and fast.ready
        assert (fast.stamp(), fast.changes, fast.answers, fast.targets, fast.status, fast.problems) == (
            full.stamp(), full.changes, full.answers, full.targets, full.status, full.problems)


def test_a_checked_document_merged_with_a_saved_assessment_is_checked_again(mini: Questionnaire,
                                                                            session: Session) -> None:
    """The document alone is fine; merged with what is saved it is not (not applicable, its justification cleared)."""
    from dataclasses import replace

    service.import_document(session, doc=make_doc(mini, "KEN", 2024, answers=dict(RICH), status="draft"),
                            questionnaire=mini)
    doc = make_doc(mini, "KEN", 2024, answers={"pol_city": Answer(justification=None)}, status="draft")
    patch = replace(patch_from_document(doc), checked=True)
    plan = make_plan(session, patch=patch, questionnaire=mini)
    assert not plan.ready and [p.question_id for p in plan.problems] == ["pol_city"]


def test_the_second_reading_hands_over_what_the_first_checked(mini: Questionnaire, tmp_path: Path) -> None:
    from exchange.bulk import stream_patches
    from exchange.export import export_json

    docs = [make_doc(mini, "KEN", 2025, answers=dict(RICH), targets={"ipv6": 60.5, "overall": "advancing"}),
            make_doc(mini, "UGA", 2025, answers={"v6_users": Answer(value=12)})]
    path = tmp_path / "export.json"
    path.write_bytes(export_json(mini, docs).replace(b"40.0", b"4e1"))
    first: list[ImportPatch] = []
    second: list[ImportPatch] = []
    digest = stream_patches(mini, path, first.append)
    assert stream_patches(mini, path, second.append, checked=True) == digest
    assert second == first and len(first) == 2
    path.write_bytes(path.read_bytes() + b" ")  # a byte more: another file
    assert stream_patches(mini, path, second.append, checked=True) != digest


def test_a_file_changed_between_check_and_save_saves_nothing(mini: Questionnaire, db_engine: Engine,
                                                              tmp_path: Path) -> None:
    from contextlib import AbstractContextManager

    from exchange.bulk import FileChanged, plan_file, write_file
    from exchange.export import export_json

    def opener() -> AbstractContextManager[Session]:
        return Session(db_engine)

    path = tmp_path / "export.json"
    path.write_bytes(export_json(mini, [make_doc(mini, "KEN", 2025, answers=dict(RICH), status="draft")]))
    plan = plan_file(mini, path, opener, actor=LOCAL_ADMIN)
    assert plan.count("created") == 1
    path.write_bytes(path.read_bytes().replace(b"Law 12/2020", b"Law 13/2020"))  # same length, other bytes
    with pytest.raises(FileChanged):
        write_file(mini, path, plan, opener, actor=LOCAL_ADMIN)
    with Session(db_engine) as s:
        assert list(s.execute(select(ASSESSMENT_TABLE))) == []
