"""Warm a freshly started server in the background, so its first visitor waits no longer than the next ones.

A new process pays once for the page modules' imports (pandas, plotly), the Engine and its migration, the
questionnaire, the stored scores of assessments written since the last start (recomputed in one batch), the
first picture matplotlib draws (its fonts), and the Home and Compare datasets. :func:`start` does that in a
daemon thread while the server comes up: the server answers its health check at once, and a visitor arriving
before the warm-up ends simply waits for the same import or cache entry it would have built itself. Nothing here
is required: any failure is logged and left to the first page that needs the thing, where the usual error
boundary speaks to the reader.

The garbage collector (issue 26). The imports leave about 260,000 objects that live as long as the process; a
full collection walks them all (130 ms on the 2-core development machine), and Streamlit runs one after every
script run (``runner.postScriptGC``) before it tells the browser the page is done, besides those Python starts on
its own in the middle of a page. So once warm, the process collects once and moves what is alive into the
permanent generation (:func:`gc.freeze`), which later collections skip: a page's collection then walks only what
its own run made. The collector is also paused while the server starts and the modules are imported: they make
hundreds of thousands of objects that all live on, and the collections Python started on its way cost about a
sixth of the warm-up's processor time (2.8 s instead of 3.2-3.6 s, ``time.process_time`` on the development
machine).
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from questionnaires.loader import Questionnaire

log = logging.getLogger(__name__)

# The page bodies and what they import at module level (the PDF and workbook stacks stay lazy), and matplotlib's
# charts, which draw the Results page's first pictures (ui.static_charts imports them on first use).
MODULES = (
    "ui.views.home", "ui.views.assess", "ui.views.results", "ui.views.compare", "ui.views.methodology",
    "ui.views.review", "ui.views.exchange", "ui.views.admin", "reports.charts",
)


def warm(after_imports: Callable[[], None] | None = None) -> list[str]:
    """Import the pages, open the database, load the questionnaire, fill the shared caches and draw a first picture;
    return what it did. ``after_imports`` runs once the imports are over, done or failed (:func:`start` resumes
    the collector there)."""
    done: list[str] = []
    try:
        try:
            for name in MODULES:
                importlib.import_module(name)
            from ui import compare_static

            compare_static.country_paths()  # Compare's first map: the world outline decoded once (about 70 ms)
            done.append("imports")
        finally:
            if after_imports is not None:
                after_imports()
        from assessment import service
        from assessment.filters import AssessmentFilter
        from ui import data
        from ui.security import multi_user

        data.engine()
        questionnaire = data.questionnaire()
        done.append("database")
        with data.session() as s:
            # As the local administrator: every stale or missing stored score is recomputed and written once.
            service.list_assessments(s, AssessmentFilter(questionnaire=questionnaire))
        done.append("scores")
        if not multi_user():
            # One user, so the Home and Compare caches the first visitor will ask for are known now.
            from ui import compare_data, home_data

            home_data.assessments()
            compare_data.dataset()
            done.append("datasets")
        _first_pictures(questionnaire)
        done.append("pictures")
    except Exception:  # a warm-up never stops the server: the page that needs it will say what is wrong
        log.warning("warm-up stopped after %s", done or "nothing", exc_info=True)
    return done


def _first_pictures(questionnaire: Questionnaire) -> None:
    """Draw Results' two pictures once for a blank assessment: matplotlib loads its fonts and lays text out the
    first time (about 0.15 s), and Streamlit's first element of a process looks up every module's file
    (``inspect.stack``, 80 ms): neither is for the first visitor to wait for."""
    from streamlit import env_util

    from answers.document import blank_document
    from scoring import score
    from ui import static_charts

    result = score(questionnaire, blank_document(questionnaire, "KEN", 2026))
    static_charts.pillar_scores(questionnaire, result, "en")
    static_charts.coverage(questionnaire, result, "en")
    env_util.is_repl()  # what a process's first st.* call asks, once: it fills inspect's module-file cache


def _settle() -> None:
    """Collect once, then move everything alive (modules, caches, the questionnaire) out of later collections."""
    gc.collect()
    gc.freeze()


def _background() -> None:
    try:
        warm(after_imports=gc.enable)
    finally:
        gc.enable()  # (already, unless the warm-up could not even start)
    _settle()


def start() -> threading.Thread:
    """Run :func:`warm` in a daemon thread (it never delays the server's readiness), the collector paused while the
    server starts and the modules are imported, then freeze what is alive (see the module's docstring)."""
    gc.disable()
    thread = threading.Thread(target=_background, name="iotready-warm", daemon=True)
    thread.start()
    return thread
