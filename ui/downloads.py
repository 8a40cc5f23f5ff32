"""Files made on click (``st.download_button(data=callable)``), acting as the user who was shown the button.

Streamlit runs a deferred download's callable in a worker thread **outside the script run**: there is no
session state there, so :func:`ui.auth.actor` would find nobody, every service call would refuse, and the
browser would get no file (issue 20: no profile of a handed-in assessment could be downloaded). So the
acting user is read **when the button is drawn** and closed over, and their grants are read again **on the
click**: a page left open keeps its button, and an administrator may have revoked a grant meanwhile (every
other click is checked against the grants of now; the file was built with those of when it was drawn). When
they changed, no file is handed over (a file made beforehand, the bulk zip, would not be checked again); else
the file is built for that user as they are now, the disclosure is recorded in the audit trail
(:func:`assessment.audit.log_export`) before the file leaves, and a failure is logged under a reference that
the page shows on the next run (the button itself shows Streamlit's own "Failed to generate file" under it at
once). Every ``data=callable`` of ``ui/`` goes through :func:`made_on_click`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assessment import audit
from assessment.access import Actor, ActorLike
from ui import auth, data, errors

Payload = bytes | str


@dataclass(frozen=True)
class Disclosure:
    """What a download discloses, for the audit trail: format, where from, which countries and assessments."""

    what: str  # csv, xlsx, json, pdf
    source: str  # one of assessment.audit.EXPORT_SOURCES
    countries: Sequence[str]
    count: int
    assessment_ids: Sequence[str] = ()
    cycles: Sequence[int] = ()


class GrantsChanged(PermissionError):
    """The user's grants changed since the button was drawn: no file (the page is drawn again for the new ones)."""


class DownloadFailed(RuntimeError):
    """A file could not be made; its reference is in the log and shown on the page's next run."""


def made_on_click(build: Callable[[ActorLike], Payload], disclosure: Disclosure | None) -> Callable[[], Payload]:
    """A ``data=`` callable for ``st.download_button`` that builds the file as the user drawn for, and audits it.

    ``build`` receives the acting user captured now (it must use it for every service call, never
    :func:`ui.auth.actor`, which finds nobody outside the script run). ``disclosure`` is None only for a
    file with no country data in it (the blank workbook).
    """
    who = auth.actor()
    session_id = errors.session_id()

    def make() -> Payload:
        try:
            now = auth.grants_now(who) if isinstance(who, Actor) and who.user_id and not who.local else who
            if isinstance(now, Actor) and isinstance(who, Actor) and set(now.grants) != set(who.grants):
                # Drawn for other grants: a file made beforehand (the bulk zip, made in the background) would be
                # handed over whatever the grants of now. The page, drawn again, offers what they may have.
                raise GrantsChanged(who.name)
            payload = build(now)
            if disclosure is not None:
                with data.session() as s:
                    audit.log_export(
                        s, what=disclosure.what, countries=list(disclosure.countries), count=disclosure.count,
                        actor=now, source=disclosure.source, assessment_ids=list(disclosure.assessment_ids),
                        cycles=list(disclosure.cycles),
                    )
            return payload
        except Exception as exc:
            ref = errors.report(exc)
            errors.download_failed(session_id, ref)
            raise DownloadFailed(ref) from exc

    return make
