"""The keys of statuspage.yaml's `notify:` and `alerts:` sections, declared as
source/config_schema.py declares the rest (the checks are in source/notify_config.py and
source/alert_rules.py, which, like this module, a build imports only for a site that has
those sections)."""

from __future__ import annotations

from statuspage.source.config_schema import Key, Section

_COMPONENTS = Key(
    "components",
    "list of component or group ids",
    "only events of these components (a group: each of its members); default every event",
    "components: [api, dashboard]",
)
_MIN_PRIORITY = Key(
    "min_priority",
    "priority",
    "only incidents this urgent or more (maintenance always)",
    "min_priority: P2",
    allowed=("P1", "P2", "P3", "P4", "P5"),
)
_NAME = Key("name", "text", "how messages name the endpoint", "name: customers")

NOTIFY = Section(
    "notify:",
    "Where `statuspage notify` sends each incident's news. `${VAR}` in a value names an "
    "environment variable, read only when sending.",
    (
        Key(
            "webhooks",
            "list of webhooks",
            "chat or JSON endpoints",
            "webhooks: [{url: '${SLACK_WEBHOOK_URL}', format: slack}]",
        ),
        Key(
            "email",
            "mapping or list of them",
            "e-mail endpoints",
            "email: {smtp: {host: smtp.example.com}, from: status@acme.example, "
            "to: [customers@acme.example]}",
        ),
        Key(
            "deadline",
            "seconds, up to 600",
            "each endpoint's time per run",
            "deadline: 30",
            "60",
        ),
    ),
)

WEBHOOK = Section(
    "notify: webhooks: (each)",
    "A chat channel or any JSON receiver.",
    (
        Key(
            "url",
            "http(s) URL or ${VAR}",
            "the webhook address (a chat URL is a secret: use a variable)",
            "url: ${SLACK_WEBHOOK_URL}",
            required=True,
        ),
        Key(
            "format",
            "word",
            "the body's shape",
            "format: slack",
            "json",
            ("slack", "discord", "teams", "json"),
        ),
        _COMPONENTS,
        _MIN_PRIORITY,
        Key(
            "headers",
            "mapping of header names to text",
            "sent with each request",
            "headers: {Authorization: 'Bearer ${HOOK_TOKEN}'}",
        ),
        _NAME,
    ),
)

EMAIL = Section(
    "notify: email: (each)",
    "Messages sent over SMTP to a list of addresses.",
    (
        Key(
            "smtp",
            "mapping (see below)",
            "the mail server",
            "smtp: {host: smtp.example.com}",
            "",
            (),
            True,
        ),
        Key(
            "from",
            "address",
            "the sender",
            'from: "Acme Status <status@acme.example>"',
            required=True,
        ),
        Key(
            "to",
            "address or list of them",
            "the recipients",
            "to: [customers@lists.acme.example]",
            required=True,
        ),
        _COMPONENTS,
        _MIN_PRIORITY,
        Key(
            "unsubscribe",
            "https:// URL or mailto: address",
            "where readers leave the list (a List-Unsubscribe header)",
            "unsubscribe: https://lists.acme.example/leave",
        ),
        Key("reply_to", "address", "where replies go", "reply_to: support@acme.example"),
        _NAME,
    ),
)

SMTP = Section(
    "notify: email: smtp:",
    "The mail server an `email:` endpoint sends through.",
    (
        Key(
            "host",
            "host name",
            "the SMTP server",
            "host: email-smtp.eu-west-1.amazonaws.com",
            required=True,
        ),
        Key(
            "port",
            "port number",
            "the server's port",
            "port: 587",
            "587 (465 with ssl, 25 with neither)",
        ),
        Key(
            "starttls",
            "true or false",
            "upgrade the connection to TLS",
            "starttls: true",
            "true unless ssl",
        ),
        Key("ssl", "true or false", "connect over TLS from the start", "ssl: true", "false"),
        Key(
            "username",
            "text or ${VAR}",
            "the login (with `password:`)",
            "username: ${SMTP_USER}",
        ),
        Key(
            "password",
            "text or ${VAR}",
            "the password: a variable, never written here",
            "password: ${SMTP_PASSWORD}",
        ),
        Key("timeout", "seconds, up to 120", "the connection's timeout", "timeout: 10", "10"),
    ),
)

ALERTS = Section(
    "alerts:",
    "How `statuspage alert` turns monitors' webhook bodies into incidents.",
    (
        Key(
            "publish",
            "word",
            "pull_request: a person reviews each change; direct: commit it",
            "publish: pull_request",
            "pull_request",
            ("pull_request", "direct"),
        ),
        Key(
            "max_new",
            "whole number from 1 to 100",
            "incidents one alert run may open",
            "max_new: 5",
            "5",
        ),
        Key(
            "rules",
            "list of rules",
            "the rules, tried in order",
            "rules: [{match: {alertname: ApiDown}, components: {api: major_outage}}]",
            required=True,
        ),
    ),
)

RULE = Section(
    "alerts: rules: (each)",
    "Alerts whose labels include every pair of `match:` belong to this rule's incident.",
    (
        Key(
            "id",
            "lower-case letters, digits and -",
            "how incidents find their rule",
            "id: checkout-errors",
            "from the `match:` values",
        ),
        Key(
            "match",
            "mapping of label names to text",
            "the labels an alert must have",
            "match: {alertname: CheckoutErrorRate}",
            required=True,
        ),
        Key(
            "components",
            "mapping of component ids to statuses",
            "what the alert affects, and how",
            "components: {api: major_outage}",
            required=True,
        ),
        Key(
            "impact",
            "word",
            "the incident's impact",
            "impact: major",
            "from the component statuses",
            ("none", "minor", "major", "critical"),
        ),
        Key("title", "text, one line", "the incident's title", "title: Checkout errors"),
        Key(
            "on_resolved",
            "word",
            "what the alert's resolution does: monitoring (a person resolves) or resolved",
            "on_resolved: resolved",
            "monitoring",
            ("monitoring", "resolved"),
        ),
        Key(
            "publish_monitor_text",
            "true or false",
            "the monitor's summary and description become the incident's title and text",
            "publish_monitor_text: true",
            "false",
        ),
    ),
)
