"""Assessment services: the only code that reads and writes assessments in the database.

This package's namespace is the service layer's public API (``from assessment import service;
service.save_answer(...)``); its modules each do one job, so a change to one (imports, say) never
touches another (the workflow):

- :mod:`.errors`: the refusals every function may raise (:class:`ServiceError` and its kinds);
- :mod:`.views`: what the functions return (:class:`AssessmentView`, :class:`AssessmentSummary`, ...);
- :mod:`._common`: the access check, row reads, locking, logging and commit helpers they all share;
- :mod:`.assessments`: starting, reading, listing, counting, exporting and scoring assessments, the change log;
- :mod:`.answers`: saving one answer (and the answer writes imports reuse);
- :mod:`.moves`: the validation workflow's moves (submit, reopen, return, validate, publish) and their stamp;
- :mod:`.targets`: the country's targets;
- :mod:`.imports`: importing answers documents, all or nothing.

Plain typed functions with keyword-only arguments, each given a ``Session``; each write commits its
own transaction (or rolls it back and raises, leaving nothing half-written). Who may do what is
decided here: every public function takes the acting user (``actor=``, an :class:`access.Actor`, or a
name for the local administrator of single-user mode) and checks it against the permission matrix
(:mod:`assessment.access`) before anything else; lists and exports return only what the actor may see.
Status changes follow the validation workflow (:mod:`assessment.workflow`) and are logged with who,
when and why (:mod:`assessment.audit`).

Concurrency is optimistic: the caller says which version of an answer it last saw; if someone else
saved since, :class:`ConflictError` reports their value and nothing is overwritten. Every write is
conditional on the state it checked, in the database itself (not only in Python): an answer is written
only together with an ``UPDATE assessment ... WHERE status = 'draft'`` that must hit its row (a submit
between the check and the write makes it miss: :class:`StatusChanged`, nothing written), and status,
target and import changes carry the assessment's version in their ``WHERE`` (SQLAlchemy's version
counter: :class:`ConflictError` when it moved). On PostgreSQL the guarding UPDATE also locks the row
until the commit, so a submit waits for a save in flight instead of overtaking it.

Targets may change on a submitted assessment (they are the country's plan, not its answers: the
Results page sets them at any time), but only against the version the caller read; a file never
changes a submitted assessment, not even its targets (reopen it first).

A test that replaces a function (``monkeypatch.setattr``) must patch the module that looks it up: a
call from outside goes through this namespace (``service.save_answer``), a call inside the package
through its module (``service.answers._record``, ``service.moves._open_queries``).
"""

from __future__ import annotations

# The ``_name as _name`` imports are internal helpers, not part of the API (not in __all__): the modules next
# to the service layer that write assessments in its transactions (assessment.history, assessment.review,
# assessment.upgrade, exchange.plan, exchange.bulk) reach them here.
from assessment.service._common import _check_expected as _check_expected
from assessment.service._common import _commit as _commit
from assessment.service._common import _country_names as _country_names
from assessment.service._common import _fields as _fields
from assessment.service._common import _get as _get
from assessment.service._common import _json_safe as _json_safe
from assessment.service._common import _locked as _locked
from assessment.service._common import _log as _log
from assessment.service._common import _records as _records
from assessment.service._common import _reload as _reload
from assessment.service._common import _stamp_and_commit as _stamp_and_commit
from assessment.service._common import _status as _status
from assessment.service._common import _touch_draft as _touch_draft
from assessment.service._common import about, authorize, country_names, not_editable, not_editable_by_file
from assessment.service.answers import _apply_answer as _apply_answer
from assessment.service.answers import _insert_answers as _insert_answers
from assessment.service.answers import normalise_answer, save_answer
from assessment.service.assessments import _find as _find
from assessment.service.assessments import _new_assessment as _new_assessment
from assessment.service.assessments import (
    change_log,
    count_assessments,
    data_stamp,
    documents_by_id,
    export_documents,
    get_assessment,
    get_document,
    get_or_create_assessment,
    list_assessments,
    score_frame,
)
from assessment.service.errors import (
    ConflictError,
    Forbidden,
    InvalidAnswer,
    NotFound,
    OpenQueries,
    ServiceError,
    StatusChanged,
)
from assessment.service.imports import ImportRefused, import_document, import_documents
from assessment.service.moves import (
    WorkflowStamp,
    open_queries,
    reopen_assessment,
    submit_assessment,
    transition,
    workflow_stamp,
)
from assessment.service.moves import _submit_by_file as _submit_by_file
from assessment.service.targets import set_targets
from assessment.service.views import ANSWER_FIELDS, AssessmentSummary, AssessmentView, ChangeEntry, ImportResult
from assessment.service.views import _answer_of as _answer_of

__all__ = [
    "ANSWER_FIELDS",
    "AssessmentSummary",
    "AssessmentView",
    "ChangeEntry",
    "ConflictError",
    "Forbidden",
    "ImportRefused",
    "ImportResult",
    "InvalidAnswer",
    "NotFound",
    "OpenQueries",
    "ServiceError",
    "StatusChanged",
    "WorkflowStamp",
    "about",
    "authorize",
    "change_log",
    "count_assessments",
    "country_names",
    "data_stamp",
    "documents_by_id",
    "export_documents",
    "get_assessment",
    "get_document",
    "get_or_create_assessment",
    "import_document",
    "import_documents",
    "list_assessments",
    "normalise_answer",
    "not_editable",
    "not_editable_by_file",
    "open_queries",
    "reopen_assessment",
    "save_answer",
    "score_frame",
    "set_targets",
    "submit_assessment",
    "transition",
    "workflow_stamp",
]
