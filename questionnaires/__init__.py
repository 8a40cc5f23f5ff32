"""The data-defined questionnaire: content files, their models and loader, the UI catalogs (no UI, no database)."""

from questionnaires.loader import (
    DEFAULT_QUESTIONNAIRE_DIR,
    Questionnaire,
    QuestionnaireError,
    default_questionnaire,
    load_questionnaire,
)
from questionnaires.models import LANGUAGES, I18nText, Lang, Question

__all__ = [
    "DEFAULT_QUESTIONNAIRE_DIR",
    "LANGUAGES",
    "I18nText",
    "Lang",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "default_questionnaire",
    "load_questionnaire",
]
