"""The background profile zip: progress readable from outside, a cancel that stops it, a zip when done."""

from __future__ import annotations

import io
import threading
import zipfile

import pytest

from reports import ProfileJob
from reports.background import get_task, start_zip
from reports.bulk import Cancelled, render_many
from tests.compare.conftest import MINI, make_doc


def _jobs(n: int) -> list[ProfileJob]:
    countries = ["KEN", "SEN", "FJI", "CHL", "RWA", "HTI", "ETH", "NPL"]
    return [ProfileJob(doc=make_doc(MINI, countries[i % len(countries)], 2000 + i)) for i in range(n)]


def test_a_finished_task_holds_the_zip_and_its_progress() -> None:
    task = start_zip(_jobs(2), questionnaire=MINI, workers=1, label="2025")
    assert get_task(task.id) is task
    assert task.wait(120)
    assert (task.state, task.done, task.total, task.failed) == ("done", 2, 2, 0)
    assert task.result is not None
    assert len(zipfile.ZipFile(io.BytesIO(task.result)).namelist()) == 2


def test_cancel_stops_the_task_before_every_profile_is_made() -> None:
    task = start_zip(_jobs(8), questionnaire=MINI, workers=1)
    task.cancel()
    assert task.wait(120)
    assert task.state == "cancelled" and task.result is None
    assert task.done < task.total


def test_render_many_stops_once_cancelled_from_its_progress() -> None:
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done == 2:
            cancel.set()  # what the Cancel button does, from another thread

    with pytest.raises(Cancelled) as info:
        render_many(_jobs(6), questionnaire=MINI, workers=1, progress=progress, cancel=cancel)
    assert seen == [1, 2] and (info.value.done, info.value.total) == (2, 6)


def test_an_unknown_task_id_is_none() -> None:
    assert get_task("nope") is None and get_task(None) is None
