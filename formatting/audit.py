"""Grants and audit events in the reader's words, written once for the Admin page and ``iotready users``."""

from __future__ import annotations

from typing import Any

from formatting.numbers import fmt_count
from formatting.scripts import forward
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from refdata import country_name


def pillar_name(questionnaire: Questionnaire, pillar_id: str, lang: str) -> str:
    """A pillar by its name (its id only if this questionnaire has no such pillar, e.g. one since removed)."""
    return next((p.name.get(lang) for p in questionnaire.pillars if p.id == pillar_id), pillar_id)


def role_text(
    questionnaire: Questionnaire, role: str, country: str | None, pillars: list[str] | None, lang: str
) -> str:
    """A grant: "Focal point · Kenya", "Contributor · Kenya (IPv6)"."""
    text = t(f"ui.role.{role}", lang) + (f" · {country_name(country, lang)}" if country else "")
    names = ", ".join(pillar_name(questionnaire, p, lang) for p in pillars or [])
    return text + (f" ({names})" if names else "")


def audit_detail(questionnaire: Questionnaire, event: str, detail: dict[str, Any], lang: str) -> str:
    """An audit event's detail: statuses, roles, pillars and countries by name (the CSV keeps every field).

    An action taken through ``iotready --as`` says so, with the system user who ran the command.
    """
    text = _event_detail(questionnaire, event, detail, lang)
    if detail.get("via") == "cli":
        via = t("ui.admin.detail_via_cli", lang, user=str(detail.get("system_user") or "?"))
        return f"{text} · {via}" if text else via
    return text


def _event_detail(questionnaire: Questionnaire, event: str, detail: dict[str, Any], lang: str) -> str:
    if event == "status":
        was, now = detail.get("from"), detail.get("to")
        moved = f"{t(f'ui.status.{was}', lang)} {forward(lang)} {t(f'ui.status.{now}', lang)}"
        extra = [t("ui.admin.detail_open_queries", lang, n=fmt_count(int(detail["open_queries"]), lang))] \
            if detail.get("open_queries") else []
        if detail.get("source") == "import":
            extra.append(t("ui.admin.detail_by_file", lang))
        return " · ".join([moved, *extra, *([str(detail["note"])] if detail.get("note") else [])])
    if event == "import":
        return t("ui.admin.detail_import", lang, cycle=detail.get("cycle", ""),
                 n=fmt_count(int(detail.get("changed", 0)), lang))
    if event in ("delete", "restore"):
        return str(detail.get("cycle", ""))
    if event in ("grant", "revoke"):
        role = role_text(questionnaire, str(detail.get("role")), None, detail.get("pillars"), lang)
        return f"{detail.get('email', '')} · {role}"
    if event == "export":
        what = str(detail.get("what", "")).upper()
        names = ", ".join(country_name(c, lang) for c in detail.get("countries") or [])
        return f"{what}{separator(':', lang)}{names}" if names else what
    return str(detail.get("email", ""))
