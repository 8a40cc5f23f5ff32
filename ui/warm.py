"""Warm a freshly started server in the background, so its first visitor waits no longer than the next ones.

A new process pays once for the page modules' imports (pandas, plotly), the Engine and its migration, the
questionnaire, the stored scores of assessments written since the last start (recomputed in one batch), and
the Home and Compare datasets. :func:`start` does that in a daemon thread while the server comes up: the
server answers its health check at once, and a visitor arriving before the warm-up ends simply waits for the
same import or cache entry it would have built itself. Nothing here is required: any failure is logged and
left to the first page that needs the thing, where the usual error boundary speaks to the reader.
"""

from __future__ import annotations

import importlib
import logging
import threading

log = logging.getLogger(__name__)

# The page bodies and what they import at module level (the PDF and workbook stacks stay lazy), and matplotlib's
# charts, which draw the Results page's first pictures (ui.static_charts imports them on first use).
MODULES = (
    "ui.views.home", "ui.views.assess", "ui.views.results", "ui.views.compare", "ui.views.methodology",
    "ui.views.review", "ui.views.exchange", "ui.views.admin", "reports.charts",
)


def warm() -> list[str]:
    """Import the pages, open the database, load the questionnaire and fill the shared caches; return what it did."""
    done: list[str] = []
    try:
        for name in MODULES:
            importlib.import_module(name)
        from ui import compare_static

        compare_static.country_paths()  # Compare's first map: the world outline decoded once (about 70 ms)
        done.append("imports")
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
    except Exception:  # a warm-up never stops the server: the page that needs it will say what is wrong
        log.warning("warm-up stopped after %s", done or "nothing", exc_info=True)
    return done


def start() -> threading.Thread:
    """Run :func:`warm` in a daemon thread (it never delays the server's readiness)."""
    thread = threading.Thread(target=warm, name="iotready-warm", daemon=True)
    thread.start()
    return thread
