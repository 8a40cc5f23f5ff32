"""What readers see instead of internal ids: question numbers, clause citations, ITU titles in their language.

Question ids (``pol_data_governance``), clause ids (``instructs-bdt-3``) and rule ids are keys for files,
exports and logs; every text a person reads (PDF, app, CLI, generated docs) goes through these functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from questionnaires.messages import separator, t

if TYPE_CHECKING:
    from questionnaires.loader import Questionnaire


def question_number(questionnaire: Questionnaire, question_id: str) -> str:
    """'1.2': the pillar's position, then the question's position in its pillar (both from 1).

    Derived from the order of the data, so it needs no upkeep; the ids stay the stable keys. A context
    indicator is numbered after its pillar's scored questions, as the form asks it.
    """
    question = questionnaire.question(question_id)
    pillar_no = next(i for i, p in enumerate(questionnaire.pillars, start=1) if p.id == question.pillar)
    in_pillar = [q.id for q in questionnaire.form_questions_in(question.pillar)]
    return f"{pillar_no}.{in_pillar.index(question_id) + 1}"


# Lettered paragraphs in ITU's Arabic texts follow the abjad order (أ) ب) ج) د) هـ) ...), not the Latin letters.
_ABJAD = dict(zip("abcdefghijklmnopqrstuvwxyz",
                  ["أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن", "س", "ع", "ف", "ص", "ق",
                   "ر", "ش", "ت", "ث", "خ", "ذ", "ض"], strict=True))


def _item(label: str, lang: str) -> str:
    """The item as each language writes it: French '3)' and 'k)'; English '3' and 'k)'; Arabic 'ك)' (ITU usage)."""
    if lang == "ar" and label in _ABJAD:
        return f"{_ABJAD[label]})"
    if lang == "fr" or not label.isdigit():
        return f"{label})"
    return label


def clause_reference(questionnaire: Questionnaire, clause_id: str, lang: str) -> str:
    """'charge le Directeur du BDT, 3)' / 'instructs the Director of BDT, 3': a clause cited as the text does.

    A section with a single, unlabelled item is cited by its section alone ('charge le Directeur du BR').
    """
    clause = questionnaire.clause_map[clause_id]
    section = questionnaire.clause_sections.get(clause.section)
    pattern = section.get(lang) if section is not None else clause.section + ", {label}"
    if clause.label is None:
        return pattern.replace(", {label}", "").replace(" {label}", "").replace("{label}", "").strip()
    return pattern.replace("{label}", _item(clause.label, lang))


def material_title(questionnaire: Questionnaire, material: str, lang: str) -> str:
    """An ITU material in the reader's language: ITU's French title, the content catalog's title in another
    language (the overlay), or the English one said to be English."""
    if lang == "en":
        return material
    known = questionnaire.materials.get(material)
    title = None if known is None else known.fr if lang == "fr" else known.translated(lang)
    if title is not None:
        return title
    return t("material.english_title", lang, title=material)


def materials_text(questionnaire: Questionnaire, materials: list[str], lang: str) -> str:
    """The materials of a recommendation, one string, separated as the outputs list them."""
    return separator(";", lang).join(material_title(questionnaire, m, lang) for m in materials)


__all__ = ["clause_reference", "material_title", "materials_text", "question_number"]
