"""A deterministic synthetic status site for benchmarks.

    python bench/generate.py 10000 --seed 1 bench/out/site-10000

N incidents spread over the five years before END (30 components in 6 groups,
1-4 components per incident, 2-6 updates each with realistic Markdown, about 5 %
left unresolved), plus past and upcoming maintenance windows. The same N and
seed always give the same bytes; the result passes `statuspage check`.
"""

from __future__ import annotations

import argparse
import random
import shutil
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
SUBJECTS = ["Elevated error rates", "Slow responses", "Failed logins", "Delayed delivery",
            "Timeouts", "Intermittent 502s", "Stale data", "Increased latency", "Outage"]  # fmt: skip
WORDS = ("the a request queue node cluster replica cache certificate deploy rollback traffic "
         "upstream provider region disk memory latency retry backlog config index shard "
         "customers some all errors timeouts pages jobs connections database network").split()  # fmt: skip


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
        lines += [f"      - {{id: {cid}, name: {cid.replace('-', ' ').title()}}}" for cid in members]
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
        parts.append("\n".join(f"- {sentence(rng, rng.randint(3, 8))}" for _ in range(rng.randint(2, 4))))
    elif roll < 0.4:
        parts.append(f"See the [provider's notice](https://example.com/notice/{rng.randint(1, 99999)}) "
                     f"and our `runbook-{rng.randint(1, 40)}` for details.")  # fmt: skip
    elif roll < 0.5:
        parts.append("```\n$ curl -I https://api.bench.example/health\nHTTP/2 503\n```")
    if rng.random() < 0.3:
        parts.append(f"**Next update** in {rng.choice([15, 30, 60])} minutes.")
    return "\n\n".join(parts)


def incident_file(rng: random.Random, start: datetime, components: list[str], open_: bool) -> str:
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
        updates.append(f"## {word} · {stamp(at)}\n{text}\n")
        at += timedelta(minutes=rng.randint(5, 180))
    front = [
        "---",
        f"title: {rng.choice(SUBJECTS)} on {chosen[0].replace('-', ' ')}",
        "components:",
        *(f"  {cid}: {status}" for cid, status in statuses.items()),
        "---",
        "",
    ]
    return "\n".join(front) + "\n".join(reversed(updates))


def maintenance_file(rng: random.Random, start: datetime, components: list[str], end_of_data: datetime) -> str:
    chosen = rng.sample(components, rng.randint(1, 3))
    end = start + timedelta(hours=rng.randint(1, 4))
    announced = min(start - timedelta(days=rng.randint(2, 10)), end_of_data - timedelta(hours=1))
    updates = [f"## Scheduled · {stamp(announced)}\n{body(rng)}\n"]
    if end < end_of_data:
        updates.append(f"## Completed · {stamp(end - timedelta(minutes=rng.randint(0, 30)))}\nThe work is done.\n")
    front = [
        "---",
        f"title: Planned work on {chosen[0].replace('-', ' ')}",
        "maintenance:",
        f"  start: {stamp(start)}",
        f"  end: {stamp(end)}",
        f"components: [{', '.join(chosen)}]",
        "---",
        "",
    ]
    return "\n".join(front) + "\n".join(reversed(updates))


def generate(n: int, seed: int, out: Path) -> None:
    """Write statuspage.yaml and N incident files (plus maintenance) into *out*."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "incidents").mkdir(parents=True)
    (out / "statuspage.yaml").write_text(config_text(), encoding="utf-8")
    components = [cid for members in GROUPS.values() for cid in members]
    begin = END - SPAN
    step = SPAN / n
    for i in range(n):
        # Evenly spread, jittered; the newest few stay before END.
        start = begin + step * i + timedelta(seconds=rng.randint(0, max(int(step.total_seconds()) - 1, 0)))
        start = min(start.replace(second=0, microsecond=0), END - timedelta(hours=16))
        if rng.random() < 0.08:
            text = maintenance_file(rng, start, components, END)
        else:
            text = incident_file(rng, start, components, open_=rng.random() < 0.05)
        day = start.astimezone(ZONE).date()
        (out / "incidents" / f"{day}-event-{i:06d}.md").write_text(text, encoding="utf-8")
    for j in range(3 + n // 2000):  # upcoming windows
        start = (END + timedelta(days=1 + 3 * j, hours=rng.randint(0, 20))).replace(minute=0)
        day = start.astimezone(ZONE).date()
        text = maintenance_file(rng, start, components, END)
        (out / "incidents" / f"{day}-upcoming-{j:04d}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of incidents")
    parser.add_argument("out", type=Path, help="folder to (re)create")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.n, args.seed, args.out)


if __name__ == "__main__":
    main()
