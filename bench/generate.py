"""A deterministic synthetic status site for benchmarks.

    python bench/generate.py 10000 --seed 1 bench/out/site-10000
    python bench/generate.py 1000 --format cstate bench/out/cstate-1000

N incidents spread over the five years before END (30 components in 6 groups,
1-4 components per incident, 2-6 updates each with realistic Markdown, about 5 %
left unresolved), plus past and upcoming maintenance windows. The same N and
seed always give the same bytes; the result passes `statuspage check`. With
`--format cstate` the same history is written as a cState site for Hugo.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# The instant the benchmark builds at: every incident is in the past of it,
# a few maintenance windows in its future.
END = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
NOW = END.strftime("%Y-%m-%dT%H:%M:%SZ")
SPAN = timedelta(days=5 * 365)
ZONE = ZoneInfo("Europe/Berlin")
GROUPS = {
    "Core API": ["rest", "graphql", "auth", "tokens", "rate-limits"],
    "Web": ["website", "dashboard", "docs", "billing-ui", "admin"],
    "Data": ["postgres", "redis", "search", "object-storage", "backups"],
    "Delivery": ["webhooks", "email", "sms", "push", "exports"],
    "Infrastructure": ["dns", "cdn", "load-balancers", "vpn", "ci-runners"],
    "Regions": ["eu-west", "eu-central", "us-east", "us-west", "ap-south"],
}
STATUSES = ["degraded_performance", "partial_outage", "major_outage"]
SUBJECTS = [
    "Elevated error rates",
    "Slow responses",
    "Failed logins",
    "Delayed delivery",
    "Timeouts",
    "Intermittent 502s",
    "Stale data",
    "Increased latency",
    "Outage",
]
WORDS = [
    "the",
    "a",
    "request",
    "queue",
    "node",
    "cluster",
    "replica",
    "cache",
    "certificate",
    "deploy",
    "rollback",
    "traffic",
    "upstream",
    "provider",
    "region",
    "disk",
    "memory",
    "latency",
    "retry",
    "backlog",
    "config",
    "index",
    "shard",
    "customers",
    "some",
    "all",
    "errors",
    "timeouts",
    "pages",
    "jobs",
    "connections",
    "database",
    "network",
]


def config_text() -> str:
    lines = [
        "title: Bench Status",
        "description: A synthetic status page for benchmarks.",
        "base_url: https://status.bench.example/",
        "timezone: Europe/Berlin",
        "components:",
    ]
    for group, members in GROUPS.items():
        lines += [f"  - group: {group}", "    components:"]
        lines += [f"      - {{id: {cid}, name: {display_name(cid)}}}" for cid in members]
    return "\n".join(lines) + "\n"


def stamp(moment: datetime) -> str:
    """Local wall-clock time with its offset: never ambiguous across DST changes."""
    local = moment.astimezone(ZONE)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random) -> str:
    """A paragraph or two, sometimes a list, a link or a code block."""
    parts = [" ".join(sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(1, 3)))]
    roll = rng.random()
    if roll < 0.25:
        parts.append(
            "\n".join(f"- {sentence(rng, rng.randint(3, 8))}" for _ in range(rng.randint(2, 4)))
        )
    elif roll < 0.4:
        parts.append(
            f"See the [provider's notice](https://example.com/notice/{rng.randint(1, 99999)}) "
            f"and our `runbook-{rng.randint(1, 40)}` for details."
        )
    elif roll < 0.5:
        parts.append("```\n$ curl -I https://api.bench.example/health\nHTTP/2 503\n```")
    if rng.random() < 0.3:
        parts.append(f"**Next update** in {rng.choice([15, 30, 60])} minutes.")
    return "\n\n".join(parts)


@dataclass
class Event:
    """One generated incident or maintenance window, before it is written in either format."""

    title: str
    statuses: dict[str, str]  # component id -> status (a window's components: "under_maintenance")
    updates: list[tuple[str, datetime, str]]  # (word, time, Markdown), oldest first
    window: tuple[datetime, datetime] | None = None
    open_: bool = False


def incident_event(
    rng: random.Random, start: datetime, components: list[str], open_: bool
) -> Event:
    chosen = rng.sample(components, rng.randint(1, 4))
    statuses = {cid: rng.choice(STATUSES) for cid in chosen}
    count = rng.randint(2, 6)
    flow = ["Investigating", "Identified", "Monitoring", "Monitoring", "Monitoring"][: count - 1]
    flow.append("Monitoring" if open_ else "Resolved")
    at = start
    updates = []
    for i, word in enumerate(flow):
        text = body(rng)
        if i == 1 and rng.random() < 0.3:
            cid = chosen[0]
            text = f"Components: {cid}={rng.choice(STATUSES)}\n\n{text}"
        updates.append((word, at, text))
        at += timedelta(minutes=rng.randint(5, 180))
    title = f"{rng.choice(SUBJECTS)} on {chosen[0].replace('-', ' ')}"
    return Event(title, statuses, updates, open_=open_)


def incident_file(rng: random.Random, start: datetime, components: list[str], open_: bool) -> str:
    return statuspage_text(incident_event(rng, start, components, open_))


def maintenance_event(
    rng: random.Random, start: datetime, components: list[str], end_of_data: datetime
) -> Event:
    chosen = rng.sample(components, rng.randint(1, 3))
    end = start + timedelta(hours=rng.randint(1, 4))
    announced = min(start - timedelta(days=rng.randint(2, 10)), end_of_data - timedelta(hours=1))
    updates = [("Scheduled", announced, body(rng))]
    if end < end_of_data:
        updates.append(
            ("Completed", end - timedelta(minutes=rng.randint(0, 30)), "The work is done.")
        )
    statuses = dict.fromkeys(chosen, "under_maintenance")
    return Event(
        f"Planned work on {chosen[0].replace('-', ' ')}", statuses, updates, window=(start, end)
    )


def statuspage_text(event: Event) -> str:
    """The incident file of *event* (statuspage's format)."""
    updates = [f"## {word} · {stamp(at)}\n{text}\n" for word, at, text in event.updates]
    if event.window:
        start, end = event.window
        meta = ["maintenance:", f"  start: {stamp(start)}", f"  end: {stamp(end)}",
                f"components: [{', '.join(event.statuses)}]"]  # fmt: skip
    else:
        meta = ["components:", *(f"  {cid}: {status}" for cid, status in event.statuses.items())]
    front = ["---", f"title: {event.title}", *meta, "---", ""]
    return "\n".join(front) + "\n".join(reversed(updates))


def utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}"


def cstate_text(event: Event) -> str:
    """The cState issue file of *event*: front matter, then updates newest first, each
    `*Word* - text` dated by a track shortcode, as cState's own examples write them."""
    severity = "notice"
    for status, word in (("partial_outage", "disrupted"), ("major_outage", "down")):
        if status in event.statuses.values():
            severity = word
    end = event.window[1] if event.window else event.updates[-1][1]
    resolved = not event.open_ and (event.window is None or event.window[1] < END)
    start = event.window[0] if event.window else event.updates[0][1]
    front = [
        "---",
        f"title: {event.title}",
        f"date: {utc(start)}",
        f"resolved: {str(resolved).lower()}",
    ]
    if resolved or event.window:
        front.append(f"resolvedWhen: {utc(end)}")
    front += [
        f"severity: {severity}",
        "affected:",
        *(f"  - {display_name(cid)}" for cid in event.statuses),
    ]
    front += ["section: issue", "---", ""]
    parts = []
    for word, at, text in reversed(event.updates):
        text = "\n\n".join(p for p in text.split("\n\n") if not p.startswith("Components: "))
        word = {"Scheduled": "Update", "Completed": "Resolved"}.get(word, word)
        parts.append(f'*{word}* - {text}\n\n{{{{< track "{utc(at)}" >}}}}\n')
    return "\n".join(front) + "\n".join(parts)


def display_name(cid: str) -> str:
    return cid.replace("-", " ").title()


def cstate_config_text() -> str:
    """cState's config.yml (a Hugo site using the cstate theme) listing the same systems."""
    lines = [
        "title: Bench Status",
        "baseURL: https://status.bench.example/",
        "languageCode: en",
        "defaultContentLanguage: en",
        "buildFuture: true",
        "enableGitInfo: false",
        "theme: cstate",
        "preserveTaxonomyNames: true",
        "taxonomies:",
        "  affected: affected",
        "outputs:",
        *(f"  {kind}: [html, json{extra}]" for kind, extra in
          (("page", ""), ("section", ", rss"), ("home", ", rss, svg"), ("term", ", rss, svg"))),
        "outputFormats:",
        "  svg:",
        "    isPlainText: true",
        "    mediaType: image/svg+xml",
        "params:",
        "  description: A synthetic status page for benchmarks.",
        "  dateFormat: January 2, 2006 at 3:04 PM",
        "  shortDateFormat: 15:04 — Jan 2",
        "  useRelativeTime: true",
        "  enableUptimeHistogram: true",
        "  incidentHistoryFormat: yearly",
        "  incidentPostsPerPage: 5",
        *(f'  {key}: "{colour}"' for key, colour in (("brand", "#0a0c0f"), ("ok", "#008000"),
          ("disrupted", "#cc4400"), ("down", "#e60000"), ("notice", "#24478f"))),
        "  alwaysKeepBrandColor: true",
        "  headerTextColor: white",
        "  categories:",
        *(f"    - name: {group}" for group in GROUPS),
        "  systems:",
    ]  # fmt: skip
    for group, members in GROUPS.items():
        lines += [f"    - {{name: {display_name(cid)}, category: {group}}}" for cid in members]
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int, out: Path, format: str = "statuspage") -> None:
    """Write statuspage.yaml and N incident files (plus maintenance) into *out*, or with
    *format* "cstate" the same history as a cState site (config.yml, content/issues/)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    if format == "cstate":
        folder, write = out / "content" / "issues", cstate_text
        (folder).mkdir(parents=True)
        (out / "config.yml").write_text(cstate_config_text(), encoding="utf-8")
    else:
        folder, write = out / "incidents", statuspage_text
        folder.mkdir(parents=True)
        (out / "statuspage.yaml").write_text(config_text(), encoding="utf-8")
    components = [cid for members in GROUPS.values() for cid in members]
    begin = END - SPAN
    step = SPAN / n
    for i in range(n):
        # Evenly spread, jittered; the newest few stay before END.
        start = (
            begin
            + step * i
            + timedelta(seconds=rng.randint(0, max(int(step.total_seconds()) - 1, 0)))
        )
        start = min(start.replace(second=0, microsecond=0), END - timedelta(hours=16))
        if rng.random() < 0.08:
            event = maintenance_event(rng, start, components, END)
        else:
            event = incident_event(rng, start, components, open_=rng.random() < 0.05)
        day = start.astimezone(ZONE).date()
        (folder / f"{day}-event-{i:06d}.md").write_text(write(event), encoding="utf-8")
    for j in range(3 + n // 2000):  # upcoming windows
        start = (END + timedelta(days=1 + 3 * j, hours=rng.randint(0, 20))).replace(minute=0)
        day = start.astimezone(ZONE).date()
        event = maintenance_event(rng, start, components, END)
        (folder / f"{day}-upcoming-{j:04d}.md").write_text(write(event), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, help="number of incidents")
    parser.add_argument("out", type=Path, help="folder to (re)create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["statuspage", "cstate"], default="statuspage",
                        help="cstate: the same history as a cState (Hugo) site")  # fmt: skip
    args = parser.parse_args()
    generate(args.n, args.seed, args.out, args.format)


if __name__ == "__main__":
    main()
