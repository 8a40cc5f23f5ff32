"""Targets: saved and checked (:mod:`assessment.service.targets`).

On a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set); data is built through the
same service functions the app calls.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from assessment import service
from questionnaires import Questionnaire


def test_targets_are_saved_and_checked(session: Session, mini: Questionnaire, draft: str) -> None:
    view = service.set_targets(
        session, assessment_id=draft, targets={"overall": "advancing", "ipv6": 70}, questionnaire=mini
    )
    assert view.targets == {"overall": "advancing", "ipv6": 70.0}
    assert service.get_document(session, draft).targets == {"overall": "advancing", "ipv6": 70.0}
    with pytest.raises(service.ServiceError, match="unknown tier"):
        service.set_targets(session, assessment_id=draft, targets={"overall": "legendary"}, questionnaire=mini)
    with pytest.raises(service.ServiceError, match="between 0 and 100"):
        service.set_targets(session, assessment_id=draft, targets={"ipv6": 120})
