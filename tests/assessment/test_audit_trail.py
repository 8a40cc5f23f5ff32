"""The audit trail of every move (issue 27.2): one table, one row per audited action, expectations written here.

Each case brings an assessment (or a user) to the state the action needs, takes the action through the service
layer as a real caller does (the pages, the command line), and compares the newest audit event with what the
row states: event, who, country, assessment (the one acted on, or none) and the detail fields that matter.
The expectations are written out, never read from the code (``workflow.TRANSITIONS``), so a move that stops
being audited, or an event that loses its country, fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import Session

from answers.document import Answer, AnswersDocument
from assessment import audit, history, review, service, users
from assessment.access import Actor, Grant
from exchange.patch import ImportPatch, QuestionPatch
from exchange.plan import apply_plan, make_plan
from questionnaires import Questionnaire

FOCAL = Actor("fp@ken.example", (Grant("focal_point", "KEN"),))
ADVISER = Actor("adv@itu.example", (Grant("adviser"),))
ADMIN = Actor("admin@itu.example", (Grant("admin"),))
ASSESSMENT = "<the assessment acted on>"  # the row's assessment column must be the id the case acted on


def _draft(s: Session, q: Questionnaire, country: str = "KEN") -> str:
    return service.get_or_create_assessment(s, country=country, cycle=2025, questionnaire=q, actor=ADMIN).id


def _move(s: Session, aid: str, *actions: str) -> None:
    """Walk the assessment through ``actions`` as the administrator (the setup, not what is checked)."""
    for action in actions:
        service.transition(s, assessment_id=aid, action=action, actor=ADMIN)  # type: ignore[arg-type]


def _at(*actions: str) -> Callable[[Session, Questionnaire], str]:
    def setup(s: Session, q: Questionnaire) -> str:
        aid = _draft(s, q)
        _move(s, aid, *actions)
        return aid
    return setup


def _doc(q: Questionnaire, status: str = "draft") -> AnswersDocument:
    return AnswersDocument(questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
                           country="KEN", cycle=2025, status=status,  # type: ignore[arg-type]
                           answers={"pol_framework": Answer(value="adopted", comment="Law 12/2024")})


def _patch(q: Questionnaire) -> ImportPatch:
    return ImportPatch(questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
                       country="KEN", cycle=2025,
                       questions={"pol_framework": QuestionPatch({"value": "adopted", "comment": "Law 12/2024"})})


def _with_query(s: Session, q: Questionnaire) -> str:
    aid = _at("submit", "review")(s, q)
    review.add_comment(s, assessment_id=aid, question_id="pol_framework", body="Which law?", actor=ADVISER)
    return aid


def _validate_knowingly(s: Session, q: Questionnaire, aid: str) -> None:
    seen = service.open_queries(s, assessment_id=aid, actor=ADVISER)
    service.transition(s, assessment_id=aid, action="validate", note="Checked with the regulator",
                       acknowledged_open=seen, actor=ADVISER)


def _deleted(s: Session, q: Questionnaire) -> str:
    aid = _draft(s, q)
    history.delete_assessment(s, assessment_id=aid, actor=FOCAL)
    return aid


def _invited(s: Session, q: Questionnaire) -> str | None:
    users.invite(s, email="amina@regulator.ke", role="viewer", country="KEN", actor=ADMIN)
    return None


def _refuse(s: Session, q: Questionnaire, aid: str) -> None:
    with pytest.raises(users.SignInRefused):
        users.sign_in(s, subject="sub-x", email="stranger@example.org", email_verified=True)


def _export(s: Session, q: Questionnaire, aid: str) -> None:
    """As ``iotready export -f csv`` records it (iotready/outputs_cli.py, export_cmd)."""
    from assessment.filters import AssessmentFilter

    docs = [d for d in service.export_documents(s, AssessmentFilter(questionnaire=q), actor=FOCAL)
            if d.status == "submitted"]
    audit.log_export(s, what="csv", countries=[d.country for d in docs], count=len(docs), actor=FOCAL,
                     source="cli_export", cycles=[d.cycle for d in docs])


def _report(s: Session, q: Questionnaire, aid: str) -> None:
    """As ``iotready report --assessment ID`` records it (iotready/outputs_cli.py, report_cmd)."""
    docs = [service.get_document(s, aid, actor=ADVISER)]
    audit.log_export(s, what="pdf", countries=[d.country for d in docs], count=len(docs), actor=ADVISER,
                     source="cli_report", cycles=[d.cycle for d in docs], assessment_ids=[aid])


@dataclass(frozen=True)
class Event:
    """An audit event as expected: what, who, where, on which assessment, and the detail fields that matter."""

    event: str
    by: str
    country: str | None
    assessment: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class Case:
    setup: Callable[[Session, Questionnaire], str | None]
    act: Callable[[Session, Questionnaire, Any], object]
    event: str
    by: str
    country: str | None
    assessment: str | None
    detail: dict[str, Any] = field(default_factory=dict)
    earlier: tuple[Event, ...] = ()  # the other events the same action records, newest first

    def expected(self) -> tuple[Event, ...]:
        return (Event(self.event, self.by, self.country, self.assessment, self.detail), *self.earlier)


def _tr(action: str, actor: Actor, note: str | None = None) -> Callable[[Session, Questionnaire, Any], object]:
    return lambda s, q, aid: service.transition(s, assessment_id=aid, action=action, note=note,  # type: ignore[arg-type]
                                                actor=actor)


CASES: dict[str, Case] = {
    # --- every move of the workflow ---
    "submit a draft": Case(
        _at(), _tr("submit", FOCAL), "status", "fp@ken.example", "KEN", ASSESSMENT,
        {"from": "draft", "to": "submitted", "action": "submit", "note": ""}),
    "submit by the button's service call": Case(
        _at(), lambda s, q, aid: service.submit_assessment(s, assessment_id=aid, actor=FOCAL),
        "status", "fp@ken.example", "KEN", ASSESSMENT, {"from": "draft", "to": "submitted", "action": "submit"}),
    "withdraw a submission (reopen)": Case(
        _at("submit"), lambda s, q, aid: service.reopen_assessment(s, assessment_id=aid, actor=FOCAL),
        "status", "fp@ken.example", "KEN", ASSESSMENT,
        {"from": "submitted", "to": "draft", "action": "reopen", "note": ""}),
    "withdraw a resubmission (reopen)": Case(
        _at("submit", "review", "return", "submit"), _tr("reopen", FOCAL),
        "status", "fp@ken.example", "KEN", ASSESSMENT, {"from": "resubmitted", "to": "returned", "action": "reopen"}),
    "start the review": Case(
        _at("submit"), _tr("review", ADVISER), "status", "adv@itu.example", "KEN", ASSESSMENT,
        {"from": "submitted", "to": "under_review", "action": "review", "note": ""}),
    "return with a note": Case(
        _at("submit", "review"), _tr("return", ADVISER, "Cite the law"), "status", "adv@itu.example", "KEN",
        ASSESSMENT, {"from": "under_review", "to": "returned", "action": "return", "note": "Cite the law"}),
    "resubmit after a return": Case(
        _at("submit", "review", "return"), _tr("submit", FOCAL), "status", "fp@ken.example", "KEN", ASSESSMENT,
        {"from": "returned", "to": "resubmitted", "action": "submit", "note": ""}),
    "review a resubmission": Case(
        _at("submit", "review", "return", "submit"), _tr("review", ADVISER), "status", "adv@itu.example", "KEN",
        ASSESSMENT, {"from": "resubmitted", "to": "under_review", "action": "review"}),
    "validate": Case(
        _at("submit", "review"), _tr("validate", ADVISER, "Consistent"), "status", "adv@itu.example", "KEN",
        ASSESSMENT, {"from": "under_review", "to": "validated", "action": "validate", "note": "Consistent"}),
    "validate with a query still open": Case(
        _with_query, _validate_knowingly, "status", "adv@itu.example", "KEN", ASSESSMENT,
        {"from": "under_review", "to": "validated", "action": "validate", "note": "Checked with the regulator",
         "open_queries": 1}),
    "publish": Case(
        _at("submit", "review", "validate"), _tr("publish", ADVISER), "status", "adv@itu.example", "KEN", ASSESSMENT,
        {"from": "validated", "to": "published", "action": "publish", "note": ""}),
    # --- imports ---
    "import a new assessment (service)": Case(
        lambda s, q: None, lambda s, q, aid: service.import_document(s, doc=_doc(q), questionnaire=q, actor=FOCAL),
        "import", "fp@ken.example", "KEN", ASSESSMENT, {"cycle": 2025, "created": True}),
    "import into a draft (service)": Case(
        _at(), lambda s, q, aid: service.import_document(s, doc=_doc(q), questionnaire=q, actor=FOCAL),
        "import", "fp@ken.example", "KEN", ASSESSMENT, {"cycle": 2025, "created": False, "changed": 1}),
    "import a file that says submitted (service)": Case(
        _at(), lambda s, q, aid: service.import_document(s, doc=_doc(q, "submitted"), questionnaire=q, actor=FOCAL),
        "import", "fp@ken.example", "KEN", ASSESSMENT, {"cycle": 2025, "created": False, "changed": 2},
        # the file's "submitted" is the workflow's submit move, audited as the button's, just before the import
        earlier=(Event("status", "fp@ken.example", "KEN", ASSESSMENT,
                       {"from": "draft", "to": "submitted", "action": "submit", "note": "", "source": "import"}),)),
    "import a workbook's plan": Case(
        _at(), lambda s, q, aid: apply_plan(s, plan=make_plan(s, patch=_patch(q), questionnaire=q, actor=FOCAL),
                                            questionnaire=q, actor=FOCAL),
        # "changed" counts the plan's rows the reader confirmed: the value and the comment
        "import", "fp@ken.example", "KEN", ASSESSMENT, {"cycle": 2025, "created": False, "changed": 2}),
    # --- deletes and restores ---
    "the focal point deletes a draft": Case(
        _at(), lambda s, q, aid: history.delete_assessment(s, assessment_id=aid, actor=FOCAL),
        "delete", "fp@ken.example", "KEN", ASSESSMENT, {"cycle": 2025, "status": "draft"}),
    "the administrator deletes a submitted one, with a reason": Case(
        _at("submit"), lambda s, q, aid: history.delete_assessment(s, assessment_id=aid, reason="Sent twice",
                                                                   actor=ADMIN),
        "delete", "admin@itu.example", "KEN", ASSESSMENT, {"cycle": 2025, "status": "submitted",
                                                           "reason": "Sent twice"}),
    "restore a deleted draft": Case(
        _deleted, lambda s, q, aid: history.restore_assessment(s, assessment_id=aid, actor=FOCAL),
        "restore", "fp@ken.example", "KEN", ASSESSMENT, {"cycle": 2025, "deleted_by": "fp@ken.example"}),
    # --- users ---
    "invite a new user (the grant is the newest event)": Case(
        lambda s, q: None,
        lambda s, q, aid: users.invite(s, email="Amina@Regulator.KE", role="contributor", country="ken",
                                       pillars=["ipv6"], actor=ADMIN),
        "grant", "admin@itu.example", "KEN", None,
        {"email": "amina@regulator.ke", "role": "contributor", "pillars": ["ipv6"]},
        earlier=(Event("invite", "admin@itu.example", "KEN", None, {"email": "amina@regulator.ke"}),)),
    "grant one more role": Case(
        _invited, lambda s, q, aid: users.grant(s, email="amina@regulator.ke", role="adviser", actor=ADMIN),
        "grant", "admin@itu.example", None, None, {"email": "amina@regulator.ke", "role": "adviser", "pillars": []}),
    "a focal point revokes a viewer": Case(
        _invited, lambda s, q, aid: users.revoke(s, email="amina@regulator.ke", role="viewer", actor=FOCAL),
        "revoke", "fp@ken.example", "KEN", None, {"email": "amina@regulator.ke", "role": "viewer"}),
    "sign in": Case(
        _invited, lambda s, q, aid: users.sign_in(s, subject="sub-1", email="amina@regulator.ke",
                                                  email_verified=True, login="L1"),
        "sign_in", "amina@regulator.ke", None, None, {"email": "amina@regulator.ke", "login": "L1"}),
    "a stranger's sign-in is refused": Case(
        lambda s, q: None, _refuse, "sign_in_refused", "stranger@example.org", None, None,
        {"email": "stranger@example.org", "verified": True}),
    # --- exports ---
    "iotready export": Case(
        _at("submit"), _export, "export", "fp@ken.example", "KEN", None,
        {"what": "csv", "countries": ["KEN"], "count": 1, "source": "cli_export", "cycles": [2025]}),
    "iotready report --assessment": Case(
        _at("submit"), _report, "export", "adv@itu.example", "KEN", ASSESSMENT,
        {"what": "pdf", "countries": ["KEN"], "count": 1, "source": "cli_report", "cycles": [2025]}),
}


def _shown(e: audit.AuditEntry | Event, aid: str | None, keys: Any) -> dict[str, Any]:
    if isinstance(e, Event):
        return {"event": e.event, "by": e.by, "country": e.country,
                "assessment": aid if e.assessment is ASSESSMENT else None, "detail": e.detail}
    return {"event": e.event, "by": e.by, "country": e.country, "assessment": e.assessment_id,
            "detail": {k: e.detail.get(k, "<missing>") for k in keys}}


@pytest.mark.parametrize("name", list(CASES))
def test_each_audited_action_records_its_event_actor_country_assessment_and_detail(
    session: Session, mini: Questionnaire, name: str
) -> None:
    case = CASES[name]
    aid = case.setup(session, mini)
    before = audit.events(session, limit=1)
    result = case.act(session, mini, aid)
    if aid is None and case.assessment is ASSESSMENT:  # the action created it
        aid = result.assessment_id  # type: ignore[attr-defined]
    wanted = case.expected()
    recorded = [e for e in audit.events(session, limit=len(wanted) + 1) if not before or e.id > before[0].id]
    assert len(recorded) == len(wanted), f"{name}: {len(recorded)} audit events recorded, {len(wanted)} expected"
    for got, want in zip(recorded, wanted, strict=True):
        assert _shown(got, aid, want.detail) == _shown(want, aid, want.detail), name
