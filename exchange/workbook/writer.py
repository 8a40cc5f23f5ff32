"""Building the offline workbook (``build_workbook``): the settings, instructions and hidden choices sheets,
then one protected sheet per pillar with its drop-downs and number validations, pre-filled from an answers
document when one is given. The layout it follows is :mod:`exchange.workbook.layout`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from answers.document import Answer, AnswersDocument, numeric_value
from answers.invisible import visible
from exchange.patch import question_number
from exchange.workbook.layout import (
    _EDIT_FILL,
    _GREY,
    _HEADER_FILL,
    _HEADER_FONT,
    _WRAP,
    CHOICES,
    CHOICES_HEADER,
    CLEAR_WORD,
    COLUMNS,
    EDITABLE,
    INSTRUCTIONS,
    NONE_WORD,
    OVERALL_NAME,
    SETTING_KEYS,
    SETTINGS,
    SETTINGS_HEADER,
    SHEETS,
    STATUS_NAMES,
    TARGET_PREFIX,
    WIDTHS,
    WORKBOOK_FORMAT,
    _spaced,
    _t,
    instructions,
    sheet_names,
    writing_lang,
)
from formatting.scripts import is_rtl
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import Question
from scoring import score


def _number(v: float) -> str:
    return f"{v:g}"


def _levels_text(questionnaire: Questionnaire, q: Question, lang: str) -> str:
    if q.type == "scale":
        scale = questionnaire.scales[q.scale or ""]
        lines = [_t("choose", lang)]
        for o in scale.options:
            desc = questionnaire.descriptor(q, o.value, lang)
            lines.append(f"• {o.label.get(lang)}" + (f"{separator(':', lang)}{desc}" if desc else ""))
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
                        values=separator(';', lang).join(labels)))
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
    return "; ".join(labels.get(v, v) for v in values) if values else NONE_WORD[lang]


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


class AttachedDocument(Protocol):
    """What the workbook says of an attached document (``assessment.evidence.EvidenceView`` is one)."""

    title: str
    filename: str
    reference: str | None
    sha256: str


def _documents_text(q: Question, a: Answer, lang: str, attached: Sequence[AttachedDocument], needed: bool
                    ) -> str | None:
    """The documents of the answer, one a line; else, when the answer is positive or blank, the one to attach."""
    if attached:
        return "\n".join(_t("doc_attached", lang).format(
            title=d.title, name=d.filename, reference=f"{separator(',', lang)}{d.reference}" if d.reference else "",
            sha=d.sha256[:12])
            for d in attached)
    if needed:
        return _t("doc_to_attach", lang).format(prompt=q.evidence_prompt.get(lang))
    return None


def _pillar_sheet(wb: Workbook, questionnaire: Questionnaire, pillar_id: str, title: str, lang: str,
                  doc: AnswersDocument | None, ranges: dict[str, str],
                  documents: Mapping[str, Sequence[AttachedDocument]] | None = None) -> None:
    ws = wb.create_sheet(title)
    scored = {qr.question_id: qr for qr in score(questionnaire, doc).questions} if doc is not None else {}

    def needs(qid: str) -> bool:  # a scored question answered above 0, or not answered yet, needs its proof
        qr = scored.get(qid)
        if not questionnaire.question(qid).scored:
            return False
        return qr is None or qr.status == "unanswered" or (qr.status == "answered" and (qr.score or 0) > 0)

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
            "documents": _documents_text(q, a, lang, (documents or {}).get(q.id, ()), needs(q.id)),
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
    documents: Mapping[str, Sequence[AttachedDocument]] | None = None,
) -> bytes:
    """The offline workbook in ``lang`` ("en" | "fr"), pre-filled from ``doc`` when given; ``documents``: the
    evidence documents attached to each answer (by question id), named in the read-only documents column.

    Numbers keep 15 significant digits (as Excel does); control characters are dropped from texts.
    A right-to-left language (Arabic) gets every sheet right to left: column A on the right, as Excel shows it.
    """
    right_to_left = is_rtl(lang)
    lang = writing_lang(lang)
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
            "settings": SHEETS[SETTINGS][lang], "clear": CLEAR_WORD[lang]}
    for line in instructions(lang):
        info.append([_spaced(line.format(**meta), lang)])
        info.cell(row=info.max_row, column=1).alignment = _WRAP
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 120
    row = info.max_row + 2
    for i, (pid, title) in enumerate(sheet_names(questionnaire, lang).items(), start=1):
        info.cell(row=row, column=1, value=f"{i}. {title}" + (
            "" if title == questionnaire.pillar(pid).name.get(lang)
            else f"{separator(':', lang)}{questionnaire.pillar(pid).name.get(lang)}"
        ))
        row += 1

    ranges = _choices_sheet(wb, questionnaire, lang)
    for pid, title in sheet_names(questionnaire, lang).items():
        _pillar_sheet(wb, questionnaire, pid, title, lang, doc, ranges, documents)
    wb.move_sheet(SHEETS[CHOICES][lang], offset=len(wb.sheetnames))
    for sheet in wb.worksheets:
        sheet.sheet_view.rightToLeft = right_to_left
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
