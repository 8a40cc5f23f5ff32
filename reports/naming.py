"""Profile file names: a light module, so a page can name a PDF without importing the PDF stack."""

from __future__ import annotations

from answers.document import AnswersDocument


def profile_filename(doc: AnswersDocument, lang: str = "en") -> str:
    """A stable file name for a profile, e.g. ``iot-readiness-KEN-2026-en.pdf``."""
    return f"iot-readiness-{doc.country}-{doc.cycle}-{lang}.pdf"
