"""The `notify:` section of statuspage.yaml -> endpoints, validated with file:line.

What users write is read here, in source/; notify/ sends to what it finds.

Values may name environment variables as `${VAR}`; they are substituted only
when a message is sent (`resolve`), so `build`, `new` and `check` never need
the secrets, and the state file keys each endpoint by its *un-substituted*
entry, which holds none.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from statuspage.errors import Problems
from statuspage.model import VARIABLE, Config, Endpoint, parse_priority
from statuspage.source.names import suggest, userinfo_problem
from statuspage.source.section_parser import SectionParser
from statuspage.source.section_schemas import EMAIL, NOTIFY, SMTP, WEBHOOK
from statuspage.source.yamlfile import YamlList, YamlMap, boolean_problem

WEBHOOK_FORMATS = WEBHOOK.key("format").allowed
SECTION_KEYS = NOTIFY.names
# `deadline:`: seconds each endpoint may take per run, at most 10 minutes (a CI job's
# notify step must end; what is left waits for the next run).
MAX_DEADLINE = 600
WEBHOOK_KEYS = WEBHOOK.names
EMAIL_KEYS = EMAIL.names
SMTP_KEYS = SMTP.names
# Chat webhook URLs carry their own credentials: in the repository they are leaked.
SECRET_URL_FORMATS = ("slack", "discord", "teams")


def redact(url: str) -> str:
    """Scheme and host only: webhook paths and queries are the credentials."""
    if VARIABLE.search(url):
        return url  # un-substituted: only the variable's name
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def read_notify(raw: object, config: Config, problems: Problems) -> tuple[Endpoint, ...]:
    """Every endpoint of `notify:` (*raw*, as written; None without the section), each
    problem recorded as statuspage.yaml:line; *config* is the rest of the file, read."""
    if raw is None:
        return ()
    path = config.path or Path("statuspage.yaml")
    return tuple(_Parser(path, problems, config).section(raw))


def _plain(value: Any) -> Any:
    """YamlMap/YamlList -> plain JSON data, for hashing and for settings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def endpoint_key(kind: str, entry: Any) -> str:
    """The endpoint's id in the state file: a hash of its un-substituted entry."""
    digest = hashlib.sha256(
        json.dumps(_plain(entry), sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return f"{kind}-{digest[:16]}"


class _Parser(SectionParser):
    def section(self, raw: Any) -> list[Endpoint]:
        if not isinstance(raw, YamlMap):
            self.error(
                getattr(raw, "line", 0),
                "`notify:` must be a mapping with `webhooks:` and/or `email:`",
            )
            return []
        self.unknown_keys(raw, SECTION_KEYS, "notify")
        endpoints: list[Endpoint] = []
        hooks = raw.get("webhooks")
        if hooks is None:
            pass
        elif not isinstance(hooks, YamlList):
            self.error(
                raw.line_of("webhooks"),
                "`webhooks:` must be a list of `- url: ... format: ...` entries",
            )
        else:
            for number, (entry, line) in enumerate(
                zip(hooks, hooks.item_lines, strict=True), start=1
            ):
                endpoints += self.webhook(entry, line, number)
        mail = raw.get("email")
        if mail is not None:
            entries = mail if isinstance(mail, YamlList) else [mail]
            lines = mail.item_lines if isinstance(mail, YamlList) else [raw.line_of("email")]
            for number, (entry, line) in enumerate(zip(entries, lines, strict=True), start=1):
                endpoints += self.email(entry, line, number)
        seen: dict[str, int] = {}
        for endpoint in endpoints:
            if endpoint.key in seen:
                self.error(
                    endpoint.line,
                    f"this endpoint repeats the one on line {seen[endpoint.key]}; each would get "
                    "every message twice",
                )
            seen.setdefault(endpoint.key, endpoint.line)
        deadline = self.deadline(raw)
        return [e._replace(deadline=deadline) for e in endpoints] if deadline else endpoints

    def deadline(self, raw: YamlMap) -> float | None:
        """`deadline: 30`: each endpoint's seconds per run (default 60)."""
        value = raw.get("deadline")
        if value is None:
            return None
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not 0 < value <= MAX_DEADLINE
        ):
            self.error(
                raw.line_of("deadline"),
                f"`deadline:` must be a number of seconds up to {MAX_DEADLINE} (each endpoint's "
                "time per run; default 60)",
            )
            return None
        return float(value)

    def components(self, entry: YamlMap) -> tuple[str, ...] | None:
        value = entry.get("components")
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.error(
                entry.line_of("components"),
                "`components:` must be a list of component or group ids, e.g. [api, dashboard]",
            )
            return None
        known = self.config.component_ids + [g.id for g in self.config.groups]
        ids: set[str] = set()
        for cid in value:
            group = self.config.group(str(cid))
            if group is not None:
                ids.update(group.components)
            elif cid in known:
                ids.add(cid)
            else:
                self.error(
                    entry.line_of("components"),
                    f"unknown component {cid!r}{suggest(cid, known)} in `components:`",
                )
        return tuple(sorted(ids))  # sorted: the config's repr is a cache key

    def min_priority(self, entry: YamlMap) -> int | None:
        """`min_priority: P2`: only P1 and P2 incidents reach the endpoint."""
        value = entry.get("min_priority")
        if value is None:
            return None
        found = parse_priority(value)
        if found is None:
            self.error(
                entry.line_of("min_priority"),
                f"`min_priority:` {value!r} must be a priority from P1 (most urgent) to P5, "
                "e.g. `min_priority: P2` for P1 and P2 incidents only",
            )
            return None
        return found

    def text(self, entry: YamlMap, key: str, what: str, *, required: bool = True) -> str | None:
        value = entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(entry.line_of(key), f"`{key}:` is required: {what}")
            return None
        return value.strip()

    def webhook(self, entry: Any, line: int, number: int) -> list[Endpoint]:
        if not isinstance(entry, YamlMap):
            self.error(
                line,
                "a webhook must be a mapping: `- url: ${SLACK_WEBHOOK_URL}` and `format: slack`",
            )
            return []
        before = len(self.problems.errors)
        self.unknown_keys(entry, WEBHOOK_KEYS, "webhook")
        url = self.text(
            entry, "url", "the webhook URL, best as an environment variable: ${SLACK_WEBHOOK_URL}"
        )
        fmt = entry.get("format", "json")
        if fmt not in WEBHOOK_FORMATS:
            self.error(
                entry.line_of("format"),
                f"unknown webhook format {fmt!r}{suggest(fmt, list(WEBHOOK_FORMATS))} (expected: "
                f"{', '.join(WEBHOOK_FORMATS)})",
            )
        if url and not VARIABLE.search(url):
            self.webhook_url(entry, url, fmt)
        headers = self.headers(entry)
        components = self.components(entry)
        least = self.min_priority(entry)
        name = entry.get("name")
        if len(self.problems.errors) > before or url is None:
            return []
        label = f"{fmt} webhook {name!r}" if name else f"{fmt} webhook #{number} ({redact(url)})"
        settings = {"url": url, "headers": _plain(headers)}
        return [
            Endpoint(
                "webhook",
                str(fmt),
                endpoint_key("webhook", entry),
                label,
                settings,
                components,
                line,
                least,
            )
        ]

    def webhook_url(self, entry: YamlMap, url: str, fmt: object) -> None:
        """A webhook URL written out (not a `${VAR}`): http(s), no userinfo, and a chat
        service's URL (its own credential) only with a warning."""
        if not re.match(r"^https?://[^/\s]+", url):
            self.error(
                entry.line_of("url"),
                "`url:` must be an http(s) URL or name an environment variable: "
                "${SLACK_WEBHOOK_URL}",
            )
        elif refused := userinfo_problem("url", url):
            self.error(entry.line_of("url"), f"{refused}; put credentials in `headers:`")
        elif fmt in SECRET_URL_FORMATS:
            self.problems.warning(
                self.path,
                entry.line_of("url"),
                f"this {fmt} webhook URL is a secret written into the repository; put it in an "
                "environment variable and write `url: "
                f"${{{str(fmt).upper()}_WEBHOOK_URL}}`",
            )

    def headers(self, entry: YamlMap) -> YamlMap:
        headers = entry.get("headers", YamlMap())
        if not isinstance(headers, YamlMap) or not all(
            isinstance(v, str) for v in headers.values()
        ):
            self.error(
                entry.line_of("headers"),
                "`headers:` must map header names to text, e.g. `Authorization: Bearer "
                "${HOOK_TOKEN}`",
            )
            return YamlMap()
        return headers

    def email(self, entry: Any, line: int, number: int) -> list[Endpoint]:
        if not isinstance(entry, YamlMap):
            self.error(line, "`email:` must be a mapping with `smtp:`, `from:` and `to:`")
            return []
        before = len(self.problems.errors)
        self.unknown_keys(entry, EMAIL_KEYS, "email")
        smtp = entry.get("smtp")
        server: dict[str, Any] = {}
        if not isinstance(smtp, YamlMap):
            self.error(
                entry.line_of("smtp"),
                "`smtp:` is required: "
                "{host: smtp.example.com, port: 587, starttls: true, "
                "username: ${SMTP_USER}, password: ${SMTP_PASSWORD}}",
            )
        else:
            server = self.smtp(smtp)
        sender = self.text(entry, "from", 'the sender, e.g. "Acme Status <status@acme.example>"')
        # Imported here: email.utils brings socket and email.charset, which every command
        # loading a site would pay for an email endpoint only some sites have.
        from email.utils import parseaddr

        if sender and not VARIABLE.search(sender) and "@" not in parseaddr(sender)[1]:
            self.error(entry.line_of("from"), f"`from:` {sender!r} is not an email address")
        recipients = self.recipients(entry)
        unsubscribe = self.unsubscribe(entry)
        reply_to = self.text(entry, "reply_to", "an address", required=False)
        components = self.components(entry)
        least = self.min_priority(entry)
        name = entry.get("name")
        if len(self.problems.errors) > before or sender is None:
            return []
        label = f"email {name!r}" if name else f"email #{number} (smtp {server.get('host')})"
        settings = {
            "smtp": server,
            "from": sender,
            "to": [r.strip() for r in recipients],
            "unsubscribe": unsubscribe,
            "reply_to": reply_to,
        }
        return [
            Endpoint(
                "email",
                "email",
                endpoint_key("email", entry),
                label,
                settings,
                components,
                line,
                least,
            )
        ]

    def recipients(self, entry: YamlMap) -> list[str]:
        to = entry.get("to")
        recipients = [to] if isinstance(to, str) else to
        if (
            not isinstance(recipients, list)
            or not recipients
            or not all(isinstance(r, str) and r.strip() for r in recipients)
        ):
            self.error(
                entry.line_of("to"),
                "`to:` is required: a list of addresses, e.g. [customers@lists.acme.example]",
            )
            return []
        return recipients

    def unsubscribe(self, entry: YamlMap) -> str | None:
        unsubscribe = self.text(entry, "unsubscribe", "a URL or mailto: address", required=False)
        if (
            unsubscribe
            and not re.match(r"^(https?://|mailto:)\S+$", unsubscribe)
            and not VARIABLE.search(unsubscribe)
        ):
            self.error(
                entry.line_of("unsubscribe"),
                "`unsubscribe:` must be an https:// URL or a mailto: address",
            )
        elif unsubscribe and (refused := userinfo_problem("unsubscribe", unsubscribe)):
            self.error(entry.line_of("unsubscribe"), refused)
        return unsubscribe

    def smtp(self, smtp: YamlMap) -> dict[str, Any]:
        self.unknown_keys(smtp, SMTP_KEYS, "smtp")
        host = self.text(smtp, "host", "the SMTP server, e.g. email-smtp.eu-west-1.amazonaws.com")
        flags = {}
        for key in ("starttls", "ssl"):
            value = smtp.get(key, key == "starttls" and not smtp.get("ssl"))
            if refused := boolean_problem(key, value):
                self.error(smtp.line_of(key), refused)
                value = False
            flags[key] = value
        if flags["starttls"] and flags["ssl"]:
            self.error(
                smtp.line_of("ssl"),
                "choose one of `starttls: true` (usually port 587) and `ssl: true` (usually port "
                "465)",
            )
        default_port = 465 if flags["ssl"] else 587 if flags["starttls"] else 25
        port = smtp.get("port", default_port)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            self.error(smtp.line_of("port"), "`port:` must be a port number such as 587")
            port = default_port
        timeout = smtp.get("timeout", 10)
        if (
            not isinstance(timeout, int | float)
            or isinstance(timeout, bool)
            or not 0 < timeout <= 120
        ):
            self.error(smtp.line_of("timeout"), "`timeout:` must be a number of seconds up to 120")
            timeout = 10
        username, password = smtp.get("username"), smtp.get("password")
        for key, value in (("username", username), ("password", password)):
            if value is not None and not isinstance(value, str):
                self.error(
                    smtp.line_of(key),
                    f"`{key}:` must be text, best an environment variable: ${{SMTP_{key.upper()}}}",
                )
        if (username is None) != (password is None):
            self.error(smtp.line, "give both `username:` and `password:`, or neither")
        if password is not None and isinstance(password, str) and not VARIABLE.search(password):
            self.problems.warning(
                self.path,
                smtp.line_of("password"),
                "the SMTP password is written into the repository; write `password: "
                "${SMTP_PASSWORD}` and set it as a secret",
            )
        if username and not (flags["starttls"] or flags["ssl"]):
            self.problems.warning(
                self.path,
                smtp.line_of("username"),
                "the SMTP login would travel unencrypted; set `starttls: true` or `ssl: true`",
            )
        return {
            "host": host,
            "port": port,
            "timeout": timeout,
            "username": username,
            "password": password,
            **flags,
        }
