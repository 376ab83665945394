"""Pure: a rendered Message -> the JSON body each kind of webhook accepts.

Text is escaped for each medium (Slack's `&`, `<`, `>` in `text` and mrkdwn, Discord
and Teams Markdown, Discord mentions) and cut to
each service's documented limits, so one long update never gets a message refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from statuspage.model import Impact
from statuspage.notify.messages import Message

PAYLOAD_VERSION = 1
# Colours by what readers should feel: green over, blue planned, then by impact; the
# page's scale (style.css: --ok, --maint, --none, --minor, --major, --critical).
COLOURS = {
    "final": "#1a7f37",
    "maintenance": "#0969da",
    Impact.NONE: "#6e7781",
    Impact.MINOR: "#d4a72c",
    Impact.MAJOR: "#e8590c",
    Impact.CRITICAL: "#cf222e",
}


def colour(message: Message) -> str:
    """The accent colour of a chat message: final (resolved, postmortem), maintenance or impact."""
    event = message.event
    if event.status.is_final or event.kind == "postmortem.published":
        return COLOURS["final"]
    if event.incident.is_maintenance:
        return COLOURS["maintenance"]
    return COLOURS[event.incident.impact]


def cut(text: str, limit: int) -> str:
    """*text* cut to *limit* characters, with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def slack_escape(text: str) -> str:
    """Slack's mrkdwn control characters; also keeps `<!channel>` pings out."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Inline Markdown (emphasis, code, links, spoilers, mentions) anywhere, and what starts
# a heading, quote or list at the start of a line (`)` of `1)` is inline already).
_MARKDOWN = re.compile(r"[\\`*_~|\[\]()<>]|^[ \t]*(?:[#>]|[-+](?=\s)|\d+\.(?=\s))", re.MULTILINE)


def _escaped(match: re.Match[str]) -> str:
    text = match[0]
    return text[:-1] + "\\" + text[-1]  # `1.` -> `1\.`, `  #` -> `  \#`, `*` -> `\*`


def markdown_escape(text: str) -> str:
    """*text* shown as written in Discord and Teams, whose Markdown would otherwise turn a
    title into a heading or `[a link](https://elsewhere)`: each markup character escaped."""
    return _MARKDOWN.sub(_escaped, text)


def slack(message: Message) -> dict[str, Any]:
    """Block Kit, with `text` as the notification and screen-reader fallback."""
    link = f"<{message.url}|{slack_escape(message.event.incident.title)}>"
    return {
        # Slack parses the fallback too: `<!channel>` in a title would ping everyone.
        "text": cut(f"{slack_escape(message.subject)} {message.url}", 3000),
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": cut(message.subject, 150), "emoji": False},
            },
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": cut(slack_escape(message.text), 3000)},
            },
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": cut(f"{link} · {slack_escape(message.event.incident.id)}", 3000),
                    }
                ],
            },
        ],
        "unfurl_links": False,
    }


def discord(message: Message) -> dict[str, Any]:
    """One embed; `allowed_mentions` empty so no incident text can ping @everyone."""
    return {
        "content": cut(markdown_escape(message.subject), 2000),
        "embeds": [
            {
                "title": cut(markdown_escape(message.event.incident.title), 256),
                "url": message.url,
                "description": cut(markdown_escape(message.text), 4096),
                "color": int(colour(message)[1:], 16),
                "timestamp": message.timestamp,
                "footer": {"text": cut(message.event.kind, 2048)},
            }
        ],
        "allowed_mentions": {"parse": []},
    }


def teams(message: Message) -> dict[str, Any]:
    """An Adaptive Card in a message envelope: what Teams Workflows ("Post to a channel
    when a webhook request is received") and the older incoming webhooks both accept."""
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "msteams": {"width": "Full"},
        "body": [
            {
                "type": "TextBlock",
                "text": markdown_escape(message.subject),
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {"type": "TextBlock", "text": markdown_escape(message.text), "wrap": True},
        ],
        "actions": [{"type": "Action.OpenUrl", "title": message.link_text, "url": message.url}],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def generic(message: Message) -> dict[str, Any]:
    """Our own payload (version 1), described by payload.schema.json."""
    event, incident = message.event, message.event.incident
    update = event.update
    return {
        "version": PAYLOAD_VERSION,
        "event": {"id": event.id, "kind": event.kind, "at": message.timestamp},
        "incident": {
            "id": incident.id,
            "title": incident.title,
            "status": event.status.word,
            "impact": incident.impact.word,
            "url": message.incident_url,
            "maintenance": {"start": message.window[0], "end": message.window[1]}
            if message.window
            else None,
        },
        "update": None
        if update is None
        else {
            "status": update.status.word,
            "at": message.timestamp,
            "automatic": update.automatic,
            "text": message.body_text,
            "html": message.body_html,
            "url": message.url,
        },
        "components": [
            {"id": c.id, "name": c.name, "status": s.word} for c, s in message.components
        ],
        "subject": message.subject,
        "text": message.text,
    }


FORMATS: dict[str, Callable[[Message], dict[str, Any]]] = {
    "slack": slack,
    "discord": discord,
    "teams": teams,
    "json": generic,
}
