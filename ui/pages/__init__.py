"""The page registry: ``app.py`` builds ``st.navigation`` from :data:`PAGES`.

To add a page, write ``ui/pages/<name>.py`` (a thin script) and insert a :class:`PageSpec` here;
titles are i18n keys so the menu follows the language switch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to app.py
    title_key: str  # key in questionnaires/i18n/en.yaml (and each <lang>.po)
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

REVIEW = PageSpec("ui/pages/review.py", "ui.nav.review", ":material/rate_review:", "review", wide=True)
ADMIN = PageSpec("ui/pages/admin.py", "ui.nav.admin", ":material/admin_panel_settings:", "admin", wide=True)

PAGES: list[PageSpec] = [HOME, ASSESS, RESULTS, COMPARE, EXCHANGE, METHODOLOGY]
# Pages of the multi-user mode, shown only to the roles that use them (the services check again).
ROLE_PAGES: dict[str, tuple[PageSpec, frozenset[str]]] = {
    ADMIN.url_path: (ADMIN, frozenset({"admin", "focal_point"})),
}


def review_entry(actor: object) -> PageSpec | None:
    """The Review page's menu entry, named for what the matrix lets ``actor`` do there (issue 20, point 5).

    "Review" only to who may review (adviser, administrator); a focal point, who submits there and replies to
    the adviser's queries, sees "Submission and queries"; a contributor, who only replies, "Adviser's queries";
    a viewer, who may do neither, no entry (the page opened by address says why it is read-only).
    """
    from assessment import access  # here, not on top: the launcher reads the page names before the app's imports

    if not isinstance(actor, access.Actor):
        return None
    if access.allowed(actor, "review"):
        return REVIEW
    if access.allowed(actor, "submit"):
        return replace(REVIEW, title_key="ui.nav.submission", icon=":material/forum:")
    if access.allowed(actor, "comment"):
        return replace(REVIEW, title_key="ui.nav.queries", icon=":material/forum:")
    return None


def visible_pages(pages: list[PageSpec], actor: object, multi: bool) -> list[PageSpec]:
    """The menu for ``actor``: every page, plus Review and Admin for the roles using them (multi-user mode)."""
    if not multi:
        return list(pages)
    roles = actor.roles() if hasattr(actor, "roles") else set()
    review = review_entry(actor)
    return (list(pages) + ([review] if review is not None else [])
            + [spec for spec, allowed in ROLE_PAGES.values() if roles & allowed])


def register(spec: PageSpec, *, before: PageSpec | None = None) -> None:
    """Add a page to the menu (before ``before``, else last); registering twice is a no-op."""
    if any(p.path == spec.path for p in PAGES):
        return
    index = PAGES.index(before) if before in PAGES else len(PAGES)
    PAGES.insert(index, spec)


def url_paths() -> list[str]:
    """Every page's address but the default page's (which is at ``/``): the menu's, Review's and Admin's."""
    specs = [*PAGES, REVIEW, *(spec for spec, _ in ROLE_PAGES.values())]
    return sorted({p.url_path for p in specs if not p.default})
