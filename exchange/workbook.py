"""The offline questionnaire: an XLSX workbook a regulator fills without the app, and its validated import.

Layout (XLSForm-like, see docs/STYLE): a settings sheet (questionnaire id, version, content hash,
country, cycle, language), an instructions sheet, one sheet per pillar (named by the pillar in the
workbook's language) with a row per question, and a hidden choices sheet with every scale's options. Sheet
names and setting keys are in the workbook's language; the reader accepts either language (and the
older English keys). Scale answers get a drop-down of labels; numbers a min/max validation;
multi-selects are option labels separated by semicolons (labels may hold commas).

A blank cell means "no information in this file", never "delete": :func:`read_workbook_patch`
returns only what the file speaks about (:class:`exchange.patch.ImportPatch`); clearing a saved value
needs the clear marker, ``(clear)`` or ``(effacer)``. A formula without a computed value, or a merged
cell, is a problem located by sheet and row, never read as a blank.

:func:`read_workbook_patch` checks the whole file before returning anything and raises
:class:`ImportProblems` listing every problem by sheet, row and question id. It guards the parser: a
size cap before parsing, and the uncompressed sizes in the zip directory against zip bombs (Python's
zipfile never inflates an entry past its declared size: the CRC check fails first).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import range_boundaries
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
from answers.invisible import visible
from exchange.patch import CLEAR_TOKENS, ImportPatch, QuestionPatch, is_clear, question_number
from questionnaires.loader import Questionnaire
from questionnaires.messages import mark, t
from questionnaires.models import Question
from refdata import countries, country_name
from refdata import country as member_state

WORKBOOK_FORMAT = "iotready-workbook"
SETTINGS, INSTRUCTIONS, CHOICES = "settings", "instructions", "choices"
# The fixed sheets' names per language; the reader accepts either.
SHEETS: dict[str, dict[str, str]] = {
    SETTINGS: {"en": "settings", "fr": "paramètres"},
    INSTRUCTIONS: {"en": "instructions", "fr": "instructions"},
    CHOICES: {"en": "choices", "fr": "choix"},
}
# Setting key -> its name per language; the reader accepts either, or the key itself (older workbooks).
SETTING_KEYS: dict[str, dict[str, str]] = {
    "format": {"en": "format", "fr": "format"},
    "form_id": {"en": "questionnaire", "fr": "questionnaire"},
    "version": {"en": "version", "fr": "version"},
    "content_hash": {"en": "content fingerprint", "fr": "empreinte du contenu"},
    "lang": {"en": "language", "fr": "langue"},
    "country": {"en": "country", "fr": "pays"},
    "cycle": {"en": "cycle", "fr": "cycle"},
    "status": {"en": "status", "fr": "statut"},
    "illustrative": {"en": "illustrative", "fr": "illustratif"},
}
TARGET_PREFIX = {"en": "target:", "fr": "objectif\u202f:"}  # the reader also takes "objectif :" (older workbooks)
OVERALL_NAME = {"en": "Overall", "fr": "Global"}
STATUS_NAMES = {"draft": {"en": "draft", "fr": "brouillon"}, "submitted": {"en": "submitted", "fr": "soumis"}}
SETTINGS_HEADER = {"en": ("setting", "value"), "fr": ("paramètre", "valeur")}
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
    "review": {"en": "To review (yes/no)", "fr": "À revoir (oui/non)"},
}
EDITABLE = ("answer", "not_applicable", "justification", "dont_know", "evidence", "comment", "review")
WIDTHS = {"question_id": 14, "question": 50, "help": 50, "levels": 50, "answer": 28, "not_applicable": 14,
          "justification": 30, "dont_know": 14, "evidence": 40, "comment": 30, "review": 12}

TEXTS: dict[str, dict[str, str]] = {
    "yes": {"en": "yes", "fr": "oui"},
    "no": {"en": "no", "fr": "non"},
    "answer_if": {"en": "Answer only if question {parent} is: {values}.",
                  "fr": "Répondre seulement si la question {parent} est : {values}."},
    "evidence_prompt": {"en": "Evidence: {prompt}", "fr": "Justificatifs : {prompt}"},
    "number": {"en": "A number from {min} to {max} ({unit}).", "fr": "Un nombre de {min} à {max} ({unit})."},
    "whole": {"en": "A whole number from {min} to {max} ({unit}).",
              "fr": "Un nombre entier de {min} à {max} ({unit})."},
    "multi": {
        "en": "Write the options that apply, separated by semicolons; write (none) if none applies. Options:",
        "fr": "Indiquez les options qui s'appliquent, séparées par des points-virgules ; (aucun) si aucune. "
              "Options :",
    },
    "choose": {"en": "Choose one answer from the drop-down list:", "fr": "Choisissez une réponse dans la liste :"},
    "na_allowed": {"en": "May be marked not applicable (with a justification).",
                   "fr": "Peut être marquée sans objet (avec une justification)."},
}
INSTRUCTIONS_TEXT: dict[str, list[str]] = {
    "en": [
        "{title}",
        "Version {version}. Fill this workbook offline, then upload it in the app "
        "(Data exchange page) or with the command “iotready import FILE”. Before anything is saved, the "
        "upload shows what it would change, question by question, and waits for your confirmation.",
        "1. In the “{settings}” sheet, check the country (its name in English or French, or its ISO 3166 "
        "alpha-3 code, e.g. KEN) and the cycle (a year).",
        "2. Each pillar has its own sheet. For each question, fill the “Answer” column: pick a level from the "
        "drop-down, type a number, or list the options that apply separated by semicolons, as the “Levels "
        "and allowed answers” column says.",
        "3. Instead of an answer you may write “yes” under “Don't know”, or, where allowed, “yes” under "
        "“Not applicable” with a one-line justification.",
        "4. Give evidence (a law, a report, a link) for every positive answer: it is what reviewers check.",
        "5. A blank cell changes nothing: what is already saved for that question stays as it is. To delete "
        "a saved answer, evidence, comment or target, write {clear} in its cell.",
        "6. Do not rename sheets, change the question_id column or the “{settings}” rows other than country, "
        "cycle and targets, and do not merge cells or leave formulas. The upload checks the whole file and "
        "lists every problem by sheet, row and question; nothing is saved until the file has no problem. "
        "Uploading the same file twice changes nothing.",
    ],
    "fr": [
        "{title}",
        "Version {version}. Remplissez ce classeur hors ligne puis importez-le dans "
        "l'application (page Échange de données) ou avec la commande « iotready import FICHIER ». Avant "
        "tout enregistrement, l'import montre ce qu'il changerait, question par question, et attend votre "
        "confirmation.",
        "1. Dans la feuille « {settings} », vérifiez le pays (son nom en français ou en anglais, ou son code "
        "ISO 3166 alpha-3, p. ex. KEN) et le cycle (une année).",
        "2. Chaque pilier a sa feuille. Pour chaque question, remplissez la colonne « Réponse » : choisissez "
        "un niveau dans la liste, saisissez un nombre, ou indiquez les options qui s'appliquent séparées par "
        "des points-virgules, comme l'indique la colonne « Niveaux et réponses possibles ».",
        "3. Au lieu d'une réponse, vous pouvez écrire « oui » sous « Ne sait pas » ou, lorsque c'est permis, "
        "« oui » sous « Sans objet » avec une justification d'une ligne.",
        "4. Indiquez un justificatif (loi, rapport, lien) pour chaque réponse positive : c'est ce que vérifient "
        "les relecteurs.",
        "5. Une cellule vide ne change rien : ce qui est déjà enregistré pour cette question reste tel quel. "
        "Pour effacer une réponse, un justificatif, un commentaire ou un objectif enregistré, écrivez {clear} "
        "dans sa cellule.",
        "6. Ne renommez pas les feuilles et ne modifiez ni la colonne question_id ni les lignes de "
        "« {settings} » autres que le pays, le cycle et les objectifs ; ne fusionnez pas de cellules et ne "
        "laissez pas de formules. L'import vérifie tout le fichier et liste chaque problème par feuille, ligne "
        "et question ; rien n'est enregistré tant qu'il reste un problème. Importer deux fois le même fichier "
        "ne change rien.",
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
        return f"{header}{mark(':', lang)} {self.reason.text(lang)}"

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


_FR_SPACE_BEFORE = re.compile(r"[ \u00a0]+([:;!?»])")
_FR_SPACE_AFTER = re.compile(r"«[ \u00a0]+")


def _spaced(text: str, lang: str) -> str:
    """French typography for the workbook's texts: a narrow no-break space before : ; ! ? » and after «.

    The same space as ``questionnaires.messages.mark`` puts in the app, so a line never starts with ":".
    """
    if lang != "fr":
        return text
    text = _FR_SPACE_BEFORE.sub(lambda m: mark(m.group(1), "fr") if m.group(1) != "»" else "\u202f»", text)
    return _FR_SPACE_AFTER.sub("«\u202f", text)


def _t(key: str, lang: str, **kw: Any) -> str:
    text = TEXTS[key]["fr" if lang == "fr" else "en"]
    return _spaced(text.format(**kw) if kw else text, lang)


def _lang(lang: str | None) -> str:
    return "fr" if lang == "fr" else "en"


# Words a name cut at 31 characters must not end on ("Cadres politiques et").
_DANGLING = {"and", "or", "of", "for", "the", "in", "on", "to", "with", "a", "an", "et", "ou", "de", "des", "du",
             "d'", "la", "le", "les", "l'", "pour", "aux", "au", "en", "dans", "sur", "avec", "à"}


def _cut(name: str) -> str:
    """``name`` within Excel's 31 characters, cut at a word and never ending on "and"/"et"/"des"..."""
    if len(name) <= 31:
        return name
    words = name[:32].split(" ")[:-1] if " " in name[:32] else [name[:31]]
    while len(words) > 1 and words[-1].casefold().strip(",;-") in _DANGLING:
        words.pop()
    return " ".join(words).strip(" ,;-")


def sheet_names(questionnaire: Questionnaire, lang: str | None = None, *, legacy: bool = False) -> dict[str, str]:
    """Pillar id -> its sheet name in ``lang`` (None: the pillar id, as the oldest workbooks).

    The pillar's name when it fits Excel's 31 characters, else its short name (``short`` in the
    questionnaire), else the name cut at a word. ``legacy``: the names workbooks made before short names
    were used (the full name cut at a word), which the reader still accepts. Excel forbids ``[]:*?/\\``
    and compares names case-insensitively: kept unique.
    """
    names: dict[str, str] = {}
    taken = {v.casefold() for names_ in SHEETS.values() for v in names_.values()}
    for p in questionnaire.pillars:
        raw = p.id if lang is None else p.name.get(_lang(lang))
        if lang is not None and not legacy and len(raw) > 31 and p.short is not None:
            raw = p.short.get(_lang(lang))
        clean = re.sub(r"[\[\]:*?/\\]", " ", raw)
        clean = " ".join(clean.split()).strip("'")
        if legacy and len(clean) > 31:
            clean = clean[:32].rsplit(" ", 1)[0] if " " in clean[:32] else clean[:31]
        elif len(clean) > 31:
            clean = _cut(clean)
        base = name = clean.strip(" ,;-") or p.id[:31]
        i = 2
        while name.casefold() in taken:
            suffix = f" ({i})"
            name = base[: 31 - len(suffix)] + suffix
            i += 1
        taken.add(name.casefold())
        names[p.id] = name
    return names


def _fold(text: str) -> str:
    """A label or name as compared when typed: case, accents, spacing and dashes (-, –, —) do not matter."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = re.sub(r"\s*[-\u2010-\u2015\u2212]\s*", "-", " ".join(plain.split()))
    plain = re.sub("[\u2018\u2019\u02bc]", "'", plain)  # a typographic apostrophe, as word processors type it
    return re.sub(r"\s*:\s*", ":", plain).casefold()


# ---------------------------------------------------------------------------------------------- build


def _number(v: float) -> str:
    return f"{v:g}"


def _levels_text(questionnaire: Questionnaire, q: Question, lang: str) -> str:
    if q.type == "scale":
        scale = questionnaire.scales[q.scale or ""]
        lines = [_t("choose", lang)]
        for o in scale.options:
            desc = questionnaire.descriptor(q, o.value, lang)
            lines.append(f"• {o.label.get(lang)}" + (f"{mark(':', lang)} {desc}" if desc else ""))
        return _spaced("\n".join(lines), lang)
    if q.type == "numeric":
        spec = q.numeric
        assert spec is not None
        key = "whole" if spec.integer else "number"
        return _t(key, lang, min=_number(spec.min), max=_number(spec.max), unit=spec.unit.get(lang))
    lines = [_t("multi", lang)]
    lines += [f"• {o.label.get(lang)}" for o in q.options or []]
    return _spaced("\n".join(lines), lang)


def _help_text(questionnaire: Questionnaire, q: Question, lang: str) -> str:
    parts = [q.help.get(lang), _t("evidence_prompt", lang, prompt=q.evidence_prompt.get(lang))]
    if q.depends_on:
        parent = questionnaire.question(q.depends_on.question)
        scale = questionnaire.scales[parent.scale or ""]
        labels = [o.label.get(lang) for o in scale.options if o.value in q.depends_on.in_]
        number = question_number(questionnaire, parent.id)
        parts.append(_t("answer_if", lang, parent=f"{number} ({parent.text.get(lang)})",
                        values=f"{mark(';', lang)} ".join(labels)))
    if q.allow_na:
        parts.append(_t("na_allowed", lang))
    return _spaced("\n".join(parts), lang)


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
    labels = {o.value: o.label.get(lang) for o in q.options or []}
    # Semicolons: an option's label may itself hold a comma.
    return "; ".join(labels.get(v, v) for v in values) if values else NONE_TOKENS[1 if lang == "fr" else 0]


def _target_key(questionnaire: Questionnaire, key: str, lang: str) -> str:
    """The settings row of a target, named in ``lang``: "target: Policy and regulation"."""
    name = OVERALL_NAME[lang] if key == "overall" else questionnaire.pillar(key).name.get(lang)
    return f"{TARGET_PREFIX[lang]} {name}"


def _settings_rows(questionnaire: Questionnaire, doc: AnswersDocument | None, lang: str,
                   country: str | None, cycle: int | None) -> list[tuple[str, str, Any]]:
    """(key, its name in ``lang``, value) of each settings row."""
    status = doc.status if doc else "draft"
    values: list[tuple[str, Any]] = [
        ("format", WORKBOOK_FORMAT),
        ("form_id", questionnaire.id),
        ("version", questionnaire.version),
        ("content_hash", questionnaire.content_hash),
        ("lang", lang),
        ("country", doc.country if doc else country),
        ("cycle", doc.cycle if doc else cycle),
        ("status", STATUS_NAMES.get(status, {}).get(lang, status)),
        ("illustrative", _t("yes" if doc and doc.illustrative else "no", lang)),
    ]
    rows = [(key, SETTING_KEYS[key][lang], value) for key, value in values]
    targets = doc.targets if doc else {}
    tiers = {tier.id: tier.name.get(lang) for tier in questionnaire.tiers}
    for key in ("overall", *(p.id for p in questionnaire.pillars)):  # every target, blank when not set
        target = targets.get(key)
        shown = tiers.get(target, target) if isinstance(target, str) else target  # a tier by its name
        rows.append((f"target:{key}", _target_key(questionnaire, key, lang), shown))
    return rows


CHOICES_HEADER = {"en": ("answer", "score (0 to 1)", "what it means"),
                  "fr": ("réponse", "score (de 0 à 1)", "ce que cela signifie")}


def _choices_sheet(wb: Workbook, questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    """Write every scale's options; return scale id -> the range of its labels for the drop-down.

    The sheet only feeds the drop-downs (the pillar sheets show each level's meaning), so it is hidden
    and protected; whoever unhides it reads the answers as they are offered, their score and meaning in
    the workbook's language, never the questionnaire's list names or stored values (issue 20.17).
    """
    title = SHEETS[CHOICES][lang]
    ws = wb.create_sheet(title)
    ws.append(list(CHOICES_HEADER[lang]))
    ranges: dict[str, str] = {}
    row = 2
    for scale in questionnaire.scales.values():
        start = row
        for o in scale.options:
            ws.append([o.label.get(lang), o.score, o.descriptor.get(lang) if o.descriptor else None])
            row += 1
        ranges[scale.id] = f"'{title}'!$A${start}:$A${row - 1}"
    for col, width in zip("ABC", (36, 16, 80), strict=True):
        ws.column_dimensions[col].width = width
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    ws.protection.sheet = True
    ws.sheet_state = "hidden"
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
    for row, q in enumerate(questionnaire.form_questions_in(pillar_id), start=2):  # context indicators last
        a = doc.answer(q.id) if doc else Answer()
        unscored = "" if q.scored else f" ({t('context.label', lang)})"  # says it earns no points
        values: dict[str, Any] = {
            "question_id": q.id,
            "question": _spaced(f"{question_number(questionnaire, q.id)} {q.text.get(lang)}{unscored}", lang),
            "help": _help_text(questionnaire, q, lang),
            "levels": _levels_text(questionnaire, q, lang),
            "answer": _answer_cell(questionnaire, q, a, lang),
            "not_applicable": _t("yes", lang) if a.not_applicable else None,
            "justification": a.justification,
            "dont_know": _t("yes", lang) if a.dont_know else None,
            "evidence": a.evidence,
            "comment": a.comment,
            "review": _t("yes", lang) if a.review else None,
        }
        for k, v in values.items():
            if isinstance(v, str):
                v = ILLEGAL_CHARACTERS_RE.sub("", visible(v))  # control characters cannot be stored in xlsx
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
        yes_no.add(f"{letter['review']}{row}")
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
    ws.title = SHEETS[SETTINGS][lang]
    ws.append(list(SETTINGS_HEADER[lang]))
    for key, name, value in _settings_rows(questionnaire, doc, lang, country, cycle):
        ws.append([name, value])
        if key in ("country", "cycle") or key.startswith("target:"):
            ws.cell(row=ws.max_row, column=2).protection = Protection(locked=False)
            ws.cell(row=ws.max_row, column=2).fill = _EDIT_FILL
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 70
    ws.protection.sheet = True

    info = wb.create_sheet(SHEETS[INSTRUCTIONS][lang])
    meta = {"title": questionnaire.meta.title.get(lang), "form_id": questionnaire.id, "version": questionnaire.version,
            "settings": SHEETS[SETTINGS][lang], "clear": CLEAR_TOKENS[1 if lang == "fr" else 0]}
    for line in INSTRUCTIONS_TEXT[lang]:
        info.append([_spaced(line.format(**meta), lang)])
        info.cell(row=info.max_row, column=1).alignment = _WRAP
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 120
    row = info.max_row + 2
    for i, (pid, title) in enumerate(sheet_names(questionnaire, lang).items(), start=1):
        info.cell(row=row, column=1, value=f"{i}. {title}" + (
            "" if title == questionnaire.pillar(pid).name.get(lang)
            else f"{mark(':', lang)} {questionnaire.pillar(pid).name.get(lang)}"
        ))
        row += 1

    ranges = _choices_sheet(wb, questionnaire, lang)
    for pid, title in sheet_names(questionnaire, lang).items():
        _pillar_sheet(wb, questionnaire, pid, title, lang, doc, ranges)
    wb.move_sheet(SHEETS[CHOICES][lang], offset=len(wb.sheetnames))
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
    return repr(v) if not isinstance(v, str) else f"“{v[:60]}”"


def _option_lookup(options: list[tuple[str, str, str]]) -> dict[str, str]:
    """value, English label, French label -> value, keyed by :func:`_fold` (case, accents, dashes ignored).

    A label numbered like "3 – Adopted" is also found by its number alone ("3"), when that is unambiguous.
    """
    lookup: dict[str, str] = {}
    numbers: dict[str, set[str]] = {}
    for value, en, fr in options:
        for label in (en, fr):
            head, sep, _ = label.partition(" – ")
            if sep and head.strip():
                numbers.setdefault(_fold(head), set()).add(value)
    for number, values in numbers.items():
        if len(values) == 1:
            lookup[number] = next(iter(values))
    for value, en, fr in options:
        for key in (en, fr, value):  # values win over a label that happens to spell another value
            lookup[_fold(key)] = value
    return lookup


def _split_options(token: str, lookup: dict[str, str]) -> tuple[list[str], list[str]]:
    """The options named in a multi-select cell, and the pieces that name none.

    Options are separated by semicolons, commas or line breaks, but a label may itself hold a comma
    ("Licensing, numbering"): at each place the longest run of pieces that names an option wins.
    """
    pieces = [p.strip() for p in re.split(r"([,;\n])", token)]
    parts = pieces[0::2]
    seps = pieces[1::2]
    chosen: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(parts):
        if not parts[i]:
            i += 1
            continue
        for j in range(len(parts), i, -1):
            joined = parts[i]
            for k in range(i + 1, j):
                joined += (seps[k - 1] if seps[k - 1] != "\n" else ",") + " " + parts[k]
            if _fold(joined) in lookup:
                chosen.append(lookup[_fold(joined)])
                i = j
                break
        else:
            unknown.append(parts[i])
            i += 1
    return chosen, unknown


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
        found = lookup.get(_fold(token))
        if found is None:
            labels = {lang: "; ".join(o.label.get(lang) for o in scale.options) for lang in ("en", "fr")}
            return None, reason("wb_unknown_option", got=_describe(raw), allowed=labels)
        return found, None
    options = q.options or []
    if token.casefold() in NONE_TOKENS:
        return [], None
    lookup = _option_lookup([(o.value, o.label.en, o.label.fr) for o in options])
    found_values, unknown = _split_options(token, lookup)
    if unknown:
        allowed = {lang: "; ".join(o.label.get(lang) for o in options) for lang in ("en", "fr")}
        return None, reason("wb_unknown_options", unknown="; ".join(unknown), allowed=allowed,
                            none={"en": NONE_TOKENS[0], "fr": NONE_TOKENS[1]})
    chosen = list(dict.fromkeys(found_values))  # repeats are harmless: keep one
    return chosen, None


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
        for n in (p.id, p.name.en, p.name.fr):
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


def _country_lookup() -> dict[str, str]:
    """ISO3 code or the name in English or French (case and accents ignored) -> ISO3."""
    lookup: dict[str, str] = {}
    for c in countries():
        for name in (country_name(c.iso3, "en"), country_name(c.iso3, "fr")):
            lookup[_fold(name)] = c.iso3
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
    elif isinstance(raw_cycle, str) and raw_cycle.strip().isdigit():
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
    tier_names = {_fold(n): tier.id for tier in questionnaire.tiers for n in (tier.id, tier.name.en, tier.name.fr)}
    targets: dict[str, float | str | None] = {}
    for key, value in s.values.items():
        if not key.startswith("target:") or _is_blank(value):
            continue
        row = s.rows.get(key)
        if key.startswith("target:?"):
            problems.append(ImportProblem.of(reason("wb_unknown_target"), sheet=s.sheet, row=row))
        elif is_clear(value):
            targets[key.removeprefix("target:")] = None
        elif isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
            targets[key.removeprefix("target:")] = float(value)
        elif isinstance(value, str) and _fold(value) in tier_names:
            targets[key.removeprefix("target:")] = tier_names[_fold(value)]
        else:
            problems.append(ImportProblem.of(reason("wb_bad_target"), sheet=s.sheet, row=row))
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
    names = [sheet_names(questionnaire, lang)[pillar_id] for lang in ("en", "fr")]
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
    missing = [COLUMNS[k]["en"] for k in ("question_id", "answer") if k not in cols]
    if missing:
        why = reason("wb_missing_columns", n=len(missing), columns=", ".join(missing))
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
