"""``iotready users list|invite|grant|revoke|audit`` and the acting user of every database command.

The command line acts as the local administrator (whoever holds the database credentials can do
everything anyway), or, with ``iotready --as EMAIL ...`` (or ``IOTREADY_AS``), as that invited user with
exactly their grants, so imports, exports and user management obey the same matrix as the app.
Every command takes ``--lang`` (default: ``IOTREADY_LANG``, else the locale) for what it prints; roles, events
and pillars are written by name, as on the Admin page.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from formatting.audit import audit_detail, role_text
from formatting.numbers import fmt_count
from iotready.echo import printable
from iotready.lang import LangOpt, use_lang
from questionnaires.messages import t
from refdata import country_name

if TYPE_CHECKING:
    from sqlmodel import Session

    from assessment.access import ActorLike

T = TypeVar("T")
AS_ENV = "IOTREADY_AS"
LOCAL_CLI = "cli"  # the name the local administrator's changes are recorded under

users_app = typer.Typer(help="Users, their roles and the audit trail (multi-user mode).", no_args_is_help=True)
out = Console()
_acting: dict[str, str | None] = {"as": None}


def set_acting_user(email: str | None) -> None:
    """Remember ``--as`` for the commands of this run (and forget a previous run's, in one process)."""
    _acting["as"] = email
    audit = sys.modules.get("assessment.audit")  # not imported for commands that need no database
    if audit is not None:
        audit.ACTING_VIA.set(None)


def acting_user(session: Session) -> ActorLike:
    """The actor of this command: the ``--as`` user with their grants, else the local administrator."""
    from assessment import audit, users
    from assessment.service import ServiceError

    email = _acting["as"] or os.environ.get(AS_ENV, "").strip() or None
    if email is None:
        return LOCAL_CLI
    try:
        who = users.actor_by_email(session, email)
    except ServiceError as exc:
        raise _problem(exc) from None
    audit.ACTING_VIA.set(("cli", system_user()))  # every event of this run says: command line, this system user
    return who


def system_user() -> str:
    """Who ran this command on this computer (recorded beside the ``--as`` user in the audit trail)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (a bare container)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "?"


def _problem(exc: Exception) -> Exception:
    from iotready.common import _service_problem

    return _service_problem(exc)


def _run(fn: Callable[[Session, ActorLike], T]) -> T:
    """Open a session, call ``fn(session, actor)``, and turn a refusal into a usage problem."""
    from sqlmodel import Session

    from assessment.service import ServiceError
    from iotready.common import _engine

    with Session(_engine()) as session:
        try:
            return fn(session, acting_user(session))
        except ServiceError as exc:
            raise _problem(exc) from None


RoleOpt = Annotated[str, typer.Option("--role", help="admin, adviser, focal_point, contributor or viewer.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="ISO3 code, for the country roles.")]
PillarsOpt = Annotated[
    list[str] | None, typer.Option("--pillar", help="Limit a contributor to this pillar id (repeat the option).")
]


def _cell(text: str) -> Text:
    """A table cell from stored text: control characters as visible escapes, brackets as brackets."""
    return Text(printable(text))


def _role(role: str, country: str | None, pillars: list[str] | None, lang: str) -> str:
    from questionnaires.loader import default_questionnaire

    return role_text(default_questionnaire(), role, country, pillars, lang)  # loaded once per process


@users_app.command("list")
def users_list(lang: LangOpt = None) -> None:
    """Users with their roles, whether they signed in, and when last."""
    from assessment import users

    ln = use_lang(lang)
    views = _run(lambda s, a: users.list_users(s, actor=a))
    table = Table(title=t("ui.admin.users_title", ln))
    for key in ("ui.admin.email", "ui.admin.roles", "ui.admin.signed_in", "ui.admin.last_sign_in", "cli.invited_by"):
        table.add_column(t(key, ln))
    for v in views:
        roles = "; ".join(_role(g.role, g.country, g.pillars, ln) for g in v.grants) or t("cli.no_role", ln)
        last = v.last_sign_in.strftime("%Y-%m-%d %H:%M UTC") if v.last_sign_in else t("cli.never", ln)
        signed_in = t("ui.admin.yes", ln) if v.bound else t("ui.admin.not_yet", ln)
        # Stored e-mails may predate the control-character check: echoed escaped, never as markup.
        table.add_row(_cell(v.email), _cell(roles), signed_in, last, _cell(v.invited_by or ""))
    out.print(table)


@users_app.command("invite")
def users_invite(
    email: Annotated[str, typer.Argument(help="The person's e-mail, as their identity provider knows it.")],
    role: RoleOpt,
    country: CountryOpt = None,
    pillar: PillarsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Invite someone with a role; prints the message to send them (no mail server needed)."""
    from assessment import users

    ln = use_lang(lang)
    view = _run(lambda s, a: users.invite(s, email=email, role=role, country=country, pillars=pillar, actor=a))
    roles = "; ".join(_role(g.role, g.country, g.pillars, ln) for g in view.grants)
    out.print(t("cli.invited", ln, email=view.email, roles=roles), markup=False, highlight=False)
    out.print(invitation_text(view.email, ln), markup=False, highlight=False)


def invitation_text(email: str, lang: str = "en") -> str:
    """What to send an invited person (the app's address from ``IOTREADY_PUBLIC_URL`` when set)."""
    from assessment.mail import invitation

    subject, body = invitation(email, lang)
    return f"{t('cli.mail_to', lang, email=email)}\n{t('cli.mail_subject', lang, subject=subject)}\n\n{body}"


@users_app.command("grant")
def users_grant(
    email: str, role: RoleOpt, country: CountryOpt = None, pillar: PillarsOpt = None, lang: LangOpt = None,
) -> None:
    """Give an invited user one more role."""
    from assessment import users

    ln = use_lang(lang)
    view = _run(lambda s, a: users.grant(s, email=email, role=role, country=country, pillars=pillar, actor=a))
    out.print(t("cli.active_roles", ln, email=view.email, n=fmt_count(len(view.grants), ln)), markup=False)


@users_app.command("revoke")
def users_revoke(
    email: str,
    role: Annotated[str | None, typer.Option("--role", help="Only this role (default: every role).")] = None,
    country: CountryOpt = None,
    lang: LangOpt = None,
) -> None:
    """Revoke a user's roles (all, or one role / one country's)."""
    from assessment import users

    ln = use_lang(lang)
    n = _run(lambda s, a: users.revoke(s, email=email, role=role, country=country, actor=a))
    out.print(t("cli.revoked", ln, email=email, n=fmt_count(n, ln)), markup=False)


@users_app.command("audit")
def users_audit(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the whole trail as CSV.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show the latest events.")] = 50,
    lang: LangOpt = None,
) -> None:
    """The audit trail (administrators): grants, revocations, sign-ins, status changes, imports, exports."""
    from assessment import audit
    from questionnaires.loader import default_questionnaire

    ln = use_lang(lang)
    if output is not None:
        text = _run(lambda s, a: audit.export_csv(s, actor=a))
        output.write_text(text, encoding="utf-8")
        out.print(t("cli.wrote", ln, path=output), markup=False)
        return
    events = _run(lambda s, a: audit.events(s, actor=a, limit=limit))
    table = Table(title=t("cli.audit_title", ln))
    for key in ("cli.col_when_utc", "ui.admin.col_who", "ui.admin.col_event", "ui.admin.col_country",
                "ui.admin.col_detail"):
        table.add_column(t(key, ln))
    q = default_questionnaire()
    for e in events:
        # A refused sign-in records whatever address the provider sent: escaped, never obeyed by the terminal.
        table.add_row(e.at.strftime("%Y-%m-%d %H:%M:%S"), _cell(e.by), t(f"ui.audit.{e.event}", ln),
                      country_name(e.country, ln) if e.country else "", _cell(audit_detail(q, e.event, e.detail, ln)))
    out.print(table)


