"""Reading an uploaded workbook (``read_workbook_patch``, ``read_workbook``): checked whole before anything
is returned, every problem located by sheet, row and question (:class:`ImportProblems`).

The parser is guarded: a size cap before parsing, and the uncompressed sizes in the zip directory against
zip bombs (Python's zipfile never inflates an entry past its declared size: the CRC check fails first). A
blank cell is "no information"; the clear marker clears; a formula without a computed value, or a merged
cell, is a problem, never read as a blank. Cells are read by :mod:`exchange.workbook.cells`.
"""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass
from functools import cache
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from pydantic import ValidationError

from answers.document import (
    Answer,
    AnswersDocument,
    check_answers,
    reason,
    validation_reason,
)
from answers.jsonread import MAX_JSON_BYTES, size_text
from exchange.patch import ImportPatch, QuestionPatch, is_clear
from exchange.workbook.cells import _describe, _flag, _fold, _is_blank, _parse_value, _text
from exchange.workbook.layout import (
    CLEAR_WORD,
    COLUMNS,
    EDITABLE,
    OVERALL_NAME,
    SETTING_KEYS,
    SETTINGS,
    SHEETS,
    STATUS_NAMES,
    TARGET_PREFIX,
    sheet_names,
)
from exchange.workbook.problems import ImportProblem, ImportProblems
from questionnaires.languages import REGISTRY
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages
from questionnaires.models import Question
from refdata import countries, country_name
from refdata import country as member_state

MAX_BYTES = MAX_JSON_BYTES  # as exchange.upload.MAX_BYTES; a filled workbook is well under 1 MB
MAX_UNCOMPRESSED = 20 * 1024 * 1024  # uncompressed parts; a filled workbook unpacks to under 1 MB
MAX_ZIP_ENTRIES = 1000
MAX_ROWS = 2000  # rows read per sheet; a pillar has a few dozen questions
MAX_COLUMNS = 40


def _check_container(data: Any) -> None:
    """Refuse, before any parsing, what is not a reasonably sized XLSX (zip) file."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImportProblems([ImportProblem.of(reason("wb_not_bytes"))])
    size = len(data)
    if size > MAX_BYTES:
        raise ImportProblems([ImportProblem.of(
            reason("wb_too_big", size=size_text(size), limit=MAX_BYTES // 1_048_576)
        )])
    not_xlsx = ImportProblem.of(reason("wb_not_xlsx"))
    try:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
            infos = zf.infolist()
    except Exception:  # any failure to read the zip directory means "not an xlsx"; never a traceback
        raise ImportProblems([not_xlsx]) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportProblems([ImportProblem.of(reason("wb_too_many_parts", n=len(infos)))])
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNCOMPRESSED:
        raise ImportProblems([ImportProblem.of(
            reason("wb_zip_bomb", size=f"{unpacked / 1_048_576:.0f}", limit=MAX_UNCOMPRESSED // 1_048_576)
        )])
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise ImportProblems([not_xlsx])


@dataclass
class _Settings:
    values: dict[str, Any]  # canonical key (SETTING_KEYS, or "target:<pillar id | overall>") -> value
    rows: dict[str, int]
    sheet: str


def _rows(ws: Any, max_col: int) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=max_col, values_only=True)]


@dataclass
class _Book:
    """The workbook opened twice: computed values (what is read) and formulas (to find formulas without one)."""

    values: Any
    formulas: Any
    data: bytes

    def find(self, names: list[str]) -> str | None:
        """The first sheet present among ``names`` (compared without case)."""
        present = {n.casefold(): n for n in self.values.sheetnames}
        for name in names:
            if name.casefold() in present:
                return present[name.casefold()]
        return None

    def formula_rows(self, title: str, max_col: int) -> list[tuple[Any, ...]]:
        try:
            return _rows(self.formulas[title], max_col)
        except Exception:  # a sheet the value pass could read is reported there, not twice
            return []

    def merged(self, title: str) -> list[str]:
        """The merged ranges of a sheet (read-only worksheets do not expose them: read the sheet's XML)."""
        path = getattr(self.values[title], "_worksheet_path", None)
        if not path:
            return []
        found: list[str] = []
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as zf, zf.open(path.lstrip("/")) as part:
                for _, element in ElementTree.iterparse(part):
                    if element.tag.endswith("}mergeCell") or element.tag == "mergeCell":
                        found.append(str(element.attrib.get("ref", "")))
                    element.clear()
        except Exception:  # an unreadable part is reported by the value pass
            return []
        return found


def _formula_problems(rows: list[tuple[Any, ...]], formulas: list[tuple[Any, ...]], cols: dict[str, int],
                      sheet: str, first_row: int = 2) -> dict[int, list[ImportProblem]]:
    """Cells holding a formula without a computed value, by row: never read as blanks."""
    out: dict[int, list[ImportProblem]] = {}
    for r in range(first_row - 1, min(len(rows), len(formulas))):
        for key, i in cols.items():
            value = rows[r][i] if i < len(rows[r]) else None
            formula = formulas[r][i] if i < len(formulas[r]) else None
            if _is_blank(value) and isinstance(formula, str) and formula.startswith("="):
                out.setdefault(r + 1, []).append(ImportProblem.of(
                    reason("wb_formula", formula=formula[:60]), column=key if key in COLUMNS else None,
                    sheet=sheet, row=r + 1,
                ))
    return out


def _merge_problems(book: _Book, title: str) -> list[ImportProblem]:
    problems = []
    for ref in book.merged(title):
        try:
            _, min_row, _, _ = range_boundaries(ref)
        except (TypeError, ValueError):
            min_row = None
        problems.append(ImportProblem.of(reason("wb_merged", cells=ref), sheet=title, row=min_row))
    return problems


def _setting_names() -> dict[str, str]:
    return {_fold(name): key for key, langs in SETTING_KEYS.items() for name in (key, *langs.values())}


def _target_names(questionnaire: Questionnaire) -> dict[str, str]:
    names = {_fold(n): "overall" for n in ("overall", *OVERALL_NAME.values())}
    for p in questionnaire.pillars:
        for n in (p.id, *p.name.texts()):
            names[_fold(n)] = p.id
    return names


def _setting_key(questionnaire: Questionnaire, raw: str) -> str | None:
    """The canonical key of a settings row named in either language; None when unknown."""
    folded = _fold(raw)
    known = _setting_names().get(folded)
    if known:
        return known
    for prefix in ("target:", *TARGET_PREFIX.values()):
        p = _fold(prefix)
        if folded.startswith(p):
            pillar = _target_names(questionnaire).get(folded.removeprefix(p).strip())
            return f"target:{pillar}" if pillar else f"target:?{raw}"
    return None


def _read_settings(questionnaire: Questionnaire, book: _Book, problems: list[ImportProblem]) -> _Settings | None:
    title = book.find(list(SHEETS[SETTINGS].values()))
    if title is None:
        problems.append(ImportProblem.of(reason("wb_no_settings"), sheet=SHEETS[SETTINGS]["en"]))
        return None
    try:
        rows = _rows(book.values[title], 2)
    except Exception:  # a malformed sheet part: report it, never a traceback
        problems.append(ImportProblem.of(reason("wb_unreadable_sheet"), sheet=title))
        return None
    problems.extend(_merge_problems(book, title))
    for found in _formula_problems(rows, book.formula_rows(title, 2), {"value": 1}, title).values():
        problems.extend(found)
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    for i, row in enumerate(rows[1:], start=2):
        raw = _text(row[0] if row else None)
        if raw:
            key = _setting_key(questionnaire, raw) or raw
            values[key] = row[1] if len(row) > 1 else None
            where[key] = i
    return _Settings(values, where, title)


def _settings_problems(questionnaire: Questionnaire, s: _Settings, problems: list[ImportProblem]) -> bool:
    """Check the identity rows; True when the workbook is for another questionnaire or version (stop there)."""
    def at(key: str) -> int | None:
        return s.rows.get(key)

    form_id = _text(s.values.get("form_id"))
    version = _text(s.values.get("version"))
    if form_id != questionnaire.id:
        problems.append(ImportProblem.of(
            reason("wb_other_form", theirs=form_id or "(none)", ours=questionnaire.id),
            sheet=s.sheet, row=at("form_id"),
        ))
        return True
    if version != questionnaire.version:
        problems.append(ImportProblem.of(
            reason("wb_other_version", theirs=version or "(none)", ours=questionnaire.version),
            sheet=s.sheet, row=at("version"),
        ))
        return True
    content_hash = _text(s.values.get("content_hash"))
    if content_hash and content_hash != questionnaire.content_hash:
        problems.append(ImportProblem.of(reason("wb_other_content"), sheet=s.sheet, row=at("content_hash")))
        return True
    return False


@cache
def _country_lookup() -> dict[str, str]:
    """ISO3 code or the name in any of ITU's six languages (case and accents ignored) -> ISO3."""
    lookup: dict[str, str] = {}
    for c in countries():
        for code in REGISTRY:
            lookup[_fold(country_name(c.iso3, code))] = c.iso3
    for c in countries():
        lookup[_fold(c.iso3)] = c.iso3
    return lookup


def _doc_fields(questionnaire: Questionnaire, s: _Settings, problems: list[ImportProblem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    raw_country = _text(s.values.get("country"))
    if not raw_country:
        problems.append(ImportProblem.of(reason("wb_no_country"), sheet=s.sheet, row=s.rows.get("country")))
    else:
        iso3 = _country_lookup().get(_fold(raw_country))
        if iso3 is None:
            problems.append(ImportProblem.of(reason("not_member_state", code=raw_country), sheet=s.sheet,
                                             row=s.rows.get("country")))
        else:
            member_state(iso3)
            out["country"] = iso3
    raw_cycle = s.values.get("cycle")
    cycle: int | None = None
    if isinstance(raw_cycle, int | float) and not isinstance(raw_cycle, bool) and float(raw_cycle).is_integer():
        cycle = int(raw_cycle)
    elif isinstance(raw_cycle, str) and raw_cycle.strip().isdecimal():  # not isdigit(): "²" is a digit int() refuses
        cycle = int(raw_cycle.strip())
    if cycle is None or not 2000 <= cycle <= 2100:
        problems.append(ImportProblem.of(reason("wb_bad_cycle", got=_describe(raw_cycle)), sheet=s.sheet,
                                         row=s.rows.get("cycle")))
    else:
        out["cycle"] = cycle
    raw_status = _text(s.values.get("status"))
    if raw_status is not None:  # no status row, or a blank one: the file says nothing about it
        names = {_fold(n): key for key, langs in STATUS_NAMES.items() for n in (key, *langs.values())}
        status = names.get(_fold(raw_status))
        if status is None:
            problems.append(ImportProblem.of(reason("wb_bad_status"), sheet=s.sheet, row=s.rows.get("status")))
        else:
            out["status"] = status
    illustrative = _flag(s.values.get("illustrative"))
    if illustrative is None:
        problems.append(ImportProblem.of(reason("wb_bad_illustrative"), sheet=s.sheet,
                                         row=s.rows.get("illustrative")))
    else:
        out["illustrative"] = illustrative
    tier_names = {_fold(n): tier.id for tier in questionnaire.tiers for n in (tier.id, *tier.name.texts())}
    targets: dict[str, float | str | None] = {}
    for key, value in s.values.items():
        if not key.startswith("target:") or _is_blank(value):
            continue
        row = s.rows.get(key)
        if key.startswith("target:?"):
            problems.append(ImportProblem.of(reason("wb_unknown_target", overall=dict(OVERALL_NAME)),
                                             sheet=s.sheet, row=row))
        elif is_clear(value):
            targets[key.removeprefix("target:")] = None
        elif isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
            targets[key.removeprefix("target:")] = float(value)
        elif isinstance(value, str) and _fold(value) in tier_names:
            targets[key.removeprefix("target:")] = tier_names[_fold(value)]
        else:
            problems.append(ImportProblem.of(reason("wb_bad_target", clear=dict(CLEAR_WORD)), sheet=s.sheet, row=row))
    out["targets"] = targets
    return out


def _header_map(header: tuple[Any, ...]) -> dict[str, int]:
    names = {h.casefold(): k for k, langs in COLUMNS.items() for h in (k, *langs.values())}
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = names.get((_text(cell) or "").casefold())
        if key and key not in found:
            found[key] = i
    return found


def _read_answer(questionnaire: Questionnaire, q: Question, cells: dict[str, Any],
                 loc: dict[str, Any]) -> tuple[QuestionPatch | None, list[ImportProblem]]:
    """What one row says about its question (blank cells say nothing), or its problems."""
    problems: list[ImportProblem] = []
    raw_answer = cells.get("answer")
    clear_answer = is_clear(raw_answer)
    value, why = (None, None) if clear_answer else _parse_value(questionnaire, q, raw_answer)
    if why:
        problems.append(ImportProblem.of(why, column="answer", **loc))
    flags: dict[str, bool | None] = {}  # None: blank, the file says nothing
    for key in ("not_applicable", "dont_know", "review"):
        raw = cells.get(key)
        if _is_blank(raw):
            flags[key] = None
            continue
        flag = False if is_clear(raw) else _flag(raw)
        if flag is None:
            problems.append(ImportProblem.of(reason("wb_yes_no", got=_describe(raw)), column=key, **loc))
        flags[key] = flag
    if flags["not_applicable"] and not q.allow_na:
        problems.append(ImportProblem.of(reason("no_na"), column="not_applicable", **loc))
    if flags["dont_know"] and not q.allow_dont_know:
        problems.append(ImportProblem.of(reason("no_dk"), column="dont_know", **loc))
    if sum([value is not None, bool(flags["not_applicable"]), bool(flags["dont_know"])]) > 1:
        problems.append(ImportProblem.of(reason("one_state"), column="answer", **loc))
    if problems:
        return None, problems
    fields: dict[str, Any] = {}
    if value is not None or flags["not_applicable"] or flags["dont_know"] or clear_answer:
        fields |= {"value": value, "not_applicable": bool(flags["not_applicable"]),
                   "dont_know": bool(flags["dont_know"])}
    else:  # an explicit "no" says the answer is not (or no longer) that
        fields |= {k: False for k in ("not_applicable", "dont_know") if flags[k] is False}
    if flags["review"] is not None:
        fields["review"] = flags["review"]
    for key in ("justification", "evidence", "comment"):
        raw = cells.get(key)
        if not _is_blank(raw):
            fields[key] = None if is_clear(raw) else _text(raw)
    return QuestionPatch(fields, sheet=loc["sheet"], row=loc["row"]), []


def _read_pillar_sheet(questionnaire: Questionnaire, book: _Book, pillar_id: str,
                       patches: dict[str, QuestionPatch], seen: dict[str, tuple[str, int]],
                       problems: list[ImportProblem]) -> None:
    names = [sheet_names(questionnaire, lang)[pillar_id] for lang in ("en", *languages())]
    older = [sheet_names(questionnaire, lang, legacy=True)[pillar_id] for lang in ("en", "fr")]
    title = book.find([*names, *older, sheet_names(questionnaire)[pillar_id]])
    if title is None:
        problems.append(ImportProblem.of(reason("wb_sheet_missing"), sheet=names[0]))
        return
    try:
        rows = _rows(book.values[title], MAX_COLUMNS)
    except Exception:  # a malformed sheet part: report it, never a traceback
        problems.append(ImportProblem.of(reason("wb_unreadable_sheet"), sheet=title))
        return
    if len(rows) > MAX_ROWS:
        problems.append(ImportProblem.of(reason("wb_too_many_rows", n=MAX_ROWS), sheet=title))
        return
    cols = _header_map(rows[0] if rows else ())
    missing = [k for k in ("question_id", "answer") if k not in cols]
    if missing:
        named = {lang: ", ".join(COLUMNS[k][lang] for k in missing) for lang in languages()}
        why = reason("wb_missing_columns", n=len(missing), columns=named)
        problems.append(ImportProblem.of(why, sheet=title, row=1))
        return
    problems.extend(_merge_problems(book, title))
    editable = {k: i for k, i in cols.items() if k in (*EDITABLE, "question_id")}
    formulas = _formula_problems(rows, book.formula_rows(title, MAX_COLUMNS), editable, title)
    for r, row in enumerate(rows[1:], start=2):
        if r in formulas:
            problems.extend(formulas[r])
            continue
        cells = {k: (row[i] if i < len(row) else None) for k, i in cols.items()}
        raw_id = cells.get("question_id")
        has_input = any(not _is_blank(cells.get(k)) for k in EDITABLE)
        if _is_blank(raw_id):
            if has_input:
                problems.append(ImportProblem.of(reason("wb_row_without_id"), sheet=title, row=r))
            continue
        qid = _text(raw_id) or ""
        loc: dict[str, Any] = {"sheet": title, "row": r, "question_id": qid}
        if not isinstance(raw_id, str) or not questionnaire.has_question(qid):
            problems.append(ImportProblem.of(reason("wb_unknown_question"), **loc))
            continue
        if qid in seen:
            first_sheet, first_row = seen[qid]
            problems.append(ImportProblem.of(reason("wb_twice", sheet=first_sheet, row=first_row), **loc))
            continue
        seen[qid] = (title, r)
        patch, row_problems = _read_answer(questionnaire, questionnaire.question(qid), cells, loc)
        problems.extend(row_problems)
        if patch is not None and patch.fields:
            patches[qid] = patch


def _open(data: bytes, *, data_only: bool = True) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return load_workbook(io.BytesIO(bytes(data)), read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many kinds on a damaged file; the user needs one clear message
        raise ImportProblems([ImportProblem.of(reason("wb_damaged"))]) from None


def read_workbook_patch(questionnaire: Questionnaire, data: bytes) -> ImportPatch:
    """What an uploaded workbook says, checked whole; raise :class:`ImportProblems` on any problem.

    Only what the file speaks about is in the patch: a blank cell is "no information", the clear
    marker clears. Nothing is written here: :mod:`exchange.plan` shows the plan, then applies it.
    """
    _check_container(data)
    values = _open(data)
    try:
        formulas = _open(data, data_only=False)
    except ImportProblems:
        values.close()
        raise
    book = _Book(values, formulas, bytes(data))
    problems: list[ImportProblem] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            settings = _read_settings(questionnaire, book, problems)
            if settings is not None and _settings_problems(questionnaire, settings, problems):
                made_for = (_text(settings.values.get("form_id")) or "", _text(settings.values.get("version")) or "")
                raise ImportProblems(problems, made_for=made_for)
            fields = _doc_fields(questionnaire, settings, problems) if settings is not None else {}
            patches: dict[str, QuestionPatch] = {}
            seen: dict[str, tuple[str, int]] = {}
            for pillar in questionnaire.pillars:
                _read_pillar_sheet(questionnaire, book, pillar.id, patches, seen, problems)
    finally:
        values.close()
        formulas.close()
    if problems:
        raise ImportProblems(problems)
    return ImportPatch(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_hash=questionnaire.content_hash,
        country=fields["country"],
        cycle=fields["cycle"],
        illustrative=fields["illustrative"],
        status=fields.get("status"),
        targets=fields["targets"],
        questions={q.id: patches[q.id] for q in questionnaire.all_questions if q.id in patches},
    )


def read_workbook(questionnaire: Questionnaire, data: bytes) -> AnswersDocument:
    """The workbook's answers applied to a blank assessment, checked whole (what ``iotready workbook read`` shows).

    Questions whose rows say nothing are left out. Raise :class:`ImportProblems` on any problem.
    """
    patch = read_workbook_patch(questionnaire, data)
    problems: list[ImportProblem] = []
    answers: dict[str, Answer] = {}
    for qid, qp in patch.questions.items():
        merged, whys = qp.merged(None)
        for column, why in whys:
            problems.append(ImportProblem.of(why, column=column, sheet=qp.sheet, row=qp.row, question_id=qid))
        if merged is not None:
            answers[qid] = merged
    if problems:
        raise ImportProblems(problems)
    try:
        doc = AnswersDocument(
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            questionnaire_hash=questionnaire.content_hash,
            country=patch.country,
            cycle=patch.cycle,
            illustrative=patch.illustrative,
            status="submitted" if patch.status == "submitted" else "draft",
            targets={k: v for k, v in patch.targets.items() if v is not None},
            answers=answers,
        )
    except ValidationError as exc:
        raise ImportProblems([
            ImportProblem.of(validation_reason(e), column=".".join(str(x) for x in e["loc"]) or None,
                             sheet=SHEETS[SETTINGS]["en"])
            for e in exc.errors()
        ]) from None
    rest = check_answers(questionnaire, doc)  # targets and skip logic; the rows were checked above
    if rest:
        located = []
        for p in rest:
            located_at = patch.questions.get(p.question_id or "")
            sheet, row = (located_at.sheet, located_at.row) if located_at else (SHEETS[SETTINGS]["en"], None)
            why = p.reason or reason("as_is", text=p.message)
            located.append(ImportProblem.of(why, column=p.field, sheet=sheet, row=row, question_id=p.question_id))
        raise ImportProblems(located)
    return doc

