"""Every key of statuspage.yaml, declared once: what each parser accepts and what the
reference (`docs/reference/configuration.md`, source/config_reference.py) says. The
`notify:` and `alerts:` sections are in source/section_schemas.py.

Why our own small layer rather than a library: the CLI starts on every alert and every
CI run, and the candidates cost more than they would save. Measured on Python 3.11, a
fresh process declaring one frozen record and converting a dict into it (median of 7):
dataclasses 32 ms, msgspec 47 ms, attrs + cattrs 69 ms, pydantic v2 152 ms. Each would
still need our YAML loader's marks (yamlfile.py) mapped onto its error paths, and
rewording of its errors into the messages users and tests know ("did you mean ...", what
to type instead), which is most of the code; none adds a reference generator we could use
as it is. So the keys are data here (NamedTuples: a fifth of a dataclass's cost to
define), each section's checks stay plain functions beside it, and the output is frozen
records (model.py: frozen dataclasses and NamedTuples).
"""

from __future__ import annotations

from typing import NamedTuple


class Key(NamedTuple):
    """One key of a section: what it holds, as the reference shows it."""

    name: str
    type: str  # as users write it: "text", "whole number", "list of ids", ...
    description: str  # one line
    example: str  # the key as YAML, e.g. `feed_limit: 50`
    default: str = ""  # "" when there is none (see `required`)
    allowed: tuple[str, ...] = ()  # the words it takes, when it takes words
    required: bool = False


class Section(NamedTuple):
    """A mapping users write: the top level, a component, a `notify:` webhook, ..."""

    name: str  # where it is written, e.g. "notify: webhooks: (each)"
    description: str
    keys: tuple[Key, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Its keys, in the order written here (the order messages list them in)."""
        return tuple(k.name for k in self.keys)

    def key(self, name: str) -> Key:
        """The key called *name*."""
        return next(k for k in self.keys if k.name == name)


TOP_LEVEL = Section(
    "statuspage.yaml",
    "The settings file at the root of the site.",
    (
        Key("title", "text, one line", "the page's name", "title: Acme Status", required=True),
        Key(
            "description",
            "text",
            "one sentence shown under the title and in link previews",
            "description: Live status of Acme's services",
        ),
        Key(
            "base_url",
            "http(s) URL",
            "where the site is published",
            "base_url: https://status.acme.example/",
            required=True,
        ),
        Key(
            "timezone",
            "IANA time zone",
            "IANA zone for naive timestamps and shown times",
            "timezone: Europe/Berlin",
            default="UTC",
        ),
        Key("language", "language code", "UI language", "language: de", default="en"),
        Key(
            "languages",
            "list of language codes",
            "every UI language of a multi-language site, the root's first",
            "languages: [en, de, ja]",
        ),
        Key(
            "components",
            "list of components and groups",
            "components and groups",
            "components: [{id: api, name: API}]",
        ),
        Key("brand_color", "colour #rrggbb", "accent colour (#rrggbb)", "brand_color: '#0b5fff'"),
        Key("logo", "path or http(s) URL", "logo image path or URL", "logo: assets/logo.svg"),
        Key("cname", "domain name", "custom domain for GitHub Pages", "cname: status.acme.example"),
        Key(
            "pages_extra",
            "workflow file name",
            "a workflow of this repository whose `pages-extra` artifact publish.yml deploys "
            "beside the page (a manual under docs/, say), never over one of its files",
            "pages_extra: docs.yml",
        ),
        Key(
            "feed_limit", "whole number, at least 1", "entries in each feed", "feed_limit: 50", "50"
        ),
        Key(
            "history_per_page",
            "whole number, at least 1",
            "incidents on each history page",
            "history_per_page: 20",
            "20",
        ),
        Key(
            "notify",
            "mapping (see `notify:`)",
            "notification endpoints",
            "notify: {webhooks: [{url: '${SLACK_WEBHOOK_URL}', format: slack}]}",
        ),
        Key(
            "alerts",
            "mapping (see `alerts:`)",
            "rules that turn monitors' alerts into incidents",
            "alerts: {rules: [{match: {alertname: ApiDown}, components: {api: major_outage}}]}",
        ),
        Key(
            "upstream",
            "list (see `upstream:`)",
            "third-party providers whose public status the page shows (`upstream pull`)",
            "upstream: [{id: github, name: GitHub, url: 'https://www.githubstatus.com/api/v2/summary.json'}]",
        ),
        Key(
            "subscribe",
            "mapping (see `subscribe:`)",
            "ways to follow the page that live elsewhere (`email_url:`)",
            "subscribe: {email_url: 'https://lists.acme.example/status'}",
        ),
        Key(
            "show_slo",
            "true or false",
            "mark components whose error budget is overspent on the front page",
            "show_slo: true",
            "false",
        ),
        Key(
            "search_engines",
            "true or false",
            "whether search engines may index the page (false: robots.txt, `_headers` and "
            "every page ask them not to, and no sitemap is written)",
            "search_engines: false",
            "true",
        ),
        Key(
            "response_targets",
            "mapping of P1-P5 to durations",
            "longest time to the first update per priority, e.g. {P1: 15m}",
            "response_targets: {P1: 15m, P2: 1h}",
        ),
        Key(
            "start_date",
            "date",
            "the first day the page reports on: no uptime is shown for days before it",
            "start_date: 2026-01-31",
        ),
        Key(
            "stale_after",
            "duration (1m to 720h), or off",
            "age at which readers are told the page may be out of date (30m, or off)",
            "stale_after: 1h",
            "30m",
        ),
        Key(
            "audiences",
            "list (see `audiences:`)",
            "the pages built beside the public one, narrowest trust first (`public` is first)",
            "audiences: [{name: internal, base_url: 'https://status.internal.example/', "
            "title: Acme Internal}]",
        ),
    ),
)

_AUDIENCE_KEY = Key(
    "audience",
    "an audience's name",
    "the narrowest audience that sees it (and every audience after it in `audiences:`)",
    "audience: internal",
    "public (a group's member: its group's)",
)

_SLO_KEYS = (
    Key("slo", "percentage above 0, below 100", "the availability target", "slo: 99.9"),
    Key(
        "slo_window_days",
        "whole number from 1 to 366",
        "days the `slo:` target is measured over (needs `slo:`)",
        "slo_window_days: 30",
        "30",
    ),
)

COMPONENT = Section(
    "components: (each component)",
    "A part of the service the page reports on, in `components:` or a group's `components:`.",
    (
        Key(
            "id",
            "id: lower-case letters, digits, - and _",
            "how incidents name it",
            "id: api",
            required=True,
        ),
        Key("name", "text, one line", "how the page names it", "name: Public API", required=True),
        Key("description", "text", "a sentence shown beside it", "description: REST and GraphQL"),
        Key(
            "start_date",
            "date",
            "the first day it is reported on (before: no uptime)",
            "start_date: 2026-01-31",
        ),
        *_SLO_KEYS,
        _AUDIENCE_KEY,
    ),
)

GROUP = Section(
    "components: (each group)",
    "Components shown together under one name: an entry of `components:` with `group:`.",
    (
        Key("group", "text, one line", "the group's name", "group: Web", required=True),
        Key(
            "id",
            "id: lower-case letters, digits, - and _",
            "how incidents and `notify:` name it",
            "id: web",
            "from its name",
        ),
        Key("description", "text", "a sentence shown beside it", "description: What customers see"),
        Key(
            "components",
            "list of components",
            "its members",
            "components: [{id: www, name: Website}]",
            required=True,
        ),
        Key(
            "collapsed",
            "true or false",
            "whether the page shows its members folded",
            "collapsed: false",
            "true",
        ),
        *_SLO_KEYS,
        _AUDIENCE_KEY,
    ),
)

AUDIENCE = Section(
    "audiences: (each)",
    "A page built from the same files for other readers, into its own folder "
    "(`_site-<name>/`). It shows what is marked for it and for every audience before it; "
    "settings it does not give are the top level's.",
    (
        Key(
            "name",
            "id: lower-case letters, digits, - and _",
            "how `audience:` marks name it (`public` is the top level's page)",
            "name: internal",
            required=True,
        ),
        Key(
            "base_url",
            "http(s) URL",
            "where its page is published",
            "base_url: https://status.internal.example/",
            required=True,
        ),
        Key("title", "text, one line", "its page's name", "title: Acme Internal", required=True),
        Key(
            "description",
            "text",
            "one sentence shown under its title",
            "description: What engineers need to know",
        ),
        Key("language", "language code", "its UI language", "language: de", "the top level's"),
        Key(
            "brand_color",
            "colour #rrggbb",
            "its accent colour",
            "brand_color: '#7a1fa2'",
            "the top level's",
        ),
        Key(
            "notify",
            "mapping (see `notify:`)",
            "where `statuspage notify` sends its news (the top level's go to `public` only)",
            "notify: {webhooks: [{url: '${OPS_SLACK_URL}', format: slack}]}",
        ),
        Key(
            "search_engines",
            "true or false",
            "whether search engines may index its page, as the top level's key says "
            "(not the top level's value: a page for some readers is kept out by default)",
            "search_engines: true",
            "false",
        ),
    ),
)

SUBSCRIBE = Section(
    "subscribe:",
    "Ways to follow the page that live elsewhere (we never collect addresses).",
    (
        Key(
            "email_url",
            "https:// URL",
            "a mailing-list or newsletter sign-up page",
            "email_url: https://lists.acme.example/status",
        ),
    ),
)

UPSTREAM = Section(
    "upstream: (each)",
    "A third-party provider whose public status the page shows; "
    "`statuspage upstream pull` fetches it into `upstream/<id>.json`.",
    (
        Key(
            "id",
            "id: lower-case letters, digits, - and _",
            "its snapshot's file name",
            "id: github",
            required=True,
        ),
        Key("name", "text, one line", "how the page names it", "name: GitHub", required=True),
        Key(
            "url",
            "https:// URL",
            "its Statuspage v2 or Instatus summary.json",
            "url: https://www.githubstatus.com/api/v2/summary.json",
            required=True,
        ),
        Key(
            "components",
            "list of names",
            "the provider's components to show, by name",
            "components: [API Requests]",
        ),
        Key(
            "affects",
            "list of component or group ids",
            "our components that depend on it",
            "affects: [api]",
        ),
        Key(
            "stale_after",
            "duration",
            "age at which its snapshot is shown as out of date",
            "stale_after: 6h",
            "6h",
        ),
    ),
)
