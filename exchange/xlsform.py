"""The questionnaire as an XLSForm, for KoboToolbox and ODK (Collect, Enketo, Central).

Many regulators already run a KoboToolbox or ODK server for their surveys. :func:`build_xlsform` writes the
questionnaire in the format those platforms read (converted by pyxform): a ``survey`` sheet (one group per
pillar, one field per question, its help as the hint, its skip logic as ``relevant``, numbers with their
range as ``constraint``), a ``choices`` sheet (the scale and option labels, with "don't know" and "not
applicable" as the form's own choices where a question allows them) and a ``settings`` sheet (form id and
version: the questionnaire's). Labels, hints and messages come in every language the tool ships
(``label::English (en)``, ``label::Français (fr)``).

The field names are the contract with :mod:`exchange.kobo`, which reads the submissions back: ``country``,
``cycle``, then per question ``<id>`` (the answer), ``<id>_status`` (numbers and multiple choices that allow
"don't know" or "not applicable"), ``<id>_justification``, ``<id>_evidence`` and ``<id>_comment``.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, t
from questionnaires.models import Question
from refdata import countries, country_name

if TYPE_CHECKING:  # openpyxl where the form is written: reading submissions (exchange.kobo) never needs it
    from openpyxl import Workbook

DONT_KNOW, NOT_APPLICABLE, ANSWER, NONE_OF_THESE = "dont_know", "not_applicable", "answer", "none_of_these"
STATUS_SUFFIX, JUSTIFICATION_SUFFIX, EVIDENCE_SUFFIX, COMMENT_SUFFIX = (
    "_status", "_justification", "_evidence", "_comment")
COUNTRY_LIST = "member_state"


def column_language(lang: str) -> str:
    """``English (en)``: the language as XLSForm columns name it."""
    return f"{languages()[lang]} ({lang})"


def form_id(questionnaire: Questionnaire) -> str:
    """The form's id: the questionnaire's id and version (``res197_1_1_1``), a valid XML name."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{questionnaire.id}_{questionnaire.version}")


def _i18n(prefix: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}::{column_language(lang)}": texts.get(lang, "") for lang in languages()}


def _catalog(key: str, **kw: Any) -> dict[str, str]:
    return {lang: t(key, lang, **kw) for lang in languages()}


def _extras(q: Question) -> tuple[bool, bool]:
    return q.allow_dont_know, q.allow_na


def _status_list(q: Question) -> str:
    dk, na = _extras(q)
    return "state" + ("_dk" if dk else "") + ("_na" if na else "")


def _scale_list(q: Question) -> str:
    dk, na = _extras(q)
    return f"{q.scale}" + ("_dk" if dk else "") + ("_na" if na else "")


def _and(*parts: str) -> str:
    parts = tuple(p for p in parts if p)
    return " and ".join(f"({p})" if " or " in p else p for p in parts)


def _survey_and_choices(questionnaire: Questionnaire) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    survey: list[dict[str, str]] = []
    choices: list[dict[str, str]] = []
    listed: set[str] = set()

    def choice(list_name: str, name: str, label: dict[str, str]) -> None:
        choices.append({"list_name": list_name, "name": name, **_i18n("label", label)})

    def extras(list_name: str, q: Question) -> None:
        dk, na = _extras(q)
        if dk:
            choice(list_name, DONT_KNOW, _catalog("status.dont_know"))
        if na:
            choice(list_name, NOT_APPLICABLE, _catalog("status.not_applicable"))

    for c in countries():
        choice(COUNTRY_LIST, c.iso3, {lang: country_name(c.iso3, lang) for lang in languages()})
    survey.append({"type": f"select_one {COUNTRY_LIST}", "name": "country", "required": "yes",
                   **_i18n("label", _catalog("xlsform.country"))})
    survey.append({"type": "integer", "name": "cycle", "required": "yes", "constraint": ". >= 2000 and . <= 2100",
                   **_i18n("label", _catalog("xlsform.cycle")),
                   **_i18n("constraint_message", _catalog("xlsform.cycle_range"))})
    for n, pillar in enumerate(questionnaire.pillars, start=1):
        survey.append({"type": "begin_group", "name": pillar.id,
                       **_i18n("label", {lang: f"{n}. {pillar.name.get(lang)}" for lang in languages()})})
        for i, q in enumerate(questionnaire.form_questions_in(pillar.id), start=1):
            shown = q.depends_on.relevant_expression() if q.depends_on else ""
            # A context indicator says so in its label: the person filling the form knows it earns no points.
            unscored = {lang: "" if q.scored else f" ({t('context.label', lang)})" for lang in languages()}
            label = _i18n("label", {lang: f"{n}.{i} {q.text.get(lang)}{unscored[lang]}" for lang in languages()})
            hint = _i18n("hint", {lang: q.help.get(lang) for lang in languages()})
            dk, na = _extras(q)
            answered = f"${{{q.id}}} != ''"
            if q.type == "scale":
                name = _scale_list(q)
                if name not in listed:
                    listed.add(name)
                    for opt in questionnaire.scales[q.scale or ""].options:
                        choice(name, opt.value, {lang: opt.label.get(lang) for lang in languages()})
                    extras(name, q)
                survey.append({"type": f"select_one {name}", "name": q.id, "relevant": shown, **label, **hint})
                na_chosen = f"${{{q.id}}} = '{NOT_APPLICABLE}'"
                given = _and(answered, f"${{{q.id}}} != '{DONT_KNOW}'", f"${{{q.id}}} != '{NOT_APPLICABLE}'")
            else:
                if dk or na:
                    state = _status_list(q)
                    if state not in listed:
                        listed.add(state)
                        choice(state, ANSWER, _catalog("xlsform.i_answer"))
                        extras(state, q)
                    survey.append({"type": f"select_one {state}", "name": q.id + STATUS_SUFFIX, "relevant": shown,
                                   **label, **hint})
                    value_shown = _and(shown, f"${{{q.id}{STATUS_SUFFIX}}} = '{ANSWER}'")
                    label = _i18n("label", _catalog("xlsform.the_answer"))
                    hint = {}
                    na_chosen = f"${{{q.id}{STATUS_SUFFIX}}} = '{NOT_APPLICABLE}'"
                else:
                    value_shown, na_chosen = shown, "false()"
                if q.type == "numeric":
                    spec = q.numeric
                    assert spec is not None
                    bounds = {lang: f"{spec.min:g} – {spec.max:g} {spec.unit_for(spec.max, lang)}".strip()
                              for lang in languages()}
                    survey.append({
                        "type": "integer" if spec.integer else "decimal", "name": q.id, "relevant": value_shown,
                        "constraint": f". >= {spec.min:g} and . <= {spec.max:g}", **label, **hint,
                        **_i18n("constraint_message",
                                {lang: t("xlsform.between", lang, range=bounds[lang]) for lang in languages()}),
                    })
                else:
                    name = f"{q.id}_options"
                    for opt in q.options or []:
                        choice(name, opt.value, {lang: opt.label.get(lang) for lang in languages()})
                    choice(name, NONE_OF_THESE, _catalog("ui.assess.none_of_these"))
                    survey.append({
                        "type": f"select_multiple {name}", "name": q.id, "relevant": value_shown,
                        "constraint": f"not(selected(., '{NONE_OF_THESE}') and count-selected(.) > 1)", **label,
                        **hint, **_i18n("constraint_message", _catalog("xlsform.none_alone")),
                    })
                given = _and(value_shown, f"${{{q.id}}} != ''") if value_shown else answered
            if na:
                survey.append({"type": "text", "name": q.id + JUSTIFICATION_SUFFIX, "required": "yes",
                               "relevant": _and(shown, na_chosen), **_i18n("label", _catalog("xlsform.justification"))})
            survey.append({"type": "text", "name": q.id + EVIDENCE_SUFFIX, "relevant": given,
                           **_i18n("label", {lang: q.evidence_prompt.get(lang) for lang in languages()})})
            survey.append({"type": "text", "name": q.id + COMMENT_SUFFIX, "relevant": shown,
                           **_i18n("label", _catalog("xlsform.comment"))})
        survey.append({"type": "end_group", "name": ""})
    return survey, choices


def _sheet(wb: Workbook, title: str, rows: list[dict[str, str]], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    assert ws is not None
    ws.title = title
    columns = list(dict.fromkeys(k for r in rows for k in r))
    ws.append(columns)
    for r in rows:
        ws.append([r.get(c, "") for c in columns])


def build_xlsform(questionnaire: Questionnaire) -> bytes:
    """The XLSForm (XLSX bytes) of ``questionnaire``: survey, choices and settings sheets."""
    survey, choices = _survey_and_choices(questionnaire)
    settings = [{
        "form_title": questionnaire.meta.title.get("en"),
        "form_id": form_id(questionnaire),
        "version": questionnaire.version,
        "default_language": column_language("en"),
    }]
    from openpyxl import Workbook

    wb = Workbook()
    _sheet(wb, "survey", survey, first=True)
    _sheet(wb, "choices", choices)
    _sheet(wb, "settings", settings)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
