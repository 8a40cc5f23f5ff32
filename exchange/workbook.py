"""The offline questionnaire: an XLSX workbook a regulator fills without the app, and its validated import.

Layout (XLSForm-like, see docs/STYLE): a ``settings`` sheet (form_id = questionnaire id, version,
content hash, country, cycle, lang), an ``instructions`` sheet, one sheet per pillar (named by the
pillar id) with a row per question, and a ``choices`` sheet with every scale's options. Scale answers
get a drop-down of labels; numbers a min/max validation; multi-selects are values separated by commas.

:func:`read_workbook` checks the whole file before returning anything and raises
:class:`ImportProblems` listing every problem by sheet, row and question id. It guards the parser: a
size cap before parsing, and the uncompressed sizes in the zip directory against zip bombs (Python's
zipfile never inflates an entry past its declared size: the CRC check fails first).
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from answers.document import (
    Answer,
    AnswersDocument,
    AnswerValue,
    Reason,
    check_answers,
    check_value,
    numeric_value,
    reason,
    validation_reason,
)
from questionnaires.loader import Questionnaire
from questionnaires.models import Question
from refdata import country as member_state

WORKBOOK_FORMAT = "iotready-workbook"
SETTINGS, INSTRUCTIONS, CHOICES = "settings", "instructions", "choices"
MAX_BYTES = 20 * 1024 * 1024  # a filled workbook is well under 1 MB
MAX_UNCOMPRESSED = 20 * 1024 * 1024  # uncompressed parts; a filled workbook unpacks to under 1 MB
MAX_ZIP_ENTRIES = 1000
MAX_ROWS = 2000  # rows read per sheet; a pillar has a few dozen questions
MAX_COLUMNS = 40
NONE_TOKENS = ("(none)", "(aucun)")  # a multi-select answered "none of these"

YES = {"yes", "oui", "y", "o", "true", "vrai", "x", "1"}
NO = {"no", "non", "n", "false", "faux", "0"}

# Column key -> header per language. The reader accepts either language's header, or the key itself.
COLUMNS: dict[str, dict[str, str]] = {
    "question_id": {"en": "question_id", "fr": "question_id"},
    "question": {"en": "Question", "fr": "Question"},
    "help": {"en": "Help", "fr": "Aide"},
    "levels": {"en": "Levels and allowed answers", "fr": "Niveaux et réponses possibles"},
    "answer": {"en": "Answer", "fr": "Réponse"},
    "not_applicable": {"en": "Not applicable (yes/no)", "fr": "Sans objet (oui/non)"},
    "justification": {"en": "Justification (if not applicable)", "fr": "Justification (si sans objet)"},
    "dont_know": {"en": "Don't know (yes/no)", "fr": "Ne sait pas (oui/non)"},
    "evidence": {"en": "Evidence", "fr": "Justificatifs"},
    "comment": {"en": "Comment", "fr": "Commentaire"},
}
EDITABLE = ("answer", "not_applicable", "justification", "dont_know", "evidence", "comment")
WIDTHS = {"question_id": 14, "question": 50, "help": 50, "levels": 50, "answer": 28, "not_applicable": 14,
          "justification": 30, "dont_know": 14, "evidence": 40, "comment": 30}

TEXTS: dict[str, dict[str, str]] = {
    "yes": {"en": "yes", "fr": "oui"},
    "no": {"en": "no", "fr": "non"},
    "answer_if": {"en": "Answer only if {parent} is: {values}.",
                  "fr": "Répondre seulement si {parent} est : {values}."},
    "evidence_prompt": {"en": "Evidence: {prompt}", "fr": "Justificatifs : {prompt}"},
    "number": {"en": "A number from {min} to {max} ({unit}).", "fr": "Un nombre de {min} à {max} ({unit})."},
    "whole": {"en": "A whole number from {min} to {max} ({unit}).",
              "fr": "Un nombre entier de {min} à {max} ({unit})."},
    "multi": {
        "en": "Write the values that apply, separated by commas; write (none) if none applies. Values:",
        "fr": "Indiquez les valeurs qui s'appliquent, séparées par des virgules ; (aucun) si aucune. Valeurs :",
    },
    "choose": {"en": "Choose one answer from the drop-down list:", "fr": "Choisissez une réponse dans la liste :"},
    "na_allowed": {"en": "May be marked not applicable (with a justification).",
                   "fr": "Peut être marquée sans objet (avec une justification)."},
}
INSTRUCTIONS_TEXT: dict[str, list[str]] = {
    "en": [
        "{title}",
        "Questionnaire {form_id}, version {version}. Fill this workbook offline, then upload it in the app "
        "or with `iotready import FILE` (`iotready workbook read FILE` only checks it).",
        "1. In the `settings` sheet, check the country (ISO 3166 alpha-3 code, e.g. KEN) and the cycle (a year).",
        "2. Each pillar has its own sheet. For each question, fill the `Answer` column: pick a level from the "
        "drop-down, type a number, or list values separated by commas, as the `Levels and allowed answers` "
        "column says.",
        "3. Instead of an answer you may write `yes` under `Don't know`, or, where allowed, `yes` under "
        "`Not applicable` with a one-line justification.",
        "4. Give evidence (a law, a report, a link) for every positive answer: it is what reviewers check.",
        "5. Do not rename sheets, change the `question_id` column or the `settings` rows other than country "
        "and cycle. The upload checks the whole file and lists every problem by sheet, row and question; "
        "nothing is saved until the file has no problem. Uploading the same file twice changes nothing.",
    ],
    "fr": [
        "{title}",
        "Questionnaire {form_id}, version {version}. Remplissez ce classeur hors ligne puis importez-le dans "
        "l'application ou avec `iotready import FICHIER` (`iotready workbook read FICHIER` le vérifie seulement).",
        "1. Dans la feuille `settings`, vérifiez le pays (code ISO 3166 alpha-3, p. ex. KEN) et le cycle (une année).",
        "2. Chaque pilier a sa feuille. Pour chaque question, remplissez la colonne `Réponse` : choisissez un "
        "niveau dans la liste, saisissez un nombre, ou indiquez des valeurs séparées par des virgules, comme "
        "l'indique la colonne `Niveaux et réponses possibles`.",
        "3. Au lieu d'une réponse, vous pouvez écrire `oui` sous `Ne sait pas` ou, lorsque c'est permis, `oui` "
        "sous `Sans objet` avec une justification d'une ligne.",
        "4. Indiquez un justificatif (loi, rapport, lien) pour chaque réponse positive : c'est ce que vérifient "
        "les relecteurs.",
        "5. Ne renommez pas les feuilles et ne modifiez ni la colonne `question_id` ni les lignes de `settings` "
        "autres que le pays et le cycle. L'import vérifie tout le fichier et liste chaque problème par feuille, "
        "ligne et question ; rien n'est enregistré tant qu'il reste un problème. Importer deux fois le même "
        "fichier ne change rien.",
    ],
}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0072B2")  # Okabe-Ito blue, as formatting.palette
_EDIT_FILL = PatternFill("solid", fgColor="FFF8E1")
_GREY = Font(color="808080")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an uploaded workbook, located as precisely as possible."""

    message: str
    sheet: str | None = None
    row: int | None = None
    question_id: str | None = None
    reason: Reason | None = None  # the message in any language
    column: str | None = None  # the pillar-sheet column (or answer field) the problem is in

    @classmethod
    def of(cls, why: Reason, *, column: str | None = None, sheet: str | None = None, row: int | None = None,
           question_id: str | None = None) -> ImportProblem:
        message = f"{column}: {why}" if column else str(why)
        return cls(message, sheet=sheet, row=row, question_id=question_id, reason=why, column=column)

    def text(self, lang: str = "en") -> str:
        """The problem (without its location) in ``lang``; the column by its header in that language."""
        if self.reason is None:
            return self.message
        if not self.column:
            return self.reason.text(lang)
        header = COLUMNS.get(self.column, {}).get("fr" if lang == "fr" else "en", self.column)
        return f"{header}: {self.reason.text(lang)}"

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet `{self.sheet}`")
        if self.row:
            where.append(f"row {self.row}")
        if self.question_id:
            where.append(f"question `{self.question_id}`")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportProblems(ValueError):
    """An upload that cannot be used; ``problems`` lists every problem found (nothing was written)."""

    def __init__(self, problems: list[ImportProblem], *, made_for: tuple[str, str] | None = None) -> None:
        self.problems = problems
        self.made_for = made_for  # (questionnaire id, version) the settings sheet names, when it is another
        super().__init__("the workbook cannot be imported:\n" + "\n".join(f"- {p}" for p in problems))


def _t(key: str, lang: str, **kw: Any) -> str:
    text = TEXTS[key]["fr" if lang == "fr" else "en"]
    return text.format(**kw) if kw else text


def sheet_names(questionnaire: Questionnaire) -> dict[str, str]:
    """Pillar id -> its sheet name (Excel allows 31 characters; kept unique)."""
    names: dict[str, str] = {}
    taken = {SETTINGS, INSTRUCTIONS, CHOICES}
    for p in questionnaire.pillars:
        base = name = p.id[:31]
        i = 2
        while name in taken:
            suffix = f"~{i}"
            name = base[: 31 - len(suffix)] + suffix
            i += 1
        taken.add(name)
        names[p.id] = name
    return names


# ---------------------------------------------------------------------------------------------- build


def _number(v: float) -> str:
    return f"{v:g}"


def _levels_text(questionnaire: Questionnaire, q: Question, lang: str) -> str:
    if q.type == "scale":
        scale = questionnaire.scales[q.scale or ""]
        lines = [_t("choose", lang)]
        for o in scale.options:
            desc = questionnaire.descriptor(q, o.value, lang)
            colon = " : " if lang == "fr" else ": "  # French typography puts a space before the colon
            lines.append(f"• {o.label.get(lang)}" + (f"{colon}{desc}" if desc else ""))
        return "\n".join(lines)
    if q.type == "numeric":
        spec = q.numeric
        assert spec is not None
        key = "whole" if spec.integer else "number"
        return _t(key, lang, min=_number(spec.min), max=_number(spec.max), unit=spec.unit.get(lang))
    lines = [_t("multi", lang)]
    lines += [f"• {o.value} = {o.label.get(lang)}" for o in q.options or []]
    return "\n".join(lines)


def _help_text(questionnaire: Questionnaire, q: Question, lang: str) -> str:
    parts = [q.help.get(lang), _t("evidence_prompt", lang, prompt=q.evidence_prompt.get(lang))]
    if q.depends_on:
        parent = questionnaire.question(q.depends_on.question)
        scale = questionnaire.scales[parent.scale or ""]
        labels = [o.label.get(lang) for o in scale.options if o.value in q.depends_on.in_]
        parts.append(_t("answer_if", lang, parent=parent.id, values=", ".join(labels)))
    if q.allow_na:
        parts.append(_t("na_allowed", lang))
    return "\n".join(parts)


def _answer_cell(questionnaire: Questionnaire, q: Question, answer: Answer, lang: str) -> Any:
    value = answer.value
    if value is None:
        return None
    if q.type == "scale":
        opt = questionnaire.scales[q.scale or ""].option(str(value))
        return opt.label.get(lang) if opt else str(value)
    if q.type == "numeric":
        number = numeric_value(value)
        return int(number) if number.is_integer() else number
    values = value if isinstance(value, list) else [str(value)]
    return ", ".join(values) if values else NONE_TOKENS[1 if lang == "fr" else 0]


def _settings_rows(questionnaire: Questionnaire, doc: AnswersDocument | None, lang: str,
                   country: str | None, cycle: int | None) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("format", WORKBOOK_FORMAT),
        ("form_id", questionnaire.id),
        ("version", questionnaire.version),
        ("content_hash", questionnaire.content_hash),
        ("lang", lang),
        ("country", doc.country if doc else country),
        ("cycle", doc.cycle if doc else cycle),
        ("status", doc.status if doc else "draft"),
        ("illustrative", _t("yes" if doc and doc.illustrative else "no", lang)),
    ]
    for key, target in (doc.targets if doc else {}).items():
        rows.append((f"target:{key}", target))
    return rows


def _choices_sheet(wb: Workbook, questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    """Write every scale's options; return scale id -> the range of its labels for the drop-down."""
    ws = wb.create_sheet(CHOICES)
    ws.append(["list_name", "value", "label", "label::en", "label::fr", "score", "descriptor"])
    ranges: dict[str, str] = {}
    row = 2
    for scale in questionnaire.scales.values():
        start = row
        for o in scale.options:
            ws.append([scale.id, o.value, o.label.get(lang), o.label.en, o.label.fr, o.score,
                       o.descriptor.get(lang) if o.descriptor else None])
            row += 1
        ranges[scale.id] = f"{CHOICES}!$C${start}:$C${row - 1}"
    for col, width in zip("ABCDEFG", (18, 16, 32, 32, 32, 8, 60), strict=True):
        ws.column_dimensions[col].width = width
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    ws.protection.sheet = True
    return ranges


def _pillar_sheet(wb: Workbook, questionnaire: Questionnaire, pillar_id: str, title: str, lang: str,
                  doc: AnswersDocument | None, ranges: dict[str, str]) -> None:
    ws = wb.create_sheet(title)
    keys = list(COLUMNS)
    ws.append([COLUMNS[k][lang] for k in keys])
    col = {k: i + 1 for i, k in enumerate(keys)}
    letter = {k: ws.cell(row=1, column=i).column_letter for k, i in col.items()}
    yes_no = DataValidation(type="list", formula1=f'"{_t("yes", lang)},{_t("no", lang)}"', allow_blank=True)
    ws.add_data_validation(yes_no)
    per_scale: dict[str, DataValidation] = {}
    for row, q in enumerate(questionnaire.questions_in(pillar_id), start=2):
        a = doc.answer(q.id) if doc else Answer()
        values: dict[str, Any] = {
            "question_id": q.id,
            "question": q.text.get(lang),
            "help": _help_text(questionnaire, q, lang),
            "levels": _levels_text(questionnaire, q, lang),
            "answer": _answer_cell(questionnaire, q, a, lang),
            "not_applicable": _t("yes", lang) if a.not_applicable else None,
            "justification": a.justification,
            "dont_know": _t("yes", lang) if a.dont_know else None,
            "evidence": a.evidence,
            "comment": a.comment,
        }
        for k, v in values.items():
            if isinstance(v, str):
                v = ILLEGAL_CHARACTERS_RE.sub("", v)  # control characters cannot be stored in xlsx
            cell = ws.cell(row=row, column=col[k], value=v)
            cell.alignment = _WRAP
            if k in EDITABLE:
                cell.protection = Protection(locked=False)
                cell.fill = _EDIT_FILL
                if isinstance(v, str):
                    cell.data_type = "s"  # never a formula, even when the text starts with "="
        ws.cell(row=row, column=col["question_id"]).font = _GREY
        answer_ref = f"{letter['answer']}{row}"
        if q.type == "scale":
            dv = per_scale.get(q.scale or "")
            if dv is None:
                dv = DataValidation(type="list", formula1=ranges[q.scale or ""], allow_blank=True,
                                    showErrorMessage=True)
                per_scale[q.scale or ""] = dv
                ws.add_data_validation(dv)
            dv.add(answer_ref)
        elif q.type == "numeric":
            spec = q.numeric
            assert spec is not None
            num = DataValidation(type="whole" if spec.integer else "decimal", operator="between",
                                 formula1=_number(spec.min), formula2=_number(spec.max), allow_blank=True,
                                 showErrorMessage=True)
            ws.add_data_validation(num)
            num.add(answer_ref)
        yes_no.add(f"{letter['not_applicable']}{row}")
        yes_no.add(f"{letter['dont_know']}{row}")
    for k, width in WIDTHS.items():
        ws.column_dimensions[letter[k]].width = width
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    ws.freeze_panes = "C2"
    # Protection without a password: guards question ids and texts against slips, not against intent.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def build_workbook(
    questionnaire: Questionnaire,
    lang: str = "en",
    doc: AnswersDocument | None = None,
    *,
    country: str | None = None,
    cycle: int | None = None,
) -> bytes:
    """The offline workbook in ``lang`` ("en" | "fr"), pre-filled from ``doc`` when given.

    Numbers keep 15 significant digits (as Excel does); control characters are dropped from texts.
    """
    lang = "fr" if lang == "fr" else "en"
    wanted = (questionnaire.id, questionnaire.version)
    if doc is not None and (doc.questionnaire_id, doc.questionnaire_version) != wanted:
        raise ValueError(
            f"the answers are for {doc.questionnaire_id} {doc.questionnaire_version}, not for "
            f"{questionnaire.id} {questionnaire.version}: cannot pre-fill this workbook"
        )
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SETTINGS
    ws.append(["key", "value"])
    for key, value in _settings_rows(questionnaire, doc, lang, country, cycle):
        ws.append([key, value])
        if key in ("country", "cycle"):
            ws.cell(row=ws.max_row, column=2).protection = Protection(locked=False)
            ws.cell(row=ws.max_row, column=2).fill = _EDIT_FILL
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 70
    ws.protection.sheet = True

    info = wb.create_sheet(INSTRUCTIONS)
    meta = {"title": questionnaire.meta.title.get(lang), "form_id": questionnaire.id, "version": questionnaire.version}
    for line in INSTRUCTIONS_TEXT[lang]:
        info.append([line.format(**meta)])
        info.cell(row=info.max_row, column=1).alignment = _WRAP
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 120
    row = info.max_row + 2
    for pid, title in sheet_names(questionnaire).items():
        info.cell(row=row, column=1, value=f"{title}: {questionnaire.pillar(pid).name.get(lang)}")
        row += 1

    ranges = _choices_sheet(wb, questionnaire, lang)
    for pid, title in sheet_names(questionnaire).items():
        _pillar_sheet(wb, questionnaire, pid, title, lang, doc, ranges)
    wb.move_sheet(CHOICES, offset=len(wb.sheetnames))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------- read


def _check_container(data: Any) -> None:
    """Refuse, before any parsing, what is not a reasonably sized XLSX (zip) file."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImportProblems([ImportProblem.of(reason("wb_not_bytes"))])
    size = len(data)
    if size > MAX_BYTES:
        raise ImportProblems([ImportProblem.of(
            reason("wb_too_big", size=f"{size / 1_048_576:.1f}", limit=MAX_BYTES // 1_048_576)
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


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _text(v: Any) -> str | None:
    """A free-text cell as a string (numbers and dates written out); None when blank."""
    if _is_blank(v):
        return None
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    return str(v).strip()


def _flag(v: Any) -> bool | None:
    """yes/no in either language (or TRUE/FALSE, 1/0); blank is no; None when unreadable."""
    if _is_blank(v):
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        s = v.strip().casefold()
        if s in YES:
            return True
        if s in NO:
            return False
    return None


def _describe(v: Any) -> str:
    if isinstance(v, datetime | date | time | timedelta):
        return f"a date or time ({v})"
    return repr(v) if not isinstance(v, str) else f"`{v[:60]}`"


def _option_lookup(options: list[tuple[str, str, str]]) -> dict[str, str]:
    """value, English label, French label -> value, compared case-insensitively.

    A label numbered like "3 – Adopted" is also found by its number alone ("3"), when that is unambiguous.
    """
    lookup: dict[str, str] = {}
    numbers: dict[str, set[str]] = {}
    for value, en, fr in options:
        for label in (en, fr):
            head, sep, _ = label.partition(" – ")
            if sep and head.strip():
                numbers.setdefault(head.strip().casefold(), set()).add(value)
    for number, values in numbers.items():
        if len(values) == 1:
            lookup[number] = next(iter(values))
    for value, en, fr in options:
        for key in (en, fr, value):  # values win over a label that happens to spell another value
            lookup[key.strip().casefold()] = value
    return lookup


def _parse_value(questionnaire: Questionnaire, q: Question, raw: Any) -> tuple[AnswerValue, Reason | None]:
    """The answer value of a cell, or the reason it cannot be read."""
    if _is_blank(raw):
        return None, None
    if isinstance(raw, bool | datetime | date | time | timedelta):
        return None, reason("wb_wrong_type", got=_describe(raw))
    if q.type == "numeric":
        if isinstance(raw, int | float):
            number = float(raw)
        else:
            try:
                number = float(str(raw).replace(",", ".").strip())
            except ValueError:
                return None, reason("wb_not_number", got=_describe(raw))
        if not math.isfinite(number):
            return None, reason("not_finite")
        why = check_value(q, questionnaire, number)
        return (None, why) if why else (number, None)
    token = _text(raw) or ""
    if q.type == "scale":
        scale = questionnaire.scales[q.scale or ""]
        lookup = _option_lookup([(o.value, o.label.en, o.label.fr) for o in scale.options])
        found = lookup.get(token.casefold())
        if found is None:
            labels = {lang: "; ".join(o.label.get(lang) for o in scale.options) for lang in ("en", "fr")}
            return None, reason("wb_unknown_option", got=_describe(raw), allowed=labels)
        return found, None
    options = q.options or []
    if token.casefold() in NONE_TOKENS:
        return [], None
    lookup = _option_lookup([(o.value, o.label.en, o.label.fr) for o in options])
    parts = [p.strip() for p in re.split(r"[,;\n]", token) if p.strip()]
    unknown = [p for p in parts if p.casefold() not in lookup]
    if unknown:
        allowed = ", ".join(o.value for o in options)
        return None, reason("wb_unknown_options", unknown=unknown, allowed=allowed, none=NONE_TOKENS[0])
    chosen = list(dict.fromkeys(lookup[p.casefold()] for p in parts))  # repeats are harmless: keep one
    return chosen, None


@dataclass
class _Settings:
    values: dict[str, Any]
    rows: dict[str, int]


def _rows(ws: Any, max_col: int) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=max_col, values_only=True)]


def _read_settings(wb: Any, problems: list[ImportProblem]) -> _Settings | None:
    if SETTINGS not in wb.sheetnames:
        problems.append(ImportProblem.of(reason("wb_no_settings"), sheet=SETTINGS))
        return None
    try:
        rows = _rows(wb[SETTINGS], 2)
    except Exception:  # a malformed sheet part: report it, never a traceback
        problems.append(ImportProblem.of(reason("wb_unreadable_sheet"), sheet=SETTINGS))
        return None
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    for i, row in enumerate(rows[1:], start=2):
        key = _text(row[0] if row else None)
        if key:
            values[key] = row[1] if len(row) > 1 else None
            where[key] = i
    return _Settings(values, where)


def _settings_problems(questionnaire: Questionnaire, s: _Settings, problems: list[ImportProblem]) -> bool:
    """Check the identity rows; True when the workbook is for another questionnaire or version (stop there)."""
    def at(key: str) -> int | None:
        return s.rows.get(key)

    form_id = _text(s.values.get("form_id"))
    version = _text(s.values.get("version"))
    if form_id != questionnaire.id:
        problems.append(ImportProblem.of(
            reason("wb_other_form", theirs=form_id or "(none)", ours=questionnaire.id),
            sheet=SETTINGS, row=at("form_id"),
        ))
        return True
    if version != questionnaire.version:
        problems.append(ImportProblem.of(
            reason("wb_other_version", theirs=version or "(none)", ours=questionnaire.version),
            sheet=SETTINGS, row=at("version"),
        ))
        return True
    content_hash = _text(s.values.get("content_hash"))
    if content_hash and content_hash != questionnaire.content_hash:
        problems.append(ImportProblem.of(reason("wb_other_content"), sheet=SETTINGS, row=at("content_hash")))
        return True
    return False


def _doc_fields(s: _Settings, problems: list[ImportProblem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    raw_country = _text(s.values.get("country"))
    country = (raw_country or "").upper()
    if not country:
        problems.append(ImportProblem.of(reason("wb_no_country"), sheet=SETTINGS, row=s.rows.get("country")))
    else:
        try:
            member_state(country)
            out["country"] = country
        except KeyError:
            problems.append(ImportProblem.of(reason("not_member_state", code=raw_country), sheet=SETTINGS,
                                             row=s.rows.get("country")))
    raw_cycle = s.values.get("cycle")
    cycle: int | None = None
    if isinstance(raw_cycle, int | float) and not isinstance(raw_cycle, bool) and float(raw_cycle).is_integer():
        cycle = int(raw_cycle)
    elif isinstance(raw_cycle, str) and raw_cycle.strip().isdigit():
        cycle = int(raw_cycle.strip())
    if cycle is None or not 2000 <= cycle <= 2100:
        problems.append(ImportProblem.of(reason("wb_bad_cycle", got=_describe(raw_cycle)), sheet=SETTINGS,
                                         row=s.rows.get("cycle")))
    else:
        out["cycle"] = cycle
    status = (_text(s.values.get("status")) or "draft").casefold()
    if status not in ("draft", "submitted"):
        problems.append(ImportProblem.of(reason("wb_bad_status"), sheet=SETTINGS, row=s.rows.get("status")))
    else:
        out["status"] = status
    illustrative = _flag(s.values.get("illustrative"))
    if illustrative is None:
        problems.append(ImportProblem.of(reason("wb_bad_illustrative"), sheet=SETTINGS, row=s.rows.get("illustrative")))
    else:
        out["illustrative"] = illustrative
    targets: dict[str, float | str] = {}
    for key, value in s.values.items():
        if not key.startswith("target:") or _is_blank(value):
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
            targets[key.removeprefix("target:")] = float(value)
        elif isinstance(value, str):
            targets[key.removeprefix("target:")] = value.strip()
        else:
            problems.append(ImportProblem.of(reason("wb_bad_target"), sheet=SETTINGS, row=s.rows.get(key)))
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
                 loc: dict[str, Any]) -> tuple[Answer | None, list[ImportProblem]]:
    problems: list[ImportProblem] = []
    value, why = _parse_value(questionnaire, q, cells.get("answer"))
    if why:
        problems.append(ImportProblem.of(why, column="answer", **loc))
    flags: dict[str, bool] = {}
    for key in ("not_applicable", "dont_know"):
        flag = _flag(cells.get(key))
        if flag is None:
            problems.append(ImportProblem.of(reason("wb_yes_no", got=_describe(cells.get(key))), column=key, **loc))
        flags[key] = bool(flag)
    if flags["not_applicable"] and not q.allow_na:
        problems.append(ImportProblem.of(reason("no_na"), column="not_applicable", **loc))
    if flags["dont_know"] and not q.allow_dont_know:
        problems.append(ImportProblem.of(reason("no_dk"), column="dont_know", **loc))
    if problems:
        return None, problems
    try:
        answer = Answer(
            value=value,
            not_applicable=flags["not_applicable"],
            dont_know=flags["dont_know"],
            justification=_text(cells.get("justification")),
            evidence=_text(cells.get("evidence")),
            comment=_text(cells.get("comment")),
        )
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(x) for x in err["loc"]) or None
            problems.append(ImportProblem.of(validation_reason(err), column=field, **loc))
        return None, problems
    return answer, []


def _read_pillar_sheet(questionnaire: Questionnaire, wb: Any, title: str, answers: dict[str, Answer],
                       seen: dict[str, tuple[str, int]], problems: list[ImportProblem]) -> None:
    if title not in wb.sheetnames:
        problems.append(ImportProblem.of(reason("wb_sheet_missing"), sheet=title))
        return
    try:
        rows = _rows(wb[title], MAX_COLUMNS)
    except Exception:  # a malformed sheet part: report it, never a traceback
        problems.append(ImportProblem.of(reason("wb_unreadable_sheet"), sheet=title))
        return
    if len(rows) > MAX_ROWS:
        problems.append(ImportProblem.of(reason("wb_too_many_rows", n=MAX_ROWS), sheet=title))
        return
    cols = _header_map(rows[0] if rows else ())
    missing = [COLUMNS[k]["en"] for k in ("question_id", "answer") if k not in cols]
    if missing:
        problems.append(ImportProblem.of(reason("wb_missing_columns", columns=", ".join(missing)), sheet=title, row=1))
        return
    for r, row in enumerate(rows[1:], start=2):
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
        answer, row_problems = _read_answer(questionnaire, questionnaire.question(qid), cells, loc)
        problems.extend(row_problems)
        if answer is not None:
            answers[qid] = answer


def _open(data: bytes) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return load_workbook(io.BytesIO(bytes(data)), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; the user needs one clear message
        raise ImportProblems([ImportProblem.of(reason("wb_damaged"))]) from None


def read_workbook(questionnaire: Questionnaire, data: bytes) -> AnswersDocument:
    """The answers document in an uploaded workbook, checked whole; raise :class:`ImportProblems` on any problem.

    The document holds every question row found in the file (blank rows as unanswered); a question
    whose row was deleted is left out. Nothing is written here: saving (idempotently) is the service
    layer's job (``assessment.service.import_document``).
    """
    _check_container(data)
    wb = _open(data)
    problems: list[ImportProblem] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            settings = _read_settings(wb, problems)
            if settings is not None and _settings_problems(questionnaire, settings, problems):
                made_for = (_text(settings.values.get("form_id")) or "", _text(settings.values.get("version")) or "")
                raise ImportProblems(problems, made_for=made_for)
            fields = _doc_fields(settings, problems) if settings is not None else {}
            answers: dict[str, Answer] = {}
            seen: dict[str, tuple[str, int]] = {}
            for title in sheet_names(questionnaire).values():
                _read_pillar_sheet(questionnaire, wb, title, answers, seen, problems)
    finally:
        wb.close()
    if problems:
        raise ImportProblems(problems)
    try:
        doc = AnswersDocument(
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            questionnaire_hash=questionnaire.content_hash,
            # Every question row in the file, blank ones too (a cleared cell clears the answer); a deleted
            # row leaves the question out, so the service keeps what it has stored.
            answers={q.id: answers[q.id] for q in questionnaire.questions if q.id in answers},
            **fields,
        )
    except ValidationError as exc:
        raise ImportProblems([
            ImportProblem.of(validation_reason(e), column=".".join(str(x) for x in e["loc"]) or None, sheet=SETTINGS)
            for e in exc.errors()
        ]) from None
    rest = check_answers(questionnaire, doc)  # targets; the rows were checked above
    if rest:
        located = []
        for p in rest:
            sheet, row = seen.get(p.question_id or "", (SETTINGS, None))
            why = p.reason or reason("as_is", text=p.message)
            located.append(ImportProblem.of(why, column=p.field, sheet=sheet, row=row, question_id=p.question_id))
        raise ImportProblems(located)
    return doc
