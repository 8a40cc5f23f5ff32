"""The key of every cache shared by sessions that holds what a reader may see (Home's list, Compare's frame).

It names the database, the questionnaire, the reader with their grants, and the state of the data they may see
(:func:`assessment.service.data_stamp`, one aggregate query). The grants are part of it: a cache keyed by the
reader's name alone kept serving Compare's frame (and the document loader it carries, bound to the reader's
grants of then) after an administrator moved the reader from one country to another, whenever the two countries'
assessments had the same count, versions and time of last change.
"""

from __future__ import annotations

from assessment import service
from ui import auth, data


def reader_stamp() -> str:
    """Changes with every write the reader may see, and with the reader's grants."""
    questionnaire = data.questionnaire()
    actor = auth.actor()
    with data.session() as s:
        state = service.data_stamp(s, actor=actor)
    who = actor if isinstance(actor, str) else f"{actor.name}|{actor.user_id}|{actor.grants!r}"
    return f"{data.engine().url!r}|{questionnaire.id}|{questionnaire.content_hash}|{who}|{state}"
