"""Many profiles at once (an adviser's whole cycle) on every core, and one zip to download them.

Workers are started with ``forkserver`` (``spawn`` where it does not exist): safe to call from a
threaded server such as Streamlit, unlike ``fork``; each loads the questionnaire once from its folder. The
annexes, the same in every profile of a language, are drawn once per language before the workers start and
handed to each of them (``reports.annexes``), as are the shaped text widths this process keeps
(``reports.shaping``); each worker hands back the widths it measured, so the next pool starts with them.
One bad document never stops the batch: its output carries an error message instead of a PDF.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import threading
import types
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING

from answers.document import AnswersDocument
from questionnaires.loader import DEFAULT_QUESTIONNAIRE_DIR, Questionnaire, QuestionnaireError, load_questionnaire
from reports.naming import profile_filename
from scoring.engine import ScoringError

if TYPE_CHECKING:
    from assessment.service import WorkflowStamp
    from reports.profile import EvidenceLine
    from reports.replay import Recording
    from reports.shaping import Widths

Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The batch was cancelled after ``done`` of ``total`` profiles."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"cancelled after {done} of {total} profiles")
        self.done = done
        self.total = total


@dataclass(frozen=True)
class ProfileJob:
    """One profile to make: the answers, the language and the optional peer comparison; ``workflow`` is the
    assessment's place in the validation workflow (``assessment.stamps``), so a profile made in bulk says
    "validated by … on …" and "published on …" as the single one does, not only draft or submitted."""

    doc: AnswersDocument
    lang: str = "en"
    peer_medians: dict[str, float] | None = None
    peer_label: str | None = None
    generated_on: date | None = None
    filename: str | None = None
    workflow: WorkflowStamp | None = None
    # The documents annex, as the single profile has it (assessment.evidence.profile_documents): each answer's
    # "number text" and its evidence documents.
    documents: tuple[tuple[str, tuple[EvidenceLine, ...]], ...] = ()

    @property
    def name(self) -> str:
        return self.filename or profile_filename(self.doc, self.lang)


@dataclass(frozen=True)
class ProfileOutput:
    """The PDF of one job, or why it could not be made."""

    name: str
    pdf: bytes | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.pdf is not None


def available_cores() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS and Windows
        return max(1, os.cpu_count() or 1)


@lru_cache(maxsize=4)
def _questionnaire(folder: str) -> Questionnaire:
    return load_questionnaire(folder)


def _pool_context() -> BaseContext:
    """``forkserver`` where it exists (workers fork from a clean server that has already imported
    matplotlib and fpdf2), else ``spawn``; never plain ``fork`` of a possibly threaded caller."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["reports.profile"])
        return ctx
    return multiprocessing.get_context("spawn")


_MAIN_LOCK = threading.Lock()


@contextmanager
def _without_callers_script() -> Iterator[None]:
    """While pool workers start: a ``__main__`` with no file, so no worker runs the caller's script again.

    A new worker (spawn or forkserver) first re-runs the parent's ``__main__`` file. Inside the app that file is
    the Streamlit page the server ran last (Streamlit installs each page as ``__main__``), and under AppTest a
    generated script that fails outside its run: the worker died and the pool broke. Workers need none of it.
    """
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


_worker_annexes: dict[str, Recording | None] = {}  # in a pool's worker: the annexes its parent drew


def _init_worker(annexes: dict[str, Recording | None], widths: Widths | None = None) -> None:
    """A new pool worker: the annexes its parent drew, and the shaped text widths its parent kept.

    A worker starts with no widths kept (``reports.shaping``): an Arabic profile measures some 40,000 line
    fragments with HarfBuzz that every later profile reuses. It takes what the parent kept (what earlier pools'
    workers measured, or a profile drawn in the parent) and hands back what it measures with each profile.
    """
    from reports import shaping

    _worker_annexes.update(annexes)
    if widths:
        shaping.merge(widths)
    shaping.hand_back()


def _render_in_worker(folder: str, job: ProfileJob) -> tuple[ProfileOutput, Widths]:
    """One profile in a pool's worker, with the shaped widths it measured (for the parent to keep)."""
    from reports import shaping

    return _render_one(folder, job), shaping.take_new()


def _parents_widths(langs: Iterable[str]) -> Widths:
    """What this process keeps of shaped widths, for workers drawing profiles in ``langs``.

    Only for a right-to-left language, whose every line is shaped: elsewhere only a user's right-to-left
    comment is, and the copy (a few MB for one language) would cost each worker more than it saves.
    """
    from formatting.scripts import is_rtl

    shaping = sys.modules.get("reports.shaping")  # not imported: nothing shaped, nothing kept
    if shaping is None or not any(is_rtl(lang) for lang in langs):
        return {}
    return shaping.export()


def _keep_widths(widths: Widths) -> None:
    if widths:
        from reports import shaping

        shaping.merge(widths)


def _annexes(folder: str, langs: Iterable[str]) -> dict[str, Recording | None]:
    """The annexes of every language the jobs ask for, drawn once (or kept from an earlier run)."""
    from reports.annexes import annexes_for
    from reports.profile import LANGS

    try:
        questionnaire = _questionnaire(folder)
    except QuestionnaireError:
        return {}  # every job reports it
    return {lang: annexes_for(questionnaire, lang) for lang in sorted(set(langs)) if lang in LANGS}


def _render_one(folder: str, job: ProfileJob, annexes: Recording | None = None) -> ProfileOutput:
    from reports.profile import render_profile  # fpdf2 and matplotlib only once a profile is made

    try:
        pdf = render_profile(
            _questionnaire(folder),
            job.doc,
            lang=job.lang,
            peer_medians=job.peer_medians,
            peer_label=job.peer_label,
            generated_on=job.generated_on,
            annexes=annexes or _worker_annexes.get(job.lang),
            workflow=job.workflow,
            documents=job.documents,
        )
    except ScoringError as exc:  # in the reader's language, as the single report says it
        return ProfileOutput(job.name, error="; ".join(exc.lines(_questionnaire(folder), job.lang)))
    except (QuestionnaireError, ValueError) as exc:
        return ProfileOutput(job.name, error=str(exc))
    except Exception as exc:  # one broken profile must not lose the other 192
        return ProfileOutput(job.name, error=f"unexpected error: {type(exc).__name__}: {exc}")
    return ProfileOutput(job.name, pdf=pdf)


def render_many(
    jobs: Iterable[ProfileJob],
    *,
    questionnaire: Questionnaire | str | Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[ProfileOutput]:
    """Render every job, in job order, on ``workers`` processes (default: every core).

    ``questionnaire`` is the loaded questionnaire or its folder (default: the shipped one); workers
    reload it from its folder. With one worker (or one job) everything runs in this process.
    ``progress(done, total)`` is called in this process after each profile. Once ``cancel`` is set,
    no new profile is started (those being drawn finish) and :class:`Cancelled` is raised.
    """
    todo = list(jobs)
    if isinstance(questionnaire, Questionnaire):
        folder = str(questionnaire.source_dir)
    else:
        folder = str(questionnaire or DEFAULT_QUESTIONNAIRE_DIR)
    total = len(todo)
    n = min(workers or available_cores(), max(total, 1))
    results: list[ProfileOutput | None] = [None] * total
    annexes = _annexes(folder, (job.lang for job in todo)) if todo else {}
    if n <= 1:
        for i, job in enumerate(todo):
            if cancel is not None and cancel.is_set():
                raise Cancelled(i, total)
            results[i] = _render_one(folder, job, annexes.get(job.lang))
            if progress:
                progress(i + 1, total)
    else:
        with ProcessPoolExecutor(
            max_workers=n, mp_context=_pool_context(), initializer=_init_worker,
            initargs=(annexes, _parents_widths(annexes)),
        ) as pool:
            with _without_callers_script():  # the workers start as the jobs are submitted (not with fork)
                futures = {pool.submit(_render_in_worker, folder, job): i for i, job in enumerate(todo)}
            for done, fut in enumerate(as_completed(futures), start=1):
                results[futures[fut]], measured = fut.result()
                _keep_widths(measured)  # the next pool's workers start with them
                if progress:
                    progress(done, total)
                if cancel is not None and cancel.is_set():
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise Cancelled(done, total)
    return [r for r in results if r is not None]


def save_profiles(outputs: Iterable[ProfileOutput], directory: str | Path) -> list[Path]:
    """Write every PDF into ``directory`` (created if needed) under its name; returns the paths written.

    Failed outputs are skipped: the caller reports ``output.error`` for them.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for out in outputs:
        if out.pdf is None:
            continue
        path = folder / Path(out.name).name  # a name is a file name, never a path
        path.write_bytes(out.pdf)
        written.append(path)
    return written


def zip_profiles(outputs: Iterable[ProfileOutput], *, errors_name: str = "ERRORS.txt") -> bytes:
    """One zip of every PDF (same input, same bytes); failures are listed in ``ERRORS.txt``."""
    buf = io.BytesIO()
    failed: list[str] = []
    seen: set[str] = set()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for out in outputs:
            if out.pdf is None:
                failed.append(f"{out.name}: {out.error or 'not generated'}")
                continue
            name = out.name
            stem, dot, ext = name.rpartition(".")
            k = 2
            while name in seen:  # two jobs with the same name must not overwrite each other
                name = f"{stem}-{k}{dot}{ext}" if dot else f"{out.name}-{k}"
                k += 1
            seen.add(name)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, out.pdf)
        if failed:
            info = zipfile.ZipInfo(errors_name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            zf.writestr(info, "\n".join(failed) + "\n")
    return buf.getvalue()


__all__ = [
    "Cancelled", "ProfileJob", "ProfileOutput", "available_cores", "render_many", "save_profiles", "zip_profiles",
]
