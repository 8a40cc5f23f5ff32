"""Test data: Arabic, Chinese and Russian sample strings poured into the catalogs and the questionnaire.

The tool has no Arabic, Chinese or Russian catalog yet (issue 24, catalogs in progress). These samples
(tests/fixtures/scripts/samples.yaml, marked test data) let the PDF and workbook tests take the path a real
language will take -- ``t(key, lang)`` and ``I18nText.get(lang)`` -- with real text in each script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from questionnaires import messages
from questionnaires.models import I18nText

SAMPLES_FILE = Path(__file__).resolve().parent / "fixtures" / "scripts" / "samples.yaml"
SAMPLES: dict[str, dict[str, Any]] = yaml.safe_load(SAMPLES_FILE.read_text(encoding="utf-8"))


def use_sample_language(monkeypatch: pytest.MonkeyPatch, lang: str) -> dict[str, Any]:
    """Make ``lang`` speak its samples (English for what they lack) and let the profile accept it."""
    import reports.profile

    sample = SAMPLES[lang]
    real_catalog = messages.catalog

    merged = {**real_catalog("en"), **sample["catalog"]}

    def catalog(code: str) -> dict[str, str]:
        return merged if code == lang else real_catalog(code)

    real_get = I18nText.get

    def get(self: I18nText, code: str) -> str:
        if code == lang:
            return str(sample["content"].get(self.en, self.en))
        return real_get(self, code)

    monkeypatch.setattr(messages, "catalog", catalog)
    monkeypatch.setattr(I18nText, "get", get)
    if lang not in reports.profile.LANGS:
        monkeypatch.setattr(reports.profile, "LANGS", (*reports.profile.LANGS, lang))
    return sample
