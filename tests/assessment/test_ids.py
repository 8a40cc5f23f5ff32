"""assessment.models.new_ids: many ids at once, each what new_id makes (a random UUID 4 as 32 hex digits)."""

from __future__ import annotations

import uuid

from assessment.models import new_id, new_ids


def test_new_ids_are_distinct_random_uuid4s_in_new_ids_hex_form() -> None:
    ids = new_ids(5000)
    assert len(set(ids)) == 5000
    for made in ids:
        parsed = uuid.UUID(hex=made)
        assert (parsed.hex, parsed.version, parsed.variant) == (made, 4, uuid.RFC_4122)
    assert len(ids[0]) == len(new_id())
