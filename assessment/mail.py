"""Invitation messages: the text to send an invited person, and optional sending by SMTP.

No mail server is needed: the Admin page and ``iotready users invite`` show the message to send. When
``IOTREADY_SMTP_HOST`` is set, the app can send it (``IOTREADY_SMTP_PORT``, ``IOTREADY_SMTP_USER``,
``IOTREADY_SMTP_PASSWORD``, ``IOTREADY_SMTP_FROM``; STARTTLS unless the port is 25).
"""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage

from questionnaires.messages import t

PUBLIC_URL_ENV = "IOTREADY_PUBLIC_URL"
SMTP_HOST_ENV = "IOTREADY_SMTP_HOST"


def invitation(email: str, lang: str = "en") -> tuple[str, str]:
    """(subject, body) of the invitation to ``email`` in ``lang``."""
    url = os.environ.get(PUBLIC_URL_ENV, "").strip() or t("mail.no_url", lang)
    return t("mail.subject", lang), t("mail.body", lang, email=email, url=url)


def smtp_configured() -> bool:
    return bool(os.environ.get(SMTP_HOST_ENV, "").strip())


def send_invitation(email: str, lang: str = "en") -> None:
    """Send the invitation by SMTP (only when ``IOTREADY_SMTP_HOST`` is set); raises OSError on failure."""
    subject, body = invitation(email, lang)
    msg = EmailMessage()
    msg["To"] = email
    msg["From"] = os.environ.get("IOTREADY_SMTP_FROM", "") or os.environ.get("IOTREADY_SMTP_USER", "")
    msg["Subject"] = subject
    msg.set_content(body)
    port = int(os.environ.get("IOTREADY_SMTP_PORT", "587"))
    with smtplib.SMTP(os.environ[SMTP_HOST_ENV], port, timeout=20) as smtp:
        if port != 25:
            smtp.starttls()
        user = os.environ.get("IOTREADY_SMTP_USER", "")
        if user:
            smtp.login(user, os.environ.get("IOTREADY_SMTP_PASSWORD", ""))
        smtp.send_message(msg)
