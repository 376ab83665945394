"""Pure: a rendered Message -> an RFC 5322 email (plain text + HTML alternative).

Message-IDs are derived from the event id and the site's host, so they are the
same on every run; replies reference the incident's first message, so mail
clients group an incident's updates into one thread.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any
from urllib.parse import quote, urlsplit

from statuspage.notify.messages import Message


def message_id(event_id: str, base_url: str) -> str:
    """`<2026-11-20-api-errors.20261120t130200z@status.acme.example>`: stable, valid."""
    host = urlsplit(base_url).hostname or "statuspage.invalid"
    local = re.sub(r"[^A-Za-z0-9.-]+", ".", event_id.replace("#update-", ".")).strip(".")
    if len(local) > 100:  # keep header lines short; the hash keeps it unique
        local = local[:80] + "." + hashlib.sha256(event_id.encode()).hexdigest()[:16]
    return f"<{local}@{host}>"


def unsubscribe_target(settings: Mapping[str, Any]) -> str:
    """The configured `unsubscribe:`, else a mailto to the sender asking to be removed."""
    if settings.get("unsubscribe"):
        return str(settings["unsubscribe"])
    address = parseaddr(str(settings["from"]))[1]
    return f"mailto:{address}?subject={quote('unsubscribe')}"


def email_message(
    message: Message, settings: Mapping[str, Any], base_url: str, list_name: str
) -> EmailMessage:
    """One email for one event, to the endpoint's recipients."""
    event = message.event
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = settings["from"]
    mail["To"] = ", ".join(settings["to"])
    if settings.get("reply_to"):
        mail["Reply-To"] = settings["reply_to"]
    mail["Date"] = format_datetime(event.at)
    mail["Message-ID"] = message_id(event.id, base_url)
    if event.id != event.thread_root:
        root = message_id(event.thread_root, base_url)
        mail["In-Reply-To"] = root
        mail["References"] = root
    host = urlsplit(base_url).hostname or "statuspage.invalid"
    mail["List-Id"] = formataddr((list_name, host))  # RFC 2919: `Acme Status <status.acme.example>`
    mail["List-Unsubscribe"] = f"<{unsubscribe_target(settings)}>"  # RFC 2369
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    mail.set_content(message.email_text)
    mail.add_alternative(message.email_html, subtype="html")
    return mail
