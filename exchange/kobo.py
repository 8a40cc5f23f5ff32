"""Submissions of the XLSForm (:mod:`exchange.xlsform`) as KoboToolbox or ODK Central export them.

KoboToolbox exports CSV (``;`` or ``,`` separated, headers ``group/field`` or just ``field``) and JSON (a list of
submissions, or ``{"results": [...]}`` from its API); ODK Central exports CSV (headers ``group-field``) and
JSON through OData (``{"value": [...]}``, groups as nested objects). Each submission becomes an
:class:`~exchange.patch.ImportPatch` for its Member State and cycle, so it goes through the same plan,
confirmation and single transaction as a workbook. Every value the tool cannot take is a located problem
(the submission's row and the field's name, which is the question's id); columns the form does not define
(``_id``, ``start``, ``meta/instanceID``...) are the platforms' own and are left aside.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from answers.document import NONE_OF_THESE as DOC_NONE
from answers.document import Problem, check_value, reason
from answers.jsonread import JsonRefused, load_json
from exchange.patch import ImportPatch, QuestionPatch
from exchange.upload import ASSESSMENT_COLUMN, MAX_PROBLEMS_SHOWN, Located, Refused, _located, capped
from exchange.xlsform import (
    ANSWER,
    COMMENT_SUFFIX,
    DONT_KNOW,
    EVIDENCE_SUFFIX,
    JUSTIFICATION_SUFFIX,
    NONE_OF_THESE,
    NOT_APPLICABLE,
    STATUS_SUFFIX,
)
from questionnaires.loader import Questionnaire
from refdata import country as lookup_country

_PLATFORM_KEYS = {"_id", "_uuid", "__id", "meta/instanceID", "meta", "instanceID", "KEY"}
_SEPARATORS = re.compile(r"[/\-:.]")  # group paths: Kobo "pillar/q", ODK Central CSV "pillar-q"


def is_submissions_json(parsed: Any) -> bool:
    """True for a Kobo or ODK Central JSON export (a list of submissions, or one under ``results``/``value``)."""
    if isinstance(parsed, dict):
        parsed = parsed.get("results", parsed.get("value"))
    if not isinstance(parsed, list) or not parsed or not all(isinstance(s, dict) for s in parsed):
        return False
    # Every submission the platforms export carries their own ids (Kobo "_id"/"_uuid", ODK Central "__id", both
    # "meta/instanceID"), and our form's first field: any other list is not a set of submissions.
    first = parsed[0]
    return "country" in _flat(first) and bool(_PLATFORM_KEYS & set(first))


def _flat(submission: dict[str, Any], into: dict[str, Any] | None = None) -> dict[str, Any]:
    """Field name -> value: group paths and nested groups dropped (field names are unique in the form)."""
    out = {} if into is None else into
    for key, value in submission.items():
        if isinstance(value, dict):
            _flat(value, out)
            continue
        out[_SEPARATORS.split(str(key))[-1]] = value
    return out


def _rows_of_csv(payload: bytes) -> list[dict[str, Any]]:
    text = payload.decode("utf-8-sig")
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return [_flat(dict(r)) for r in csv.DictReader(io.StringIO(text), delimiter=dialect)]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _patch(q: Questionnaire, fields: dict[str, Any], where: str, row: int) -> tuple[ImportPatch | None, list[Problem]]:
    problems: list[Problem] = []
    code = _text(fields.get("country"))
    try:
        found = lookup_country(code) if code else None
    except KeyError:
        found = None
    if found is None:
        problems.append(Problem.of("country", reason("wb_no_country")))
    cycle_text = _text(fields.get("cycle"))
    try:
        cycle = int(float(cycle_text))
        if not 2000 <= cycle <= 2100:
            raise ValueError
    except ValueError:
        problems.append(Problem.of("cycle", reason("wb_bad_cycle", got=cycle_text or "—")))
        cycle = 0
    questions: dict[str, QuestionPatch] = {}
    for question in q.all_questions:  # context indicators too: their answers are stored like any other
        raw = _text(fields.get(question.id))
        state = _text(fields.get(question.id + STATUS_SUFFIX))
        patch: dict[str, Any] = {}
        if question.type == "scale":
            state, raw = (raw, "") if raw in (DONT_KNOW, NOT_APPLICABLE) else (ANSWER if raw else "", raw)
        elif raw and not state:
            state = ANSWER
        if state == DONT_KNOW and question.allow_dont_know:
            patch = {"value": None, "dont_know": True, "not_applicable": False}
        elif state == NOT_APPLICABLE and question.allow_na:
            patch = {"value": None, "dont_know": False, "not_applicable": True}
        elif state == ANSWER and raw:
            value: Any = raw
            if question.type == "numeric":
                try:
                    value = float(raw.replace(",", "."))
                except ValueError:
                    value = raw
            elif question.type == "multi":
                value = [v for v in raw.split() if v != NONE_OF_THESE]
                if NONE_OF_THESE in raw.split() and value:
                    value = [DOC_NONE, *value]  # "none of these" with options: refused by check_value
            why = check_value(question, q, value)
            if why is not None:
                problems.append(Problem.of(question.id, why, question_id=question.id))
                continue
            patch = {"value": value, "dont_know": False, "not_applicable": False}
        elif state and state != ANSWER:
            allowed = [v for v, ok in ((DONT_KNOW, question.allow_dont_know), (NOT_APPLICABLE, question.allow_na))
                       if ok]
            problems.append(Problem.of(question.id + STATUS_SUFFIX,
                                       reason("scale_option", allowed=", ".join([ANSWER, *allowed])),
                                       question_id=question.id))
            continue
        for suffix, name in ((JUSTIFICATION_SUFFIX, "justification"), (EVIDENCE_SUFFIX, "evidence"),
                             (COMMENT_SUFFIX, "comment")):
            text = _text(fields.get(question.id + suffix))
            if text:
                patch[name] = text
        if patch:
            questions[question.id] = QuestionPatch(patch, sheet=where, row=row)
    if problems or found is None:
        return None, problems
    return ImportPatch(questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
                       country=found.iso3, cycle=cycle, questions=questions), []


def read_submissions(q: Questionnaire, name: str, payload: bytes) -> list[ImportPatch]:
    """Every submission of a Kobo/ODK export as a patch; :class:`Refused` with every problem located."""
    if name.lower().endswith(".csv"):
        try:
            rows = _rows_of_csv(payload)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise Refused("ui.exchange.bad_submissions", detail=str(exc)) from None
    else:
        try:
            parsed = load_json(payload)
        except JsonRefused as exc:
            problem = [_located("", None, "", Problem.of("document", exc.reason))]
            raise Refused("ui.exchange.problems", problems=problem, n=1, where_key=ASSESSMENT_COLUMN) from None
        if isinstance(parsed, dict):
            parsed = parsed.get("results", parsed.get("value"))
        rows = [_flat(s) for s in parsed or [] if isinstance(s, dict)]
    if not rows:
        raise Refused("ui.exchange.empty")
    located: list[Located] = []
    total = 0
    patches: list[ImportPatch] = []
    seen: set[tuple[str, int]] = set()
    for i, fields in enumerate(rows, start=1):
        row = i + 1 if name.lower().endswith(".csv") else i  # a CSV's first line is its header
        patch, problems = _patch(q, fields, name, row)
        if patch is not None and (patch.country, patch.cycle) in seen:
            problems = [Problem.of("document", reason("twice_in_file"))]
        if patch is not None and not problems:
            seen.add((patch.country, patch.cycle))
            patches.append(patch)
        total += len(problems)
        room = MAX_PROBLEMS_SHOWN - len(located)
        located += [_located(name, row, p.question_id or "", p) for p in problems[:max(room, 0)]]
    if total:
        raise Refused("ui.exchange.problems", problems=capped(located, total), n=total)
    return patches
