"""A zip of many profiles made in a background thread, with progress anyone can read and a cancel.

Making a cycle's 190 profiles takes minutes: run in the page's own script run it would block the
user's session (no click answered until it ends) and could not be stopped. Here a thread runs
:func:`reports.bulk.render_many` and writes its progress into a :class:`ZipTask` kept in a
process-wide registry (not in a Streamlit session: the page only keeps the task id and polls it).
Cancelling sets an event: no new profile starts, and the task ends as cancelled with no zip.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from questionnaires.loader import Questionnaire
from reports.bulk import Cancelled, ProfileJob, render_many, zip_profiles

State = Literal["running", "done", "cancelled", "failed"]
_KEEP = 20  # finished tasks kept (their zips are in memory); the oldest finished ones are dropped first


@dataclass
class ZipTask:
    """One background zip: its progress, and its result once done. Read from any thread."""

    id: str
    total: int
    label: str = ""  # what the page shows it as, e.g. the cycle
    done: int = 0
    state: State = "running"
    result: bytes | None = None
    error: str | None = None
    failed: int = 0  # profiles that could not be made (listed in the zip's ERRORS.txt)
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        return self.state != "running"

    def cancel(self) -> None:
        """Ask the task to stop; it ends as "cancelled" once the profiles being drawn are finished."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the task to end (tests, the command line); True when it has."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.finished


_TASKS: dict[str, ZipTask] = {}
_LOCK = threading.Lock()


def _run(task: ZipTask, jobs: Sequence[ProfileJob], questionnaire: Questionnaire | str | Path | None,
         workers: int | None) -> None:
    def progress(done: int, total: int) -> None:
        task.done = done

    try:
        outputs = render_many(jobs, questionnaire=questionnaire, workers=workers, progress=progress,
                              cancel=task._cancel)
        task.failed = sum(1 for o in outputs if not o.ok)
        task.result = zip_profiles(outputs)
        task.state = "done"
    except Cancelled:
        task.state = "cancelled"
    except Exception as exc:  # reported on the page; the thread must never die silently
        task.error = f"{type(exc).__name__}: {exc}"
        task.state = "failed"


def start_zip(
    jobs: Sequence[ProfileJob],
    *,
    questionnaire: Questionnaire | str | Path | None = None,
    workers: int | None = None,
    label: str = "",
) -> ZipTask:
    """Start making the zip of ``jobs`` in a background thread; returns at once with the task."""
    task = ZipTask(id=uuid.uuid4().hex, total=len(jobs), label=label)
    with _LOCK:
        finished = [t for t in _TASKS.values() if t.finished]
        for old in finished[: max(0, len(finished) - _KEEP + 1)]:
            _TASKS.pop(old.id, None)
        _TASKS[task.id] = task
    task._thread = threading.Thread(target=_run, args=(task, list(jobs), questionnaire, workers),
                                    name=f"profile-zip-{task.id[:8]}", daemon=True)
    task._thread.start()
    return task


def get_task(task_id: str | None) -> ZipTask | None:
    """The task with this id, if this process still has it (a restart forgets every task)."""
    if not task_id:
        return None
    with _LOCK:
        return _TASKS.get(task_id)
