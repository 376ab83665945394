"""Shared by test modules: sites that take alerts, and the alert payload fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser

from ..conftest import CONFIG, SiteDir, parse_html, text_of

FIXTURES = Path(__file__).parent.parent / "alerts"


ALERT_CONFIG = (
    CONFIG
    + """\
alerts:
  publish: direct
  max_new: 2
  rules:
    - id: checkout
      match: {alertname: CheckoutErrorRate}
      components: {api: major_outage}
      title: Checkout is failing
"""
)


NOW = "2026-12-01T12:00:00Z"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def alertmanager_body(*alerts: dict) -> str:
    """A webhook v4 body holding *alerts* (each a partial alert merged over a default)."""
    body = json.loads(fixture("alertmanager-firing.json"))
    template = body["alerts"][0]
    body["alerts"] = [{**template, **a} for a in alerts]
    return json.dumps(body)


class AlertSite(SiteDir):
    """A site with `alerts:` rules; `alert()` runs the command, `tree()` snapshots incidents/."""

    def alert(self, fmt: str, body: str, now: str = NOW):
        return self.run("alert", "--format", fmt, "--now", now, "-", input=body)

    def tree(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((self.root / "incidents").iterdir())}

    def view(self, now: str = NOW) -> dict:
        """What a reader sees: component statuses on the page, the v2 summary, the feed."""
        out = self.build(now, self.root / "_site")
        page = parse_html(out / "index.html")
        components = {
            text_of(li.cssselect(".name")[0]): text_of(li.cssselect(".status")[0])
            for li in page.cssselect("li.component")
        }
        summary = json.loads((out / "api/v2/summary.json").read_text())
        feed = feedparser.parse((out / "history.atom").read_bytes())
        return {
            "components": components,
            "incidents": [(i["name"], i["status"]) for i in summary["incidents"]],
            "api": {c["id"]: c["status"] for c in summary["components"] if c["id"] == "api"},
            "feed": [e.title for e in feed.entries],
            "out": out,
        }


KUMA_CONFIG = (
    CONFIG
    + """\
alerts:
  rules:
    - match: {monitor: Checkout}
      components: {web: partial_outage}
"""
)
