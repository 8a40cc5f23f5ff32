"""The permission matrix, proved on every public service function × role × own/other country.

Each public function of the service modules that takes a ``session`` must (a) take ``actor=`` as a
keyword and (b) have a recipe below saying which matrix action it obeys and how to call it. A new
service function without a recipe fails :func:`test_every_service_function_has_a_recipe`; one without a
check fails :func:`test_matrix_is_obeyed` for the actor with no grant at all. Runs on SQLite and, with
``TEST_DATABASE_URL``, PostgreSQL.

The expected permissions are stated here (``EXPECTED_TABLE``, by action and role), not read from
``access.MATRIX``: the code's table is the thing under test, so a wrong grant in it fails both the table
comparison and the behaviour test of every function that obeys that action.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, cast

import pytest
from sqlalchemy import delete, update
from sqlmodel import Session, select

from answers.document import Answer, AnswersDocument
from assessment import access, aggregates, audit, evidence, history, review, service, upgrade, users, workflow
from assessment.access import MATRIX, ROLES, Actor, Grant
from assessment.account_models import User
from assessment.filters import AssessmentFilter
from assessment.models import Assessment
from exchange import plan
from exchange.patch import patch_from_document
from questionnaires import Questionnaire

SERVICE_MODULES: tuple[ModuleType, ...] = (service, history, upgrade, plan, users, review, audit, aggregates,
                                           evidence)

# Public functions that take a session but no acting user, each with the reason it needs none.
EXEMPT: dict[str, str] = {
    "users.sign_in": "it authenticates: the provider vouched for the person, there is no actor yet",
    "users.actor_for": "it builds the actor from the database (what every check is then given)",
    "users.actor_by_email": "it builds the actor for `iotready --as`",
    "users.current_actor": "it builds the signed-in user's actor, refreshed on every page run",
    "audit.record": "it appends to the caller's transaction, called by services after their own check",
}

OWN, OTHER = "KEN", "FRA"
CYCLE = 2025
OWN_PILLAR = "ipv6"  # the pillar the contributor is limited to


def _actor(role: str, country: str) -> Actor:
    if role in access.COUNTRY_ROLES:
        pillars = frozenset({OWN_PILLAR}) if role == "contributor" else None
        grant = Grant(role, country, pillars)  # type: ignore[arg-type]
    else:
        grant = Grant(role)  # type: ignore[arg-type]
    return Actor(name=f"{role}@{country.lower()}.example", grants=(grant,), user_id=None)


NOBODY = Actor(name="nobody@example.org", grants=())


# THE EXPECTED PERMISSIONS, written out here and reviewed against README.md ("Roles and permissions") and the
# roles' descriptions there: the test's own statement, not read from the code. ``access.MATRIX`` is the thing
# under test; test_the_code_matrix_grants_exactly_the_expected_permissions compares the two, and every
# behaviour test below takes its expectation from this table. A new action (or a new rule) is one more line.
# all: every country; own: the grant's country; pillars: the grant's country and pillars; submitted: every
# country, past draft only; -: refused.
EXPECTED_TABLE = """
action          admin  adviser    focal_point  contributor  viewer
list            all    submitted  own          own          own
read            all    submitted  own          own          own
export          all    submitted  own          own          own
create          all    -          own          -            -
edit            all    -          own          pillars      -
targets         all    -          own          -            -
import          all    -          own          -            -
import_answers  all    -          own          pillars      -
submit          all    -          own          -            -
reopen          all    -          own          -            -
review          all    submitted  -            -            -
return          all    submitted  -            -            -
validate        all    submitted  -            -            -
publish         all    submitted  -            -            -
query           all    submitted  -            -            -
comment         all    submitted  own          own          -
resolve         all    submitted  -            -            -
delete          all    -          own          -            -
invite          all    -          own          -            -
manage_users    all    -          -            -            -
audit           all    -          -            -            -
purge           all    -          -            -            -
"""


def _parse_expected(text: str) -> dict[str, dict[str, str]]:
    header, *rows = [line.split() for line in text.strip().splitlines()]
    roles = header[1:]
    return {action: {r: scope for r, scope in zip(roles, scopes, strict=True) if scope != "-"}
            for action, *scopes in rows}


EXPECTED: dict[str, dict[str, str]] = _parse_expected(EXPECTED_TABLE)


@dataclass
class Case:
    """What a recipe works on: the session, the questionnaire, the assessment's id (and a thread's)."""

    s: Session
    q: Questionnaire
    aid: str
    thread: str = ""


@dataclass
class Recipe:
    action: access.Action
    call: Callable[[Case, Actor], Any]
    states: tuple[str, ...] = ("draft", "submitted")
    # For reads that filter instead of refusing: did the actor get the assessment (or user) of the case?
    seen: Callable[[Case, Any], bool] | None = None
    needs_thread: bool = False
    needs_user: bool = False
    country_of_call: str | None = None  # an action on a country rather than on the assessment ("*": anywhere)
    extra: dict[str, Any] = field(default_factory=dict)


def _doc(c: Case, cycle: int) -> AnswersDocument:
    return AnswersDocument(questionnaire_id=c.q.id, questionnaire_version=c.q.version,
                           questionnaire_hash=c.q.content_hash, country=OWN, cycle=cycle,
                           answers={"v6_users": Answer(value=10.0)})


def _deleted(c: Case) -> str:
    """The case's assessment deleted by the local administrator (what restore and the deleted list work on)."""
    history.delete_assessment(c.s, assessment_id=c.aid, reason="a duplicate")
    return c.aid


def _restore_value(c: Case, a: Actor) -> int:
    """Two saves of a question in the actor's pillar (by the local administrator); the actor puts the first back."""
    v1 = service.save_answer(c.s, assessment_id=c.aid, questionnaire=c.q, question_id="v6_users",
                             answer=Answer(value=12.0), expected_version=None)
    v2 = service.save_answer(c.s, assessment_id=c.aid, questionnaire=c.q, question_id="v6_users",
                             answer=Answer(value=20.0), expected_version=v1)
    first = next(e for e in service.change_log(c.s, assessment_id=c.aid, question_id="v6_users")
                 if e.field == "value")
    return history.restore_value(c.s, assessment_id=c.aid, questionnaire=c.q, entry_id=first.id,
                                 expected_version=v2, actor=a)


RECIPES: dict[str, list[Recipe]] = {
    "service.get_or_create_assessment": [
        Recipe("read", lambda c, a: service.get_or_create_assessment(
            c.s, country=OWN, cycle=CYCLE, questionnaire=c.q, actor=a)),
        Recipe("create", lambda c, a: service.get_or_create_assessment(
            c.s, country=OWN, cycle=CYCLE + 1, questionnaire=c.q, actor=a), states=("draft",), country_of_call=OWN),
    ],
    "service.get_assessment": [Recipe("read", lambda c, a: service.get_assessment(c.s, c.aid, actor=a))],
    "service.workflow_stamp": [
        Recipe("read", lambda c, a: service.workflow_stamp(c.s, assessment_id=c.aid, actor=a))],
    "service.get_document": [Recipe("read", lambda c, a: service.get_document(c.s, c.aid, actor=a))],
    "service.change_log": [Recipe("read", lambda c, a: service.change_log(c.s, assessment_id=c.aid, actor=a))],
    "service.open_queries": [Recipe("read", lambda c, a: service.open_queries(c.s, assessment_id=c.aid, actor=a))],
    "service.list_assessments": [
        Recipe("list", lambda c, a: service.list_assessments(c.s, AssessmentFilter(questionnaire=c.q), actor=a),
               seen=lambda c, r: c.aid in {x.id for x in r}),
    ],
    "service.export_documents": [
        Recipe("export", lambda c, a: service.export_documents(c.s, AssessmentFilter(questionnaire=c.q), actor=a),
               seen=lambda c, r: any(d.country == OWN for d in r)),
    ],
    "service.count_assessments": [
        Recipe("list", lambda c, a: service.count_assessments(c.s, AssessmentFilter(questionnaire=c.q), actor=a),
               seen=lambda c, r: r == 1),
    ],
    "service.score_frame": [
        Recipe("list", lambda c, a: service.score_frame(c.s, questionnaire=c.q, actor=a),
               seen=lambda c, r: c.aid in set(r[0]["id"])),
    ],
    "service.documents_by_id": [
        Recipe("read", lambda c, a: service.documents_by_id(c.s, [c.aid], actor=a),
               seen=lambda c, r: [d.country for d in r] == [OWN]),
    ],
    "aggregates.workflow_states": [
        Recipe("list", lambda c, a: aggregates.workflow_states(c.s, questionnaire=c.q, actor=a),
               seen=lambda c, r: c.aid in r),
    ],
    # Medians of published assessments: any role may read them (never a row), whatever the case's state.
    "aggregates.published_medians": [
        Recipe("list", lambda c, a: aggregates.published_medians(c.s, questionnaire=c.q, cycle=CYCLE, actor=a),
               country_of_call="*"),
    ],
    "aggregates.published_cycles": [
        Recipe("list", lambda c, a: aggregates.published_cycles(c.s, questionnaire=c.q, actor=a), country_of_call="*"),
    ],
    "aggregates.published_stamp": [
        Recipe("list", lambda c, a: aggregates.published_stamp(c.s, questionnaire=c.q, actor=a), country_of_call="*"),
    ],
    # The country's own (draft, returned); a handed-in one is an administrator's only (test_history.py).
    "history.delete_assessment": [
        Recipe("delete", lambda c, a: history.delete_assessment(c.s, assessment_id=c.aid, actor=a),
               states=("draft", "returned")),
    ],
    "history.restore_assessment": [
        Recipe("delete", lambda c, a: history.restore_assessment(c.s, assessment_id=_deleted(c), actor=a),
               states=("draft", "returned")),
    ],
    "history.list_deleted": [
        Recipe("delete", lambda c, a: history.list_deleted(c.s, actor=a) if _deleted(c) else [],
               seen=lambda c, r: c.aid in {d.id for d in r}),
    ],
    "history.question_history": [
        Recipe("read", lambda c, a: history.question_history(c.s, assessment_id=c.aid, question_id="pol_framework",
                                                             actor=a)),
    ],
    "history.restore_value": [Recipe("edit", _restore_value, states=("draft", "returned"))],
    "upgrade.upgrade_assessment": [
        Recipe("import", lambda c, a: upgrade.upgrade_assessment(c.s, assessment_id=c.aid, questionnaire=c.q,
                                                                 actor=a)),
    ],
    "upgrade.outdated_assessments": [
        Recipe("list", lambda c, a: upgrade.outdated_assessments(c.s, c.q, actor=a), country_of_call="*"),
    ],
    "plan.make_plan": [
        Recipe("import", lambda c, a: plan.make_plan(c.s, patch=patch_from_document(_doc(c, CYCLE + 2)),
                                                     questionnaire=c.q, actor=a),
               states=("draft",), country_of_call=OWN),
        # Into the existing assessment: a contributor's file may bring answers of their pillar (v6_users).
        Recipe("import_answers", lambda c, a: plan.make_plan(c.s, patch=patch_from_document(_doc(c, CYCLE)),
                                                             questionnaire=c.q, actor=a), states=("draft", "returned")),
    ],
    "plan.apply_plan": [
        Recipe("import", lambda c, a: plan.apply_plan(
            c.s, plan=plan.make_plan(c.s, patch=patch_from_document(_doc(c, CYCLE + 2)), questionnaire=c.q),
            questionnaire=c.q, actor=a), states=("draft",), country_of_call=OWN),
        Recipe("import_answers", lambda c, a: plan.apply_plan(
            c.s, plan=plan.make_plan(c.s, patch=patch_from_document(_doc(c, CYCLE)), questionnaire=c.q),
            questionnaire=c.q, actor=a), states=("draft", "returned")),
    ],
    "service.data_stamp": [
        Recipe("list", lambda c, a: service.data_stamp(c.s, actor=a), seen=lambda c, r: not r.startswith("0:")),
    ],
    "service.save_answer": [
        Recipe("edit", lambda c, a: service.save_answer(
            c.s, assessment_id=c.aid, questionnaire=c.q, question_id="v6_users", answer=Answer(value=55.0),
            expected_version=None, actor=a), states=("draft", "returned")),
    ],
    "service.set_targets": [
        Recipe("targets", lambda c, a: service.set_targets(
            c.s, assessment_id=c.aid, targets={"overall": 60.0}, actor=a), states=("draft",)),
    ],
    "service.submit_assessment": [
        Recipe("submit", lambda c, a: service.submit_assessment(c.s, assessment_id=c.aid, actor=a),
               states=("draft", "returned")),
    ],
    "service.reopen_assessment": [
        Recipe("reopen", lambda c, a: service.reopen_assessment(c.s, assessment_id=c.aid, actor=a),
               states=("submitted",)),
    ],
    "service.transition": [
        Recipe(cast(access.Action, action), (lambda act: lambda c, a: service.transition(
            c.s, assessment_id=c.aid, action=act, note="checked", actor=a))(action), states=(state,))
        for action, state in cast(tuple[tuple[workflow.Transition, str], ...], (
            ("review", "submitted"), ("review", "resubmitted"), ("return", "under_review"),
                              ("validate", "under_review"), ("publish", "validated"), ("submit", "draft"),
                              ("reopen", "submitted")))
    ],
    "service.import_document": [
        Recipe("import", lambda c, a: service.import_document(c.s, doc=_doc(c, CYCLE + 2), questionnaire=c.q,
                                                              actor=a), states=("draft",), country_of_call=OWN),
    ],
    "service.import_documents": [
        Recipe("import", lambda c, a: service.import_documents(c.s, docs=[_doc(c, CYCLE + 2)], questionnaire=c.q,
                                                               actor=a), states=("draft",), country_of_call=OWN),
    ],
    "review.add_comment": [
        Recipe("query", lambda c, a: review.add_comment(c.s, assessment_id=c.aid, question_id="v6_users",
                                                        body="Source?", actor=a)),
    ],
    "review.reply": [
        Recipe("comment", lambda c, a: review.reply(c.s, assessment_id=c.aid, thread_id=c.thread, body="ITU stats",
                                                    actor=a), needs_thread=True),
    ],
    "review.set_resolved": [
        Recipe("resolve", lambda c, a: review.set_resolved(c.s, assessment_id=c.aid, thread_id=c.thread,
                                                           resolved=True, actor=a), needs_thread=True),
    ],
    "review.threads": [
        Recipe("read", lambda c, a: review.threads(c.s, assessment_id=c.aid, actor=a), needs_thread=True),
    ],
    "users.invite": [
        Recipe("invite", lambda c, a: users.invite(c.s, email="new@ken.example", role="contributor", country=OWN,
                                                   pillars=["ipv6"], actor=a), country_of_call=OWN),
    ],
    "users.grant": [
        Recipe("invite", lambda c, a: users.grant(c.s, email="target@ken.example", role="contributor",
                                                  country=OWN, actor=a), needs_user=True, country_of_call=OWN),
    ],
    "users.revoke": [
        Recipe("invite", lambda c, a: users.revoke(c.s, email="target@ken.example", role="viewer", actor=a),
               needs_user=True, country_of_call=OWN, seen=lambda c, r: r == 1),
    ],
    "users.list_users": [
        Recipe("invite", lambda c, a: users.list_users(c.s, actor=a), needs_user=True, country_of_call=OWN,
               seen=lambda c, r: "target@ken.example" in {u.email for u in r}),
    ],
    "users.get_user": [
        Recipe("manage_users", lambda c, a: users.get_user(c.s, user_id=_user_id(c), actor=a), needs_user=True,
               country_of_call=OWN),
    ],
    "audit.log_export": [
        Recipe("export", lambda c, a: audit.log_export(c.s, what="csv", countries=[OWN], count=1, actor=a),
               country_of_call="*"),
    ],
    "audit.events": [Recipe("audit", lambda c, a: audit.events(c.s, actor=a), country_of_call=OWN)],
    "audit.export_csv": [Recipe("audit", lambda c, a: audit.export_csv(c.s, actor=a), country_of_call=OWN)],
}


def _pdf() -> io.BytesIO:
    return io.BytesIO(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")


def _attached(c: Case, *, removed: bool = False) -> str:
    """A document on the contributor's pillar's question, attached (and, with ``removed``, removed) by the admin."""
    if c.thread:
        return c.thread
    status = c.s.get(Assessment, c.aid).status  # type: ignore[union-attr]
    _set_status(c.s, c.aid, "draft")
    view = evidence.add_evidence(c.s, assessment_id=c.aid, questionnaire=c.q, question_id="v6_users", data=_pdf(),
                                 filename="act.pdf", title="Telecom Act")
    if removed:
        evidence.remove_evidence(c.s, assessment_id=c.aid, questionnaire=c.q, evidence_id=view.id)
    _set_status(c.s, c.aid, status)
    c.thread = view.id
    return view.id


EVIDENCE_RECIPES: dict[str, list[Recipe]] = {
    "evidence.add_evidence": [
        Recipe("edit", lambda c, a: evidence.add_evidence(
            c.s, assessment_id=c.aid, questionnaire=c.q, question_id="v6_users", data=_pdf(), filename="act.pdf",
            title="Telecom Act", actor=a), states=("draft", "returned")),
    ],
    "evidence.remove_evidence": [
        Recipe("edit", lambda c, a: evidence.remove_evidence(
            c.s, assessment_id=c.aid, questionnaire=c.q, evidence_id=_attached(c), actor=a),
               states=("draft", "returned")),
    ],
    "evidence.list_evidence": [
        Recipe("read", lambda c, a: evidence.list_evidence(c.s, assessment_id=c.aid, actor=a) if _attached(c) else [],
               seen=lambda c, r: [v.title for v in r] == ["Telecom Act"]),
    ],
    "evidence.evidence_by_question": [
        Recipe("read", lambda c, a: evidence.evidence_by_question(c.s, assessment_ids=[c.aid], actor=a)
               if _attached(c) else {}),
    ],
    "evidence.evidence_usage": [Recipe("read", lambda c, a: evidence.evidence_usage(c.s, assessment_id=c.aid,
                                                                                    actor=a))],
    "evidence.open_evidence": [
        Recipe("read", lambda c, a: evidence.open_evidence(c.s, assessment_id=c.aid, evidence_id=_attached(c),
                                                           actor=a).read(),
               seen=lambda c, r: r.startswith(b"%PDF-")),
    ],
    "evidence.purge_evidence": [
        Recipe("purge", lambda c, a: evidence.purge_evidence(
            c.s, assessment_id=c.aid, evidence_id=_attached(c, removed=True), actor=a)),
    ],
    # A bundle's documents (iotready import FILE.zip): planned, then attached in the import's transaction.
    "evidence.new_incoming": [
        Recipe("edit", lambda c, a: evidence.new_incoming(c.s, assessment_id=c.aid, questionnaire=c.q,
                                                          items=[_incoming()], actor=a), states=("draft", "returned")),
    ],
    "evidence.attach_incoming": [
        Recipe("edit", lambda c, a: evidence.attach_incoming(c.s, assessment_id=c.aid, questionnaire=c.q,
                                                             items=[_incoming()], created=False, actor=a),
               states=("draft", "returned")),
    ],
    "evidence.purge_removed": [
        Recipe("purge", lambda c, a: evidence.purge_removed(c.s, older_than=datetime.now(UTC), actor=a),
               country_of_call="*"),
    ],
}
RECIPES.update(EVIDENCE_RECIPES)


def _incoming() -> evidence.Incoming:
    data = _pdf().getvalue()
    f = io.BytesIO(data)
    return evidence.Incoming(question_id="v6_users", file=f, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                             kind="pdf", filename="act.pdf", title="Telecom Act", reference=None)


def _user_id(c: Case) -> str:
    from sqlmodel import select

    user = c.s.exec(select(User).where(User.email == "target@ken.example")).one()
    return user.id


def _public_service_functions() -> dict[str, Callable[..., Any]]:
    """Each module's public functions taking a session, a package's (``service``) from every one of its modules."""
    out: dict[str, Callable[..., Any]] = {}
    for top in SERVICE_MODULES:
        short = top.__name__.rsplit(".", 1)[-1]
        parts = [top]
        if hasattr(top, "__path__"):  # a package: its modules too, so a function it forgot to export is still seen
            parts += [importlib.import_module(m.name) for m in pkgutil.iter_modules(top.__path__, top.__name__ + ".")]
        for module in parts:
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("_") or fn.__module__ != module.__name__:
                    continue
                if "session" in inspect.signature(fn).parameters:
                    out[f"{short}.{name}"] = fn
    return out


def expected(role: str | None, own: bool, action: access.Action, status: str, pillar_ok: bool = True) -> bool:
    """What the expected table (written in this test, not the code's MATRIX) says."""
    scope: str | None = EXPECTED[action].get(role) if role else None
    if scope is None:
        return False
    if scope == "all":
        return True
    if scope == "submitted":
        return status in workflow.SUBMITTED
    if not own:
        return False
    return pillar_ok if scope == "pillars" else True


# --- the structure ---------------------------------------------------------------------------------


def test_every_service_function_has_a_recipe() -> None:
    public = _public_service_functions()
    missing = sorted(set(public) - set(RECIPES) - set(EXEMPT))
    assert not missing, f"public service functions with no recipe (add them to RECIPES and the matrix): {missing}"
    stale = sorted(set(RECIPES) - set(public))
    assert not stale, f"recipes for functions that no longer exist: {stale}"


def test_every_service_function_takes_the_actor_as_a_keyword() -> None:
    for name, fn in _public_service_functions().items():
        if name in EXEMPT:
            continue
        param = inspect.signature(fn).parameters.get("actor")
        assert param is not None and param.kind is inspect.Parameter.KEYWORD_ONLY, f"{name} takes no actor= keyword"


def test_the_expected_table_is_well_formed() -> None:
    """Its header names the code's roles in order, and no scope is misspelt."""
    header = EXPECTED_TABLE.strip().splitlines()[0].split()
    assert tuple(header[1:]) == ROLES
    assert {scope for row in EXPECTED.values() for scope in row.values()} <= {"all", "own", "pillars", "submitted"}


def test_the_code_matrix_grants_exactly_the_expected_permissions() -> None:
    """A grant added, dropped or widened in ``access.MATRIX`` fails here, naming the action and the role."""
    actual: dict[str, dict[str, str]] = {str(action): {str(r): str(v) for r, v in row.items()}
                                        for action, row in MATRIX.items()}
    differences = [
        f"{action}: {role}: the code says {actual.get(action, {}).get(role, '-')}, expected "
        f"{EXPECTED.get(action, {}).get(role, '-')}"
        for action in sorted(set(actual) | set(EXPECTED)) for role in ROLES
        if actual.get(action, {}).get(role) != EXPECTED.get(action, {}).get(role)
    ]
    assert differences == []


def test_the_matrix_names_only_known_roles_and_every_action_is_used() -> None:
    used = {r.action for recipes in RECIPES.values() for r in recipes}
    for action, row in MATRIX.items():
        assert set(row) <= set(ROLES), action
        assert row.get("admin") == "all", f"the administrator may do everything ({action})"
    assert not set(MATRIX) - used, set(MATRIX) - used


def test_the_security_doc_shows_the_matrix() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    for action, row in MATRIX.items():
        line = next((ln for ln in doc.splitlines() if ln.startswith(f"| `{action}` |")), None)
        assert line is not None, f"docs/security.md's roles table has no row for `{action}`"
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        assert cells == [row.get(r, "—") for r in ROLES], f"docs/security.md: `{action}` differs"


# --- the behaviour ---------------------------------------------------------------------------------


def _set_status(s: Session, aid: str, status: str) -> None:
    s.execute(update(Assessment).where(Assessment.id == aid).values(status=status))  # type: ignore[arg-type]
    s.commit()


def _fresh_case(s: Session, q: Questionnaire, recipe: Recipe, status: str) -> Case:
    s.rollback()
    s.execute(delete(Assessment))
    s.execute(delete(User))
    s.commit()
    s.expunge_all()
    aid = service.get_or_create_assessment(s, country=OWN, cycle=CYCLE, questionnaire=q).id
    service.save_answer(s, assessment_id=aid, questionnaire=q, question_id="pol_framework",
                        answer=Answer(value="planned"), expected_version=None)
    _set_status(s, aid, status)
    case = Case(s, q, aid)
    if recipe.needs_thread:
        case.thread = review.add_comment(s, assessment_id=aid, question_id="v6_users", body="Which source?").id
    if recipe.needs_user:
        users.invite(s, email="target@ken.example", role="viewer", country=OWN)
    return case


def _outcome(recipe: Recipe, case: Case, actor: Actor) -> bool:
    try:
        result = recipe.call(case, actor)
    except service.Forbidden:
        return False
    return recipe.seen(case, result) if recipe.seen else True


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_matrix_is_obeyed(session: Session, mini: Questionnaire, name: str) -> None:
    """Every role, of the assessment's country and of another one, and a user with no grant."""
    failures: list[str] = []
    for recipe in RECIPES[name]:
        for status in recipe.states:
            actors: list[tuple[str | None, bool, Actor]] = [(None, False, NOBODY)]
            for r in ROLES:
                actors += [(r, True, _actor(r, OWN)), (r, False, _actor(r, OTHER))]
            for who, own, actor in actors:
                case = _fresh_case(session, mini, recipe, status)
                if recipe.country_of_call == "*":  # an action anywhere: the role's row decides alone
                    want = who is not None and who in EXPECTED[recipe.action]
                else:
                    want = expected(who, own, recipe.action, "draft" if recipe.country_of_call else status)
                got = _outcome(recipe, case, actor)
                if got != want:
                    failures.append(f"{name} [{recipe.action} on {status}] {actor.name}: "
                                    f"{'allowed' if got else 'refused'}, the matrix says "
                                    f"{'allowed' if want else 'refused'}")
    assert not failures, "\n".join(failures)


def test_a_contributor_edits_only_their_pillars(session: Session, mini: Questionnaire, draft: str) -> None:
    contributor = _actor("contributor", OWN)
    service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="v6_users",
                        answer=Answer(value=12.0), expected_version=None, actor=contributor)
    with pytest.raises(service.Forbidden) as refused:
        service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="pol_framework",
                            answer=Answer(value="planned"), expected_version=None, actor=contributor)
    assert "pillars" in refused.value.text("en") and "piliers" in refused.value.text("fr")
    assert "pol_framework" not in service.get_assessment(session, draft).answers
    with pytest.raises(service.Forbidden):
        service.set_targets(session, assessment_id=draft, targets={"overall": 50.0}, actor=contributor)


def test_a_plain_name_is_the_local_administrator_and_a_blank_one_is_refused() -> None:
    assert access.as_actor("local") is access.LOCAL_ADMIN
    assert access.as_actor("cli").roles() == {"admin"}
    for blank in ("", "  "):
        with pytest.raises(service.Forbidden):
            access.as_actor(blank)


def test_a_plain_name_acts_as_an_administrator_under_that_name_not_as_the_local_one() -> None:
    # The name is what the audit trail records for a command-line or demo caller ("cli", "demo").
    assert access.as_actor("cli") == Actor("cli", (Grant("admin"),))
    assert access.as_actor("cli") != access.LOCAL_ADMIN


def test_an_adviser_never_sees_drafts_in_lists(session: Session, mini: Questionnaire) -> None:
    ken = service.get_or_create_assessment(session, country="KEN", cycle=2025, questionnaire=mini).id
    fra = service.get_or_create_assessment(session, country="FRA", cycle=2025, questionnaire=mini).id
    service.submit_assessment(session, assessment_id=fra)
    adviser = _actor("adviser", "KEN")
    assert [r.id for r in service.list_assessments(session, actor=adviser)] == [fra]
    focal = _actor("focal_point", "KEN")
    assert [r.id for r in service.list_assessments(session, actor=focal)] == [ken]
    with pytest.raises(service.Forbidden):
        service.get_assessment(session, ken, actor=adviser)


# --- file scope and SQL visibility across several grants (killed mutants, docs/testing.md) -----------


def test_a_contributors_grant_in_another_country_does_not_hide_their_pillars_here() -> None:
    who = Actor("c@x.example", (Grant("contributor", "UGA", frozenset({"p1"})), Grant("contributor", "KEN",
                                                                                       frozenset({"p2"}))))
    assert access.file_scope(who, "KEN") == frozenset({"p2"})


def test_a_contributors_pillars_in_one_country_add_up_across_grants() -> None:
    who = Actor("c@x.example", (Grant("contributor", "KEN", frozenset({"p1"})), Grant("contributor", "KEN",
                                                                                       frozenset({"p2"}))))
    assert access.file_scope(who, "KEN") == frozenset({"p1", "p2"})


def test_a_contributor_limited_to_no_pillar_may_import_answers_to_every_pillar() -> None:
    assert access.file_scope(Actor("c@x.example", (Grant("contributor", "KEN"),)), "KEN") == {access.EVERY_PILLAR}


def test_a_right_held_by_a_later_grant_still_lists_that_countrys_deleted_assessments(
    session: Session, draft: str
) -> None:
    history.delete_assessment(session, assessment_id=draft)
    who = Actor("fp@x.example", (Grant("viewer", "UGA"), Grant("focal_point", "KEN")))
    assert [d.id for d in history.list_deleted(session, actor=who)] == [draft]


def test_a_country_role_without_a_country_sees_no_assessment(session: Session, draft: str) -> None:
    who = Actor("fp@x.example", (Grant("focal_point"),))
    assert session.exec(select(Assessment).where(access.visible_filter(who, "list"))).all() == []


@dataclass
class _Row:
    country: str
    status: str


def test_visible_keeps_only_the_rows_the_actor_may_read_in_their_order() -> None:
    rows = [_Row("KEN", "draft"), _Row("UGA", "submitted"), _Row("KEN", "validated")]
    assert access.visible(Actor("fp@ken.example", (Grant("focal_point", "KEN"),)), rows) == [rows[0], rows[2]]
    assert access.visible(Actor("a@itu.example", (Grant("adviser"),)), rows) == [rows[1], rows[2]]

OUTSIDER_ADVICE = "ask the country's focal point or an administrator for a role"  # svc_forbidden, not the pillar one


def test_a_pillar_contributor_refused_a_move_is_not_told_about_pillars() -> None:
    who = Actor("c@ken.example", (Grant("contributor", "KEN", frozenset({"p1"})),))
    with pytest.raises(service.Forbidden) as refused:
        access.check(who, "submit", _Row("KEN", "draft"))
    assert OUTSIDER_ADVICE in refused.value.text("en")


@pytest.mark.parametrize("pillars", [frozenset({"p1"}), None], ids=["limited", "every-pillar"])
def test_a_contributor_of_another_country_editing_is_refused_as_an_outsider(pillars: frozenset[str] | None) -> None:
    who = Actor("c@uga.example", (Grant("contributor", "UGA", pillars),))
    with pytest.raises(service.Forbidden) as refused:
        access.check(who, "edit", _Row("KEN", "draft"), pillar="p1")
    assert OUTSIDER_ADVICE in refused.value.text("en")


NO_ACTOR_ADVICE = "an actor is required to record who made a change"  # svc_no_actor


def test_an_account_actor_with_a_whitespace_name_is_refused_as_nobody() -> None:
    with pytest.raises(service.Forbidden) as refused:
        access.as_actor(Actor("  ", (Grant("admin"),)))
    assert NO_ACTOR_ADVICE in refused.value.text("en")


def test_a_blank_plain_name_is_refused_as_nobody() -> None:
    with pytest.raises(service.Forbidden) as refused:
        access.as_actor("  ")
    assert NO_ACTOR_ADVICE in refused.value.text("en")
