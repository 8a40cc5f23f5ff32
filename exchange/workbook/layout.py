"""The offline workbook's layout, shared by its writer and its reader: the fixed sheets' names, the setting
keys, the pillar sheets' columns and how their names fit Excel's 31 characters, the texts written in cells,
and the hidden choices sheet's header.

Every name here is a UI catalog entry (``wb.*`` in ``questionnaires/i18n``), so it exists in each of ITU's six
languages: the writer uses the workbook's language, the reader accepts any of them (and the older English keys).
Change a name in the catalog and both sides follow.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill

from questionnaires.languages import REGISTRY
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, mark, t

WORKBOOK_FORMAT = "iotready-workbook"
SETTINGS, INSTRUCTIONS, CHOICES = "settings", "instructions", "choices"
# Every word below is the UI catalog's ``wb.<key>`` (questionnaires/i18n), in each registered language: the writer
# uses the workbook's language, the reader accepts any language's word (a workbook written in Arabic reads back
# as one written in English), and the older forms listed with them.
_SETTING_KEYS = ("format", "form_id", "version", "content_hash", "lang", "country", "cycle", "status", "illustrative")
_COLUMN_KEYS = ("question_id", "question", "help", "levels", "answer", "not_applicable", "justification",
                "dont_know", "evidence", "comment", "review",
                # Read-only, never read back: the documents attached to the answer, or the one that would prove it.
                "documents")
_TEXT_KEYS = ("yes", "no", "answer_if", "evidence_prompt", "number", "whole", "multi", "choose", "doc_attached",
              "doc_to_attach", "na_allowed")
INSTRUCTION_LINES = 8  # wb.instructions.0 .. 7, after the questionnaire's title


def _every(key: str) -> dict[str, str]:
    """``wb.<key>`` in every registered language, by language code."""
    return {code: t(f"wb.{key}", code) for code in REGISTRY}


def writing_lang(lang: str | None) -> str:
    """The language a workbook is written in: ``lang`` when the tool offers it, else English."""
    return lang if lang is not None and lang in languages() else "en"


# The fixed sheets' names per language.
SHEETS: dict[str, dict[str, str]] = {sheet: _every(f"sheet.{sheet}") for sheet in (SETTINGS, INSTRUCTIONS, CHOICES)}
# Setting key -> its name per language; the reader also takes the key itself (older workbooks).
SETTING_KEYS: dict[str, dict[str, str]] = {key: _every(f"setting.{key}") for key in _SETTING_KEYS}
TARGET_PREFIX = _every("target_prefix")  # the reader also takes "objectif :" (older French workbooks), as _fold does
OVERALL_NAME = _every("overall")
STATUS_NAMES = {status: _every(f"status.{status}") for status in ("draft", "submitted")}
SETTINGS_HEADER = {code: (t("wb.settings_header.setting", code), t("wb.settings_header.value", code))
                   for code in REGISTRY}
NONE_WORD = _every("none")  # a multi-select answered "none of these"
CLEAR_WORD = _every("clear")  # a cell that clears what is saved (exchange.patch.CLEAR_TOKENS reads them all)
NONE_TOKENS = tuple(dict.fromkeys(w.casefold() for w in ("(none)", "(aucun)", "(ninguno)", "(нет)", "(ничего)", "(无)",
                                                         *NONE_WORD.values())))

# Column key -> header per language. The reader accepts any language's header, or the key itself.
COLUMNS: dict[str, dict[str, str]] = {
    key: {code: "question_id" for code in REGISTRY} if key == "question_id" else _every(f"col.{key}")
    for key in _COLUMN_KEYS
}
EDITABLE = ("answer", "not_applicable", "justification", "dont_know", "evidence", "comment", "review")
WIDTHS = {"question_id": 14, "question": 50, "help": 50, "levels": 50, "answer": 28, "not_applicable": 14,
          "justification": 30, "dont_know": 14, "evidence": 40, "comment": 30, "review": 12, "documents": 45}

TEXTS: dict[str, dict[str, str]] = {key: _every(f"text.{key}") for key in _TEXT_KEYS}
CHOICES_HEADER = {code: tuple(t(f"wb.choices_header.{c}", code) for c in ("answer", "score", "meaning"))
                  for code in REGISTRY}


def instructions(lang: str) -> list[str]:
    """The instructions sheet's lines in ``lang``: the title, then how to fill and upload the workbook."""
    return ["{title}", *(t(f"wb.instructions.{i}", lang) for i in range(INSTRUCTION_LINES))]

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
    text = TEXTS[key][writing_lang(lang)]
    return _spaced(text.format(**kw) if kw else text, lang)


# Words a name cut at 31 characters must not end on ("Cadres politiques et").
_DANGLING = {"and", "or", "of", "for", "the", "in", "on", "to", "with", "a", "an", "et", "ou", "de", "des", "du",
             "d'", "la", "le", "les", "l'", "pour", "aux", "au", "en", "dans", "sur", "avec", "à",
             "y", "o", "del", "el", "los", "las", "para", "con", "por",  # Spanish
             "и", "или", "в", "во", "на", "для", "с", "со", "по", "о", "об", "к"}  # Russian


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
        raw = p.id if lang is None else p.name.get(writing_lang(lang))
        if lang is not None and not legacy and len(raw) > 31 and p.short is not None:
            raw = p.short.get(writing_lang(lang))
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
