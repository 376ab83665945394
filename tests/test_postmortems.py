"""Postmortems: the prefilled draft, draft vs published, the checks, and the pages readers see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from statuspage.source import postmortem_file as pm
from statuspage.source.blameless import blame_findings
from statuspage.source.site import load_site
from statuspage.state import postmortems as pm_state

from .conftest import EXAMPLE_INCIDENT, REPO, SiteDir, at, parse_html, text_of, write

ID = "2026-11-20-api-errors"
INCIDENT_PAGE = f"incidents/{ID}/index.html"

# Two paragraphs in one update, and times given in UTC: the draft must keep the
# paragraphs inside their timeline item and show the times in the site's zone.
INCIDENT = EXAMPLE_INCIDENT.replace(
    "## Investigating · 2026-11-20 14:02 +01:00\nWe are seeing **elevated** error rates on API requests.\n",
    "## Investigating · 2026-11-20 13:02Z\nWe are seeing **elevated** error rates on API requests.\n\nWrites are affected too.\n",
)
MAINTENANCE = """\
---
title: Database upgrade
maintenance:
  start: 2026-11-03 02:00
  end: 2026-11-03 04:00
components: [db]
---

## Completed · 2026-11-03 03:30
Done.

## Scheduled · 2026-11-01 10:00
Planned.
"""
UNRESOLVED = """\
---
title: Webhooks delayed
components:
  web: degraded_performance
---

## Investigating · 2026-11-25 16:40
Late deliveries.
"""

POSTMORTEM = """\
---
published: {published}
authors: [Platform team]
---

## What happened

A configuration change shrank the connection pool. <script>alert(1)</script>
[a link](javascript:alert(1))

## Action items

- [x] Canary covers every server group.
- [ ] Render the configuration in CI.
- [ ] Fast rollback for configuration changes.
"""


def postmortem_file(site_dir: SiteDir, incident_id: str, text: str) -> Path:
    return write(site_dir.root / "incidents" / f"{incident_id}.postmortem.md", text)


def published(site_dir: SiteDir, when: str = "2026-11-24 17:30", incident_id: str = ID) -> Path:
    return postmortem_file(site_dir, incident_id, POSTMORTEM.format(published=when))


@pytest.fixture
def incident(site_dir: SiteDir) -> SiteDir:
    site_dir.incident(f"{ID}.md", INCIDENT)
    return site_dir


# --- `statuspage postmortem ID`: the prefilled draft -------------------------------------------


def timeline_items(text: str) -> list[str]:
    """The top-level list items of the draft's Timeline section, each with its continuation lines."""
    section = text.split("## Timeline\n", 1)[1].split("\n## ", 1)[0]
    items: list[str] = []
    for line in section.split("\n"):
        if line.startswith("- "):
            items.append(line)
        elif items and (line.startswith("    ") or not line.strip()):
            items[-1] += "\n" + line
    return [item.strip() for item in items]


ITEM = re.compile(
    r"- \*\*(?P<time>[^*]+)\*\* · (?P<status>[A-Z][a-z ]+?)(?: \((?P<changes>[^)]*)\))?: (?P<body>.*)",
    re.DOTALL,
)


def test_prefill_timeline_equals_the_updates(
    incident: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(at("2026-11-21 09:00").timestamp())))
    result = incident.run("postmortem", "api-errors")
    assert result.exit_code == 0, result.output
    path = incident.root / "incidents" / f"{ID}.postmortem.md"
    assert result.output.strip() == str(path)
    text = path.read_text()

    updates = incident.load().incident(ID).updates
    items = timeline_items(text)
    assert (
        len(items) == len(updates) + 1
    )  # every update, then a placeholder for what customers did not see
    entries = [ITEM.match(item) for item in items[:-1]]
    assert [e["time"] for e in entries] == [
        "2026-11-20 14:02 CET",
        "2026-11-20 14:48 CET",
        "2026-11-20 15:10 CET",
    ]  # 13:02Z in Berlin time
    assert [e["status"] for e in entries] == [u.status.label for u in updates]
    assert [re.sub(r"\n {4}", "\n", e["body"]) for e in entries] == [u.body for u in updates]
    assert [e["changes"] for e in entries] == [None, "Public API: degraded performance", None]
    assert items[-1].startswith("- TODO(postmortem):")

    assert "- **Started:** 2026-11-20 14:02 CET" in text
    assert "- **Resolved:** 2026-11-20 15:10 CET" in text
    assert "- **Duration:** 1 hr 8 min" in text
    assert "- **Impact:** Major" in text
    assert (
        "- **Affected components:** Public API (partial outage), Dashboard (degraded performance)"
        in text
    )
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == [
        "Summary",
        "Timeline",
        "What happened",
        "Root cause",
        "What went well",
        "What went wrong",
        "Action items",
    ]
    assert "- [ ] TODO(postmortem):" in text.split("## Action items", 1)[1]

    # A draft: valid, silent in `check` (placeholders are expected), and nowhere on the site.
    site = incident.load()
    assert site.postmortems[ID].published_at is None
    check = incident.run("check")
    assert check.exit_code == 0 and "postmortem" not in check.output, check.output
    out = incident.build("2026-11-26 10:00")
    assert parse_html(out / INCIDENT_PAGE).cssselect("#postmortem") == []
    assert b"TODO(postmortem)" not in b"".join(p.read_bytes() for p in out.rglob("*.html"))

    # Published as written (placeholders filled in), every update is one timeline entry on the page.
    filled = text.replace("# published:", "published:").replace("TODO(postmortem):", "Written:")
    filled = re.sub(r"^published: .*$", "published: 2026-11-23 10:00", filled, flags=re.MULTILINE)
    path.write_text(filled)
    doc = parse_html(incident.build("2026-11-26 10:00") / INCIDENT_PAGE)
    timeline = doc.xpath(
        "//section[@id='postmortem']//h3[.='Timeline']/following-sibling::ul[1]/li"
    )
    assert len(timeline) == 4
    assert [text_of(p) for p in timeline[0].cssselect("p")] == [
        "2026-11-20 14:02 CET · Investigating: We are seeing elevated error rates on API requests.",
        "Writes are affected too.",
    ]


@pytest.mark.parametrize(
    ("name", "ref", "message"),
    [
        pytest.param(
            f"{ID}.md",
            "2026-11-25-webhooks",
            "is not resolved (it is investigating); resolve it first",
            id="unresolved",
        ),
        pytest.param(
            f"{ID}.md",
            "database-upgrade",
            "is a maintenance; postmortems are for incidents",
            id="maintenance",
        ),
        pytest.param(
            f"{ID}.md", "no-such-thing", "no incident matches 'no-such-thing'", id="unknown"
        ),
        pytest.param(f"{ID}.md", "api-errors", "already exists; edit it instead", id="exists"),
    ],
)
def test_postmortem_command_refusals(incident: SiteDir, name: str, ref: str, message: str) -> None:
    incident.incident("2026-11-25-webhooks.md", UNRESOLVED)
    incident.incident("2026-11-03-database-upgrade.md", MAINTENANCE)
    existing = published(incident)
    before = existing.read_bytes()
    result = incident.run("postmortem", ref)
    assert result.exit_code == 2
    assert message in result.output, result.output
    assert existing.read_bytes() == before
    assert sorted(p.name for p in (incident.root / "incidents").glob("*.postmortem.md")) == [
        existing.name
    ]


# --- loading and `check` ---------------------------------------------------------------------


def test_draft_and_future_publication(incident: SiteDir) -> None:
    draft = POSTMORTEM.replace("published: {published}\n", "")
    postmortem_file(incident, ID, draft)
    site = incident.load()
    assert pm_state.published_postmortem(site, ID, at("2030-01-01 00:00")) is None
    assert pm_state.api_status(site, site.incident(ID), at("2030-01-01 00:00")) == "resolved"

    published(incident, "2026-11-25 10:00")
    site = incident.load()
    before, after = at("2026-11-24 12:00"), at("2026-11-25 10:00")
    assert pm_state.published_postmortem(site, ID, before) is None
    assert pm_state.api_status(site, site.incident(ID), before) == "resolved"
    assert pm_state.published_postmortem(site, ID, after) is site.postmortems[ID]
    assert pm_state.api_status(site, site.incident(ID), after) == "postmortem"
    assert site.postmortems[ID].body.startswith("## What happened\n\nA configuration change")
    # The scheduler learns when to rebuild so the postmortem appears on time.
    coming = incident.run("next-change", "--now", "2026-11-24 12:00", "-v").output.splitlines()
    assert "2026-11-25T10:00:00+01:00  a postmortem is published" in coming

    doc = parse_html(incident.build("2026-11-24 12:00") / INCIDENT_PAGE)
    assert doc.cssselect("#postmortem") == []
    doc = parse_html(incident.build("2026-11-25 10:00") / INCIDENT_PAGE)
    assert len(doc.cssselect("#postmortem")) == 1


PLACEHOLDER_BODY = "---\npublished: {when}\n---\n\n## What happened\n\nThe pool shrank.\n\n## Root cause\n\nTODO(postmortem): the technical cause.\n"


@pytest.mark.parametrize(
    "when", ["2026-11-24 10:00", "2030-01-01 10:00"], ids=["published", "future"]
)
def test_published_placeholder_is_an_error_at_its_line(incident: SiteDir, when: str) -> None:
    postmortem_file(incident, ID, PLACEHOLDER_BODY.format(when=when))
    result = incident.run("check")
    assert result.exit_code == 1
    assert (
        f"incidents/{ID}.postmortem.md:11: published postmortem still holds a placeholder (TODO(postmortem))"
        in result.output
    )
    assert (
        incident.run("build", "--now", "2026-11-26 10:00").exit_code == 1
    )  # never reaches readers


def test_draft_placeholder_is_fine(incident: SiteDir) -> None:
    postmortem_file(incident, ID, PLACEHOLDER_BODY.replace("published: {when}\n", ""))
    result = incident.run("check")
    assert result.exit_code == 0 and "postmortem" not in result.output


BLAMEFUL = """\
---
published: 2026-11-24 10:00
---

## What happened

The deploy failed and Kubernetes failed to schedule new pods. We forgot to
renew the certificate. Monitoring didn't notice the spike; nobody noticed for
an hour. Redis didn't respond in time and Postgres failed over. Thanks to Alice
for the quick fix. Write to ops@acme.example or see `@retry` and @types/node.
Ping @here when done.

```
Alice forgot to renew it  # code is never read
```

Alice forgot to renew the certificate.
The change was merged by @jdoe without a second look.
It was Bob's mistake.
"""


def test_blame_shaped_language_is_a_warning_at_its_line(incident: SiteDir) -> None:
    postmortem_file(incident, ID, BLAMEFUL)
    result = incident.run("check")
    assert result.exit_code == 0, result.output  # a nudge, not an error
    path = f"incidents/{ID}.postmortem.md"
    warnings = [line for line in result.output.splitlines() if line.startswith(f"{path}:")]
    assert warnings == [
        f'{path}:17: warning: "Alice forgot" names a person; a blameless postmortem describes what the system and process allowed, not who slipped',
        f'{path}:18: warning: "@jdoe" names a person; a blameless postmortem describes what the system and process allowed, not who slipped',
        f'{path}:19: warning: "Bob\'s mistake" names a person; a blameless postmortem describes what the system and process allowed, not who slipped',
    ]
    assert incident.run("build", "--now", "2026-11-26 10:00").exit_code == 0


@pytest.mark.parametrize(
    "text",
    ["Alice forgot to renew the certificate.", "Then Bob Smith didn't check the diff.", "he forgot to page anyone",
     "Dave accidentally deleted the volume.", "Erin ignored the alerts.", "Frank broke the build.", "**Heidi** forgot",
     "Ivan didn\u2019t notice the lag.", "Judy failed to follow the runbook.", "Grace pushed a bad config."],
)  # fmt: skip
def test_blame_patterns_found(text: str) -> None:
    assert blame_findings(text)


@pytest.mark.parametrize(
    "text",
    ["The team didn't check replication lag.", "Our canary didn't test both node groups.", "Redis's error rate rose.",
     "Replication didn't catch up.", "The on-call engineer didn't know about the flag.", "The change broke the build.",
     "Alerting failed to page.", "[docs](https://example.com/@bob)", "Canary didn't catch it.", "at 14:02 @ 5 %"],
)  # fmt: skip
def test_blame_patterns_not_found(text: str) -> None:
    assert blame_findings(text) == []


CASES = [
    pytest.param(
        "2026-11-21-nothing",
        POSTMORTEM.format(published="2026-11-24 10:00"),
        0,
        "no incident '2026-11-21-nothing'",
        id="orphan",
    ),
    pytest.param(
        "2026-11-25-webhooks",
        POSTMORTEM.format(published="2026-11-26 10:00"),
        0,
        "2026-11-25-webhooks is not resolved",
        id="unresolved",
    ),
    pytest.param(
        "2026-11-03-database-upgrade",
        POSTMORTEM.format(published="2026-11-04 10:00"),
        0,
        "is a maintenance; postmortems are for incidents",
        id="maintenance",
    ),
    pytest.param(
        ID,
        POSTMORTEM.format(published="24/11/2026 10:00"),
        2,
        "`published:` cannot read timestamp '24/11/2026 10:00'",
        id="bad-timestamp",
    ),
    pytest.param(
        ID,
        POSTMORTEM.format(published="2026-03-29 02:30"),
        2,
        "does not exist in Europe/Berlin",
        id="dst-gap",
    ),
    pytest.param(
        ID,
        POSTMORTEM.format(published="true"),
        2,
        "`published:` expected a timestamp",
        id="not-a-timestamp",
    ),
    pytest.param(
        ID,
        POSTMORTEM.format(published="2026-11-20 15:00"),
        2,
        f"published before the incident was resolved (incidents/{ID}.md:9)",
        id="before-resolution",
    ),
    pytest.param(
        ID,
        "---\npublishd: 2026-11-24 10:00\n---\n\nText.\n",
        2,
        "unknown key 'publishd' (did you mean 'published'?)",
        id="unknown-key",
    ),
    pytest.param(
        ID, "---\ntitle: [a, b]\n---\n\nText.\n", 2, "`title:` must be text", id="bad-title"
    ),
    pytest.param(
        ID, "---\nauthors: {a: 1}\n---\n\nText.\n", 2, "`authors:` must be a list", id="bad-authors"
    ),
    pytest.param(
        ID,
        "## What happened\n\nText.\n",
        1,
        "a postmortem starts with YAML front matter",
        id="no-front-matter",
    ),
    pytest.param(
        ID,
        "---\npublished: 2026-11-24 10:00\n---\n\n",
        2,
        "a published postmortem needs text",
        id="empty",
    ),
]


@pytest.mark.parametrize(("incident_id", "text", "line", "message"), CASES)
def test_postmortem_problems_are_located(
    incident: SiteDir, incident_id: str, text: str, line: int, message: str
) -> None:
    incident.incident("2026-11-25-webhooks.md", UNRESOLVED)
    incident.incident("2026-11-03-database-upgrade.md", MAINTENANCE)
    postmortem_file(incident, incident_id, text)
    result = incident.run("check")
    assert result.exit_code == 1
    where = (
        f"incidents/{incident_id}.postmortem.md:{line}: "
        if line
        else f"incidents/{incident_id}.postmortem.md: "
    )
    assert any(x.startswith(where) and message in x for x in result.output.splitlines()), (
        result.output
    )


def test_action_items_count_task_boxes_outside_code() -> None:
    text = "- [x] a\n* [X] b\n1. [ ] c\n- [ ]d is not a task\n```\n- [ ] in code\n```\n  - [ ] nested\n- plain\n"
    assert pm.action_items(text) == (2, 4)


# --- pages -----------------------------------------------------------------------------------


def test_incident_page_shows_the_published_postmortem_after_the_timeline(incident: SiteDir) -> None:
    text = (incident.root / "incidents" / f"{ID}.md").read_text()
    incident.incident(
        f"{ID}.md",
        text.replace("impact: major\n", "impact: major\npostmortem: https://docs.example/pm\n"),
    )
    published(incident)
    doc = parse_html(incident.build("2026-11-26 10:00") / INCIDENT_PAGE)
    article = doc.cssselect("article.incident-page")[0]
    sections = [
        s.get("id") or s.get("aria-labelledby") for s in article.cssselect(":scope > section")
    ]
    assert sections == ["timeline-h", "postmortem"]  # under its own heading, after the timeline
    section = doc.cssselect("#postmortem")[0]
    assert text_of(section.cssselect("h2")[0]) == "Postmortem"
    meta = section.cssselect(".postmortem-meta")[0]
    assert text_of(meta) == "Published Nov 24, 2026, 17:30 CET · Written by Platform team"
    assert meta.cssselect("time")[0].get("datetime") == "2026-11-24T17:30:00+01:00"
    assert [text_of(h) for h in section.cssselect(".body h3")] == ["What happened", "Action items"]
    assert [text_of(li) for li in section.cssselect("li.task")] == [
        "☑Canary covers every server group.",
        "☐Render the configuration in CI.",
        "☐Fast rollback for configuration changes.",
    ]
    assert len(section.cssselect("li.task.done")) == 1
    # Sanitized like every other message.
    assert doc.cssselect("script") == [] and doc.cssselect("input") == []
    assert not [a for a in section.cssselect("a") if "javascript" in (a.get("href") or "")]
    # The file takes precedence over the `postmortem:` link.
    summary = {
        text_of(dt): dd
        for dt, dd in zip(
            doc.cssselect("dl.summary dt"), doc.cssselect("dl.summary dd"), strict=True
        )
    }
    assert summary["Postmortem"].cssselect("a")[0].get("href") == "#postmortem"
    assert not doc.cssselect('a[href="https://docs.example/pm"]')

    # Without a published file, the external link is still there.
    (incident.root / "incidents" / f"{ID}.postmortem.md").unlink()
    doc = parse_html(incident.build("2026-11-26 10:00") / INCIDENT_PAGE)
    assert doc.cssselect("#postmortem") == []
    assert doc.cssselect('dl.summary a[href="https://docs.example/pm"]')


def marks(page: Path) -> list[str]:
    return [a.get("href") for a in parse_html(page).cssselect("a.postmortem-mark")]


def test_index_and_history_mark_incidents_with_a_postmortem(incident: SiteDir) -> None:
    incident.incident(
        "2026-11-18-other.md",
        EXAMPLE_INCIDENT.replace("2026-11-20", "2026-11-18").replace(
            "Elevated error rates on the API", "Other"
        ),
    )
    published(incident)
    out = incident.build("2026-11-26 10:00")
    assert marks(out / "index.html") == [f"incidents/{ID}/index.html#postmortem"]
    assert marks(out / "history" / "index.html") == [f"../incidents/{ID}/index.html#postmortem"]
    index = parse_html(out / "index.html")
    assert (
        index.cssselect("a.postmortem-mark")[0].get("aria-label")
        == "Postmortem: Elevated error rates on the API"
    )
    assert [text_of(a) for a in index.cssselect(".site-header nav a")] == [
        "Status",
        "History",
        "Postmortems",
        "Subscribe",
    ]

    out = incident.build("2026-11-24 10:00")  # not yet published
    assert marks(out / "index.html") == marks(out / "history" / "index.html") == []
    assert [text_of(a) for a in parse_html(out / "index.html").cssselect(".site-header nav a")] == [
        "Status",
        "History",
        "Subscribe",
    ]


def test_postmortems_page_lists_published_ones_newest_first_with_completion(
    incident: SiteDir,
) -> None:
    for day, title in (("2026-11-10", "Older outage"), ("2026-11-12", "Drafted outage")):
        incident.incident(
            f"{day}-x.md",
            EXAMPLE_INCIDENT.replace("2026-11-20", day).replace(
                "Elevated error rates on the API", title
            ),
        )
    published(incident, "2026-11-24 17:30")
    postmortem_file(
        incident,
        "2026-11-10-x",
        POSTMORTEM.format(published="2026-11-15 09:00").replace("- [ ] Render", "- [x] Render"),
    )
    postmortem_file(
        incident, "2026-11-12-x", POSTMORTEM.replace("published: {published}\n", "")
    )  # a draft
    postmortem_file(
        incident,
        "2026-11-20-api-errors",
        (incident.root / "incidents" / f"{ID}.postmortem.md").read_text(),
    )
    out = incident.build("2026-11-26 10:00")
    doc = parse_html(out / "postmortems" / "index.html")
    assert text_of(doc.cssselect("h1")[0]) == "Postmortems"
    items = doc.cssselect("ul.postmortem-list > li")
    assert [text_of(li.cssselect("a")[0]) for li in items] == [
        "Elevated error rates on the API",
        "Older outage",
    ]
    assert [li.cssselect("a")[0].get("href") for li in items] == [
        f"../incidents/{ID}/index.html#postmortem",
        "../incidents/2026-11-10-x/index.html#postmortem",
    ]
    assert [text_of(li.cssselect(".action-items")[0]) for li in items] == [
        "Action items: 1 of 3 done",
        "Action items: 2 of 3 done",
    ]
    assert [(p.get("value"), p.get("max")) for p in doc.cssselect("progress")] == [
        ("1", "3"),
        ("2", "3"),
    ]
    assert "Published Nov 24, 2026" in text_of(items[0].cssselect(".day-meta")[0])


def test_postmortems_page_without_any(incident: SiteDir) -> None:
    doc = parse_html(incident.build("2026-11-26 10:00") / "postmortems" / "index.html")
    assert text_of(doc.cssselect("ul.postmortem-list")[0]) == "No postmortems published yet."


def test_this_repos_postmortem_is_published_and_complete(tmp_path: Path) -> None:
    site, problems = load_site(REPO)
    assert site is not None and problems.items == []  # no placeholder, no blame-shaped sentence
    postmortem = pm_state.published_postmortem(site, ID, at("2026-11-26 10:00"))
    assert postmortem is not None
    assert pm.action_items(postmortem.body) == (3, 7)
    site_dir = SiteDir.__new__(SiteDir)
    site_dir.root = REPO
    out = site_dir.build("2026-11-26 10:00", tmp_path / "out")
    doc = parse_html(out / "postmortems" / "index.html")
    assert text_of(doc.cssselect(".action-items")[0]) == "Action items: 3 of 7 done"
    assert [text_of(h) for h in parse_html(out / INCIDENT_PAGE).cssselect("#postmortem .body h3")] == [
        "Summary", "Timeline", "What happened", "Root cause", "What went well", "What went wrong", "Action items",
    ]  # fmt: skip


def test_feed_gets_one_entry_when_published(incident: SiteDir) -> None:
    import feedparser

    published(incident, "2026-11-24 17:30")
    before = feedparser.parse((incident.build("2026-11-24 17:00") / "history.atom").read_bytes())
    assert not any(e.title.endswith("Postmortem") for e in before.entries)
    out = incident.build("2026-11-25 09:00")
    feed = feedparser.parse((out / "history.atom").read_bytes())
    assert not feed.bozo
    entry = feed.entries[0]
    assert entry.title == "Elevated error rates on the API — Postmortem"
    assert entry.link.endswith(f"incidents/{ID}/#postmortem")
    assert entry.id.startswith("urn:uuid:")
    assert "shrank the connection pool" in entry.content[0].value
    assert "<script" not in entry.content[0].value
    again = feedparser.parse((incident.build("2026-12-01 09:00") / "history.atom").read_bytes())
    assert again.entries[0].id == entry.id
    component = feedparser.parse((out / "components" / "api" / "history.atom").read_bytes())
    assert component.entries[0].id == entry.id


def test_v2_json_carries_the_postmortem(incident: SiteDir) -> None:
    import json

    published(incident, "2026-11-24 17:30")
    out = incident.build("2026-11-25 09:00")
    incidents = json.loads((out / "api/v2/incidents.json").read_text())["incidents"]
    item = next(i for i in incidents if i["id"] == ID)
    assert item["status"] == "postmortem"
    assert item["postmortem_published_at"] == "2026-11-24T17:30:00.000+01:00"
    assert item["postmortem_body"].startswith(
        "## What happened\n\nA configuration change shrank the connection pool."
    )
    assert json.loads((out / "api/v2/incidents/unresolved.json").read_text())["incidents"] == []
    draft = incident.build("2026-11-24 09:00")
    item = next(
        i
        for i in json.loads((draft / "api/v2/incidents.json").read_text())["incidents"]
        if i["id"] == ID
    )
    assert (item["status"], item["postmortem_body"], item["postmortem_published_at"]) == (
        "resolved",
        None,
        None,
    )
