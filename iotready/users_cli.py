"""``iotready users list|invite|grant|revoke|audit`` and the acting user of every database command.

The command line acts as the local administrator (whoever holds the database credentials can do
everything anyway), or, with ``iotready --as EMAIL ...`` (or ``IOTREADY_AS``), as that invited user with
exactly their grants, so imports, exports and user management obey the same matrix as the app.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

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
    """Remember ``--as`` for the commands of this run."""
    _acting["as"] = email


def acting_user(session: Session) -> ActorLike:
    """The actor of this command: the ``--as`` user with their grants, else the local administrator."""
    from assessment import users
    from assessment.service import ServiceError

    email = _acting["as"] or os.environ.get(AS_ENV, "").strip() or None
    if email is None:
        return LOCAL_CLI
    try:
        return users.actor_by_email(session, email)
    except ServiceError as exc:
        raise _problem(exc) from None


def _problem(exc: Exception) -> Exception:
    from iotready.cli import UsageProblem

    return UsageProblem("Nothing was written:", [str(exc)])


def _run(fn: Callable[[Session, ActorLike], T]) -> T:
    """Open a session, call ``fn(session, actor)``, and turn a refusal into a usage problem."""
    from sqlmodel import Session

    from assessment.service import ServiceError
    from iotready.cli import _engine

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


@users_app.command("list")
def users_list() -> None:
    """Users with their roles, whether they signed in, and when last."""
    from assessment import users

    views = _run(lambda s, a: users.list_users(s, actor=a))
    table = Table(title="Users")
    for col in ("E-mail", "Roles", "Signed in", "Last sign-in", "Invited by"):
        table.add_column(col)
    for v in views:
        roles = ", ".join(
            g.role + (f" {g.country}" if g.country else "") + (f" ({', '.join(g.pillars)})" if g.pillars else "")
            for g in v.grants
        ) or "(none)"
        last = v.last_sign_in.strftime("%Y-%m-%d %H:%M UTC") if v.last_sign_in else "never"
        table.add_row(v.email, roles, "yes" if v.bound else "not yet", last, v.invited_by or "")
    out.print(table)


@users_app.command("invite")
def users_invite(
    email: Annotated[str, typer.Argument(help="The person's e-mail, as their identity provider knows it.")],
    role: RoleOpt,
    country: CountryOpt = None,
    pillar: PillarsOpt = None,
) -> None:
    """Invite someone with a role; prints the message to send them (no mail server needed)."""
    from assessment import users

    view = _run(lambda s, a: users.invite(s, email=email, role=role, country=country, pillars=pillar, actor=a))
    roles = ", ".join(g.role + (" " + g.country if g.country else "") for g in view.grants)
    out.print(f"invited {view.email}: {roles}")
    out.print(invitation_text(view.email), markup=False, highlight=False)


def invitation_text(email: str) -> str:
    """What to send an invited person (the app's address from ``IOTREADY_PUBLIC_URL`` when set)."""
    from assessment.mail import invitation

    subject, body = invitation(email, "en")
    return f"To: {email}\nSubject: {subject}\n\n{body}"


@users_app.command("grant")
def users_grant(email: str, role: RoleOpt, country: CountryOpt = None, pillar: PillarsOpt = None) -> None:
    """Give an invited user one more role."""
    from assessment import users

    view = _run(lambda s, a: users.grant(s, email=email, role=role, country=country, pillars=pillar, actor=a))
    out.print(f"{view.email}: {len(view.grants)} active role(s)")


@users_app.command("revoke")
def users_revoke(
    email: str,
    role: Annotated[str | None, typer.Option("--role", help="Only this role (default: every role).")] = None,
    country: CountryOpt = None,
) -> None:
    """Revoke a user's roles (all, or one role / one country's)."""
    from assessment import users

    n = _run(lambda s, a: users.revoke(s, email=email, role=role, country=country, actor=a))
    out.print(f"revoked {n} role(s) of {email}")


@users_app.command("audit")
def users_audit(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the whole trail as CSV.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show the latest events.")] = 50,
) -> None:
    """The audit trail (administrators): grants, revocations, sign-ins, status changes, imports, exports."""
    from assessment import audit

    if output is not None:
        text = _run(lambda s, a: audit.export_csv(s, actor=a))
        output.write_text(text, encoding="utf-8")
        out.print(f"wrote {output}")
        return
    events = _run(lambda s, a: audit.events(s, actor=a, limit=limit))
    table = Table(title="Audit trail (newest first)")
    for col in ("When (UTC)", "Who", "Event", "Country", "Detail"):
        table.add_column(col)
    for e in events:
        detail = ", ".join(f"{k}={v}" for k, v in sorted(e.detail.items()) if v not in ("", None, []))
        table.add_row(e.at.strftime("%Y-%m-%d %H:%M:%S"), e.by, e.event, e.country or "", detail)
    out.print(table)
