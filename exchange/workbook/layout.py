"""The offline workbook's layout, shared by its writer and its reader: the fixed sheets' names, the setting
keys, the pillar sheets' columns and how their names fit Excel's 31 characters, the texts written in cells,
and the hidden choices sheet's header.

Every name here exists in English and French: the writer uses the workbook's language, the reader accepts
either (and the older English keys). Change a name here and both sides follow.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill

from questionnaires.loader import Questionnaire
from questionnaires.messages import mark

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
# A multi-select answered "none of these" (en, fr written; es, ru, zh read too)
NONE_TOKENS = ("(none)", "(aucun)", "(ninguno)", "(нет)", "(ничего)", "(无)")

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
    # Read-only, never read back: the documents attached to the answer, or the one that would prove it.
    "documents": {"en": "Evidence documents (attached, or to attach)",
                  "fr": "Documents justificatifs (joints ou à joindre)"},
}
EDITABLE = ("answer", "not_applicable", "justification", "dont_know", "evidence", "comment", "review")
WIDTHS = {"question_id": 14, "question": 50, "help": 50, "levels": 50, "answer": 28, "not_applicable": 14,
          "justification": 30, "dont_know": 14, "evidence": 40, "comment": 30, "review": 12, "documents": 45}

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
    "doc_attached": {"en": "Attached: “{title}”, {name}{reference}, SHA-256 {sha}…",
                     "fr": "Joint : « {title} », {name}{reference}, SHA-256 {sha}…"},
    "doc_to_attach": {"en": "To attach: {prompt}", "fr": "À joindre : {prompt}"},
    "na_allowed": {"en": "May be marked not applicable (with a justification).",
                   "fr": "Peut être marquée sans objet (avec une justification)."},
}
CHOICES_HEADER = {"en": ("answer", "score (0 to 1)", "what it means"),
                  "fr": ("réponse", "score (de 0 à 1)", "ce que cela signifie")}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0072B2")  # Okabe-Ito blue, as formatting.palette
_EDIT_FILL = PatternFill("solid", fgColor="FFF8E1")
_GREY = Font(color="808080")
_WRAP = Alignment(wrap_text=True, vertical="top")


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
