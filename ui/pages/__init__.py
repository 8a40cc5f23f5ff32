"""The page registry: ``app.py`` builds ``st.navigation`` from :data:`PAGES`.

To add a page, write ``ui/pages/<name>.py`` (a thin script) and insert a :class:`PageSpec` here;
titles are i18n keys so the menu follows the language switch.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to app.py
    title_key: str  # key in questionnaires/i18n/<lang>.yaml
    icon: str
    url_path: str
    default: bool = False
    wide: bool = False  # tables and charts side by side; set once per run by app.py


HOME = PageSpec("ui/pages/home.py", "ui.nav.home", ":material/home:", "home", default=True)
ASSESS = PageSpec("ui/pages/assess.py", "ui.nav.assess", ":material/edit_note:", "assess")
RESULTS = PageSpec("ui/pages/results.py", "ui.nav.results", ":material/monitoring:", "results", wide=True)
EXCHANGE = PageSpec("ui/pages/exchange.py", "ui.nav.exchange", ":material/swap_horiz:", "exchange", wide=True)
COMPARE = PageSpec("ui/pages/compare.py", "ui.nav.compare", ":material/public:", "compare", wide=True)
METHODOLOGY = PageSpec(
    "ui/pages/methodology.py", "ui.nav.methodology", ":material/menu_book:", "methodology", wide=True
)

PAGES: list[PageSpec] = [HOME, ASSESS, RESULTS, COMPARE, EXCHANGE, METHODOLOGY]


def register(spec: PageSpec, *, before: PageSpec | None = None) -> None:
    """Add a page to the menu (before ``before``, else last); registering twice is a no-op."""
    if any(p.path == spec.path for p in PAGES):
        return
    index = PAGES.index(before) if before in PAGES else len(PAGES)
    PAGES.insert(index, spec)
