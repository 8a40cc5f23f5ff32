"""Issue 20, point 6, for Home's zip of profiles: each profile in the zip said only draft or submitted; it says
"published on …" and who validated when, as the single profile does."""

from __future__ import annotations

import io
import zipfile

from assessment import service
from assessment.access import Actor, Grant
from reports.background import get_task
from reports.profile import format_date
from tests.reports.helpers import flat, pages_text
from tests.ui.conftest import Env, open_section

ADVISER = Actor(name="adv@itu.example", grants=(Grant("adviser"),))


def test_the_zip_from_home_says_published_and_validated_by_whom(env: Env) -> None:
    ken = env.create("KEN", 2026)
    with env.session() as s:
        service.submit_assessment(s, assessment_id=ken)
        for action in ("review", "validate", "publish"):
            service.transition(s, assessment_id=ken, action=action, actor=ADVISER)
        published = service.workflow_stamp(s, assessment_id=ken).published_at
    assert published is not None
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    open_section(at, "home.bulk_open").button(key="home.bulk_make").click().run(timeout=120)
    task = get_task(at.session_state["home.bulk_task"])
    assert task is not None and task.wait(120) and task.state == "done" and task.result is not None
    with zipfile.ZipFile(io.BytesIO(task.result)) as z:
        (name,) = [n for n in z.namelist() if n.endswith(".pdf")]
        cover = flat(pages_text(z.read(name))[0]).replace("\u202f", " ")
    day = format_date(published.date(), "fr")
    assert f"Statut : publié le {day} ; validé par adv@itu.example le {day}" in cover, cover
