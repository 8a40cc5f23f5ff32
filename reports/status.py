"""An assessment's place in the validation workflow, in words: for the profile's cover and summary and for the
Results page (light: no PDF stack nor matplotlib, so the app may import it on every run)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from formatting.numbers import fmt_date
from questionnaires.messages import t

if TYPE_CHECKING:
    from assessment.service import WorkflowStamp


def format_date(day: date, lang: str) -> str:
    """The date in prose as CLDR writes it in ``lang`` (Babel): '29 November 2026' / '29 novembre 2026' /
    '29 de noviembre de 2026'; a month list joined in a fixed order could not say "de" nor a Russian genitive."""
    return fmt_date(day, lang)


def workflow_text(stamp: WorkflowStamp | None, lang: str, *, draft: bool) -> str:
    """The workflow state in words: "validated by … on …", "published on …" where it is; without a stamp (a
    document read from a file) only draft or submitted can be told, from ``draft``."""
    if stamp is None:
        return t("pdf.status_draft" if draft else "pdf.status_submitted", lang)
    if stamp.state in ("draft", "returned"):
        return t(f"pdf.status_{stamp.state}", lang)
    text = t(f"pdf.status_{stamp.state}", lang)
    if stamp.state in ("validated", "published") and stamp.validated_at is not None:
        text = t("pdf.status_validated_by", lang, by=" ".join((stamp.validated_by or "–").split()),
                 date=format_date(stamp.validated_at.date(), lang))
    if stamp.state == "published" and stamp.published_at is not None:
        text = t("pdf.status_published_on", lang, date=format_date(stamp.published_at.date(), lang), validated=text)
    return text
