"""`statuspage alert`: webhook bodies of Alertmanager, Grafana, Uptime Kuma and our own
json open, update and close incidents, exactly once, through the files alone; the
built page, feeds and v2 API show each step; bad bodies change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statuspage.model import ComponentStatus, Impact, IncidentStatus
from statuspage.outputs.freshness import SCRIPT
from statuspage.state import status as st

from .conftest import CONFIG, SiteDir, at, parse_html, text_of, write
from .support.alert_sites import (
    ALERT_CONFIG,
    KUMA_CONFIG,
    NOW,
    AlertSite,
    alertmanager_body,
    fixture,
)
from .support.inert import assert_inert

KEY = "alertmanager:d734ef5a4b1e2117"  # the fingerprint in the captured bodies
INV, MON, RES = IncidentStatus.INVESTIGATING, IncidentStatus.MONITORING, IncidentStatus.RESOLVED


def json_body(*alerts: dict) -> str:
    return json.dumps({"alerts": list(alerts)})


@pytest.fixture
def site(tmp_path: Path) -> AlertSite:
    return AlertSite(tmp_path / "site", ALERT_CONFIG)


def test_open_repeat_resolve_repeat_refire(site: AlertSite) -> None:
    firing, resolved = fixture("alertmanager-firing.json"), fixture("alertmanager-resolved.json")
    opened = site.alert("alertmanager", firing)
    assert opened.exit_code == 0, opened.output
    path = site.root / "incidents" / "2026-12-01-checkout-is-failing.md"
    assert opened.stdout == f"{path}\n"
    assert f"opened by {KEY}" in opened.stderr
    (incident,) = site.load().incidents
    assert incident.title == "Checkout is failing" and incident.impact is Impact.CRITICAL
    assert incident.alerts == ("rule:checkout", KEY)
    assert incident.detected == at("2026-12-01 09:58 +00:00") == incident.updates[0].at
    assert [(u.status, u.body) for u in incident.updates] == [
        (INV, "We are investigating problems affecting Public API.")
    ]
    assert (
        "monitor_notes:\n- at: 2026-12-01 10:58 +01:00\n  alert: alertmanager:d734ef5a4b1e2117\n  said: Checkout error rate above 5% — Payments fail for *some* customers.\n---"
        in path.read_text()
    )
    seen = site.view()
    assert seen["components"]["Public API REST endpoints"] == "Major outage"
    assert seen["incidents"] == [("Checkout is failing", "investigating")]
    assert seen["api"] == {"api": "major_outage"}
    assert "Checkout is failing" in " ".join(seen["feed"])

    tree = site.tree()
    again = site.alert("alertmanager", firing)
    assert (again.exit_code, again.stdout) == (0, "")
    assert "nothing to do" in again.stderr and site.tree() == tree

    closed = site.alert("alertmanager", resolved)
    assert (closed.exit_code, closed.stdout) == (0, f"{path}\n")
    (incident,) = site.load().incidents
    assert [(u.status, u.at) for u in incident.updates] == [
        (INV, at("2026-12-01 09:58 +00:00")),
        (MON, at("2026-12-01 10:41 +00:00")),
    ]
    assert incident.updates[-1].components == (("api", ComponentStatus.OPERATIONAL),)
    assert incident.updates[-1].body == "The affected services have recovered; we are monitoring."
    seen = site.view()
    assert seen["components"]["Public API REST endpoints"] == "Operational"
    assert seen["incidents"] == [("Checkout is failing", "monitoring")]

    tree = site.tree()
    repeat = site.alert("alertmanager", resolved)
    assert (repeat.exit_code, repeat.stdout, site.tree()) == (0, "", tree)
    assert site.run("check").exit_code == 0

    # The same alert fires again later (same fingerprint, a new startsAt).
    refire = alertmanager_body({"startsAt": "2026-12-01T11:15:00Z"})
    assert site.alert("alertmanager", refire).stdout == f"{path}\n"
    (incident,) = site.load().incidents
    assert [u.status for u in incident.updates] == [INV, MON, INV]
    assert (
        incident.updates[-1].body
        == "The problems affecting Public API have returned; we are investigating."
    )
    assert incident.updates[-1].components == (("api", ComponentStatus.MAJOR_OUTAGE),)
    assert site.view()["components"]["Public API REST endpoints"] == "Major outage"
    tree = site.tree()
    assert site.alert("alertmanager", refire).stdout == "" and site.tree() == tree
    # ... and an old body, sent late, does not re-fire it.
    assert site.alert("alertmanager", firing).stdout == "" and site.tree() == tree


def test_two_alerts_of_one_rule_make_one_incident(site: AlertSite) -> None:
    one = {
        "fingerprint": "aaaa000000000001",
        "labels": {"alertname": "CheckoutErrorRate", "region": "eu"},
    }
    two = {"fingerprint": "aaaa000000000002", "labels": {"alertname": "CheckoutErrorRate", "region": "us"},
           "startsAt": "2026-12-01T10:05:00Z"}  # fmt: skip
    assert site.alert("alertmanager", alertmanager_body(one)).exit_code == 0
    joined = site.alert("alertmanager", alertmanager_body(one, two))
    assert joined.exit_code == 0 and "joined by alertmanager:aaaa000000000002" in joined.stderr
    (incident,) = site.load().incidents
    assert incident.alerts == (
        "rule:checkout",
        "alertmanager:aaaa000000000001",
        "alertmanager:aaaa000000000002",
    )
    assert [u.status for u in incident.updates] == [INV]
    # One resolves while the other still fires: still investigating.
    half = alertmanager_body({**one, "status": "resolved", "endsAt": "2026-12-01T10:20:00Z"}, two)
    assert site.alert("alertmanager", half).stdout == ""
    done = alertmanager_body(
        {**one, "status": "resolved", "endsAt": "2026-12-01T10:20:00Z"},
        {**two, "status": "resolved", "endsAt": "2026-12-01T10:30:00Z"},
    )
    site.alert("alertmanager", done)
    (incident,) = site.load().incidents
    assert [(u.status, u.at) for u in incident.updates] == [
        (INV, at("2026-12-01 09:58 +00:00")),
        (MON, at("2026-12-01 10:30 +00:00")),
    ]


def test_unmatched_alerts_are_listed_as_ignored(site: AlertSite) -> None:
    body = alertmanager_body(
        {"labels": {"alertname": "DiskFull"}, "fingerprint": "bbbb000000000001"}
    )
    result = site.alert("alertmanager", body)
    assert (result.exit_code, result.stdout) == (0, "")
    assert "ignored alertmanager:bbbb000000000001 (DiskFull): no rule matches" in result.stderr
    assert site.tree() == {}


def test_a_person_resolved_incident_is_not_reopened_a_new_one_opens(site: AlertSite) -> None:
    site.alert("alertmanager", fixture("alertmanager-firing.json"))
    assert (
        site.run("resolve", "checkout", "--at", "2026-12-01 11:00 +00:00", "-m", "Fixed.").exit_code
        == 0
    )
    resolved = site.tree()
    site.alert("alertmanager", fixture("alertmanager-resolved.json"))
    assert site.tree() == resolved  # told already, by a person
    refire = alertmanager_body({"startsAt": "2026-12-01T11:30:00Z"})
    result = site.alert("alertmanager", refire)
    assert result.stdout.strip().endswith("2026-12-01-checkout-is-failing-2.md")
    first, second = sorted(site.load().incidents, key=lambda i: i.id)
    assert [u.status for u in first.updates] == [INV, RES]
    assert [u.status for u in second.updates] == [INV] and second.alerts == ("rule:checkout", KEY)
    # The first firing's resolution, delivered late, is not news for the second incident.
    tree = site.tree()
    assert site.alert("alertmanager", fixture("alertmanager-resolved.json")).stdout == ""
    assert site.tree() == tree


def test_on_resolved_resolved_closes_the_incident(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", ALERT_CONFIG + "      on_resolved: resolved\n")
    site.alert("alertmanager", fixture("alertmanager-firing.json"))
    site.alert("alertmanager", fixture("alertmanager-resolved.json"))
    (incident,) = site.load().incidents
    assert [u.status for u in incident.updates] == [INV, RES]
    assert st.resolved_at(incident, at(NOW)) == at("2026-12-01 10:41 +00:00")
    tree = site.tree()
    assert site.alert("alertmanager", fixture("alertmanager-resolved.json")).stdout == ""
    assert site.tree() == tree
    assert site.view()["components"]["Public API REST endpoints"] == "Operational"


def test_bad_bodies_exit_1_naming_the_problem_and_write_nothing(site: AlertSite) -> None:
    site.alert("alertmanager", fixture("alertmanager-firing.json"))
    tree = site.tree()
    cases = [
        ("alertmanager", "{not json", "<stdin>:1: the payload is not JSON"),
        (
            "alertmanager",
            fixture("grafana-firing.json"),
            'not an alertmanager payload: `version` must be "4"',
        ),
        ("grafana", fixture("alertmanager-firing.json"), "`orgId` is missing"),
        ("uptime-kuma", "[]", "the body must be an object"),
        (
            "alertmanager",
            alertmanager_body({"status": "pending"}),
            'alerts[0].status must be "firing" or "resolved"',
        ),
        (
            "json",
            json_body({"id": "x", "status": "pending"}),
            'alerts[0].status must be "firing" or "resolved" (or down/up)',
        ),
        (
            "json",
            json_body({"id": "x", "status": "up", "ends_at": 10**20}),
            "is not a time in seconds since 1970",
        ),
        ("alertmanager", alertmanager_body({"startsAt": "yesterday"}), "alerts[0].startsAt"),
        (
            "alertmanager",
            alertmanager_body({"fingerprint": "a b"}),
            "alerts[0].fingerprint must be an id",
        ),
        ("json", json_body({"id": "x", "status": "firing"}), "alerts[0].starts_at is required"),
        (
            "json",
            json_body({"id": "x", "status": "firing", "starts_at": "2026-12-01 10:00"}),
            "has no offset",
        ),
        (
            "json",
            json_body({"id": "x", "status": "firing", "start": "2026-12-01T10:00Z"}),
            "unknown field 'start'",
        ),
        ("json", '{"alerts": [' + ",".join(['{"id": "x"}'] * 1001) + "]}", "at most 1,000"),
        ("json", " " * 1_000_001, "over the limit of 1,000,000"),
        ("json", '{"alerts": NaN}', "NaN is not a JSON value"),
    ]
    for fmt, body, message in cases:
        result = site.alert(fmt, body)
        assert result.exit_code == 1, (fmt, message, result.output)
        assert message in result.stderr and "nothing was written" in result.stderr, (
            message,
            result.stderr,
        )
        assert site.tree() == tree


def test_more_new_incidents_than_max_new_is_refused(tmp_path: Path) -> None:
    rules = "".join(
        f"    - match: {{alertname: A{n}}}\n      components: {{db: partial_outage}}\n"
        for n in range(3)
    )
    site = AlertSite(tmp_path / "s", ALERT_CONFIG + rules)
    flood = json_body(*({"id": f"a{n}", "status": "firing", "starts_at": "2026-12-01T10:00:00Z",
                         "labels": {"alertname": f"A{n}"}} for n in range(3)))  # fmt: skip
    result = site.alert("json", flood)
    assert result.exit_code == 1
    assert "would open 3 incidents, more than `max_new: 2`" in result.stderr
    assert site.tree() == {}
    assert site.alert("json", json_body(*json.loads(flood)["alerts"][:2])).exit_code == 0
    assert len(site.tree()) == 2


def group_of(n: int, **fields: str) -> str:
    """An Alertmanager body of one group: *n* alerts of the rule, each its own fingerprint."""
    return alertmanager_body(*(
        {"fingerprint": f"{i:016x}", "labels": {"alertname": "CheckoutErrorRate", "instance": f"host-{i}"},
         "startsAt": f"2026-12-01T09:{i % 60:02d}:00Z", **fields}
        for i in range(n)
    ))  # fmt: skip


def test_a_group_of_500_alerts_opens_its_incident_and_says_what_was_left(site: AlertSite) -> None:
    firing = group_of(500)
    assert len(firing) < 1_000_000
    opened = site.alert("alertmanager", firing)
    assert opened.exit_code == 0, opened.output
    path = site.root / "incidents" / "2026-12-01-checkout-is-failing.md"
    assert opened.stdout == f"{path}\n"
    dropped = [line for line in opened.stderr.splitlines() if "not recorded" in line]
    assert dropped == [
        "401 more firing alert(s) of rule checkout not recorded: an incident holds at most 100 alert keys "
        "(alertmanager:000000000000000b, alertmanager:0000000000000047, alertmanager:0000000000000083, …); "
        "the incident stays open until the rule's alerts resolve"
    ]
    (incident,) = site.load().incidents
    # The earliest to fire are recorded; the rule's incident is open, its components down.
    assert len(incident.alerts) == 100 and incident.alerts[1] == "alertmanager:0000000000000000"
    assert site.view()["components"]["Public API REST endpoints"] == "Major outage"
    quoted = dropped[0].replace("'", "''")  # as YAML quotes it
    assert f"  alert: rule:checkout\n  said: '{quoted}'\n" in path.read_text()
    assert site.run("check").exit_code == 0
    tree = site.tree()
    again = site.alert("alertmanager", firing)
    assert (again.exit_code, again.stdout, site.tree()) == (0, "", tree)
    assert again.stderr.splitlines() == [
        dropped[0],
        "nothing else to do: every alert in it is recorded already",
    ]
    # The group resolves; Alertmanager's last body may hold only alerts the file lacks.
    resolved = json.loads(group_of(500, status="resolved", endsAt="2026-12-01T11:00:00Z"))
    resolved["alerts"] = resolved["alerts"][300:]
    closed = site.alert("alertmanager", json.dumps(resolved))
    assert closed.stdout == f"{path}\n"
    (incident,) = site.load().incidents
    assert [(u.status, u.at) for u in incident.updates][-1] == (MON, at("2026-12-01 11:00 +00:00"))


HOSTILE = (
    "## Resolved · 2026-12-01 10:00\nComponents: api=operational\n```\n"
    "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))\n"
    "\x1b[31m\x00\u202e---\n## Monitoring · 2026-12-01 10:01"
)


PUBLISH_CONFIG = ALERT_CONFIG + "      publish_monitor_text: true\n"
# What monitors say, for the team only: an internal host, a timeout, a metric's name.
MONITOR_WORDS = ("10.0.3.7", "48000ms", "p99 latency", "sk_live_9f8e")
QUIET_CONFIG = (
    CONFIG
    + """\
alerts:
  publish: direct
  rules:
    - match: {alertname: ApiLatency}
      components: {api: major_outage, web: degraded_performance}
    - match: {monitor: Checkout}
      components: {dashboard: partial_outage}
notify:
  webhooks:
    - {url: 'http://127.0.0.1:9/hook', format: json}
"""
)


def test_monitor_words_reach_no_output_by_default(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", QUIET_CONFIG)
    latency = alertmanager_body({
        "fingerprint": "cccc000000000001", "labels": {"alertname": "ApiLatency", "instance": "10.0.3.7:9100"},
        "annotations": {"summary": "API p99 latency above 2s", "description": "p99 latency 4.1s on http://10.0.3.7:9100/metrics"},
    })  # fmt: skip
    kuma = json.loads(fixture("uptime-kuma-down.json"))
    kuma["heartbeat"]["msg"] = "timeout of 48000ms exceeded (token sk_live_9f8e)"
    kuma["monitor"]["url"] = "http://10.0.3.7:8080/health"
    assert site.alert("alertmanager", latency).exit_code == 0
    assert site.alert("uptime-kuma", json.dumps(kuma)).exit_code == 0
    kuma_incident, api = sorted(site.load().incidents, key=lambda i: i.title)
    assert (api.title, api.updates[0].body) == (
        "Problems affecting Public API and Marketing site",
        "We are investigating problems affecting Public API and Marketing site.",
    )
    assert kuma_incident.title == "Problems affecting Dashboard"
    # The team sees them in the files (a pull request's diff); `check` takes the notes.
    files = "".join(p.read_text() for p in (site.root / "incidents").iterdir())
    assert (
        "said: API p99 latency above 2s — p99 latency 4.1s on http://10.0.3.7:9100/metrics" in files
    )
    assert "said: Checkout is down — timeout of 48000ms exceeded (token sk_live_9f8e)" in files
    assert site.run("check").exit_code == 0
    site.alert("alertmanager", alertmanager_body({"fingerprint": "cccc000000000001", "labels": {"alertname": "ApiLatency"},
               "status": "resolved", "endsAt": "2026-12-01T11:00:00Z"}))  # fmt: skip
    out = site.view()["out"]
    leaked = [
        (str(p.relative_to(out)), word)
        for p in out.rglob("*") if p.is_file()
        for word in MONITOR_WORDS if word.encode() in p.read_bytes()
    ]  # fmt: skip
    assert leaked == [] and len(list(out.rglob("*.html"))) > 5
    sent = site.run("notify", "--now", NOW, "--dry-run", "--backfill")
    assert (
        sent.exit_code == 0 and "We are investigating problems affecting Dashboard." in sent.stdout
    )
    assert [w for w in MONITOR_WORDS if w in sent.output] == []


def test_publish_monitor_text_puts_the_monitors_words_on_the_page(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", QUIET_CONFIG.replace("      components: {dashboard: partial_outage}\n",
                     "      components: {dashboard: partial_outage}\n      publish_monitor_text: true\n"))  # fmt: skip
    assert site.alert("uptime-kuma", fixture("uptime-kuma-down.json")).exit_code == 0
    (incident,) = site.load().incidents
    assert (incident.title, incident.updates[0].body) == (
        "Checkout is down",
        "getaddrinfo ENOTFOUND checkout.acme.example",
    )
    (path,) = (site.root / "incidents").iterdir()
    assert "monitor_notes" not in path.read_text()  # the update holds them
    site.alert("uptime-kuma", fixture("uptime-kuma-up.json"))
    assert (
        site.load().incidents[0].updates[-1].body
        == "The affected services have recovered; we are monitoring."
    )


def test_publish_monitor_text_is_checked_at_its_line(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "s", ALERT_CONFIG + "      publish_monitor_text: yes please\n")
    line = ALERT_CONFIG.count("\n") + 1
    assert site.problems() == [
        f"statuspage.yaml:{line}: `publish_monitor_text:` must be true (the monitor's summary and "
        "description are the incident's title and text) or false, not 'yes please'"
    ]


def test_monitor_notes_must_be_a_list(site: AlertSite) -> None:
    site.incident(
        "2026-12-01-x.md",
        "---\ntitle: X\nmonitor_notes: timeout\n---\n\n## Investigating · 2026-12-01 10:00\nLooking.\n",
    )
    assert site.problems() == [
        "incidents/2026-12-01-x.md:3: `monitor_notes:` must be a list (what monitors said; never shown on the page)"
    ]


def test_a_site_rewords_the_stock_text_in_its_translations(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", QUIET_CONFIG)
    write(
        site.root / "translations" / "en.po",
        """\
        msgid "Problems affecting %(components)s"
        msgstr "Trouble with %(components)s"
        """,
    )
    site.alert("alertmanager", alertmanager_body({"labels": {"alertname": "ApiLatency"}}))
    (incident,) = site.load().incidents
    assert incident.title == "Trouble with Public API and Marketing site"


@pytest.mark.parametrize(("language", "title", "first", "back"), [
    ("de", "Störungen bei Public API und Marketing site", "Wir untersuchen Störungen bei Public API und Marketing site.",
     "Die betroffenen Dienste funktionieren wieder; wir beobachten die Lage."),
    ("ja", "Public API、Marketing siteに影響する問題", "Public API、Marketing siteに影響する問題を調査しています。",
     "影響を受けたサービスは復旧しました。引き続き監視しています。"),
])  # fmt: skip
def test_the_stock_text_is_in_the_sites_language(
    tmp_path: Path, language: str, title: str, first: str, back: str
) -> None:
    site = AlertSite(
        tmp_path / "s", QUIET_CONFIG.replace("timezone:", f"language: {language}\ntimezone:")
    )
    site.alert("alertmanager", alertmanager_body({"labels": {"alertname": "ApiLatency"}}))
    site.alert("alertmanager", alertmanager_body({"labels": {"alertname": "ApiLatency"}, "status": "resolved",
                                                  "endsAt": "2026-12-01T11:00:00Z"}))  # fmt: skip
    (incident,) = site.load().incidents
    assert (incident.title, incident.updates[0].body, incident.updates[-1].body) == (
        title,
        first,
        back,
    )


def test_hostile_annotations_are_inert_text(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", PUBLISH_CONFIG)
    body = alertmanager_body(
        {"annotations": {"summary": "<b>" + "S" * 400 + "\n</b>", "description": HOSTILE}}
    )
    result = site.alert("alertmanager", body)
    assert result.exit_code == 0, result.output
    (incident,) = site.load().incidents
    # One update, of the alert's text: no heading or Components: line in it became one.
    assert [u.status for u in incident.updates] == [INV] and incident.updates[0].components == ()
    assert len(incident.title) <= 300 and "\n" not in incident.title
    assert site.run("check").exit_code == 0
    seen = site.view()
    assert seen["components"]["Public API REST endpoints"] == "Major outage"
    assert_inert(seen["out"])
    page = parse_html(seen["out"] / "incidents" / incident.id / "index.html")
    text = text_of(page.cssselect("ol.timeline")[0])
    assert "## Resolved · 2026-12-01 10:00" in text and "Components: api=operational" in text
    # Raw HTML in it is dropped by the sanitizer, as in any incident text; the link keeps its words.
    assert "alert(" not in text and " x " in f" {text} "
    assert not page.cssselect("img, a[href^=javascript]")
    # The one script is the page's own freshness script, byte for byte.
    assert [s.text for s in page.cssselect("script")] in ([], [SCRIPT])


def test_a_huge_description_is_cut_to_the_update_limit(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", PUBLISH_CONFIG)
    body = alertmanager_body({"annotations": {"description": "word " * 100_000}})
    assert site.alert("alertmanager", body).exit_code == 0
    (incident,) = site.load().incidents
    assert len(incident.updates[0].body) <= 10_000 and incident.updates[0].body.endswith("…")


def test_alert_times_after_now_are_taken_as_now(site: AlertSite) -> None:
    body = alertmanager_body({"startsAt": "2026-12-01T15:00:00+01:00"})
    site.alert("alertmanager", body, now="2026-12-01T12:00:00Z")
    (incident,) = site.load().incidents
    assert incident.updates[0].at == at(NOW)


def test_grafana_documented_body(tmp_path: Path) -> None:
    config = (
        ALERT_CONFIG
        + "    - match: {team: blue}\n      components: {dashboard: degraded_performance}\n      publish_monitor_text: true\n"
    )
    site = AlertSite(tmp_path / "s", config)
    result = site.alert("grafana", fixture("grafana-firing.json"), now="2021-10-12T10:00:00Z")
    assert result.exit_code == 0, result.output
    (incident,) = site.load().incidents
    assert incident.title == "This alert was triggered for zone us-1"
    assert incident.alerts == ("rule:blue", "grafana:c6eadffa33fcdf37", "grafana:bc97ff14869b13e3")
    assert incident.updates[0].at == at("2021-10-12 07:51:03 +00:00")
    assert incident.updates[0].body == "The system has high memory usage"
    tree = site.tree()
    site.alert("grafana", fixture("grafana-firing.json"), now="2021-10-12T10:00:00Z")
    assert site.tree() == tree


def test_uptime_kuma_down_then_up(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", KUMA_CONFIG)
    down = site.alert("uptime-kuma", fixture("uptime-kuma-down.json"))
    assert down.exit_code == 0, down.output
    (incident,) = site.load().incidents
    assert incident.title == "Problems affecting Marketing site" and incident.alerts == (
        "rule:checkout",
        "uptime-kuma:7",
    )
    # `time` is UTC; `localDateTime` (10:58:12 at +01:00) is the same instant.
    assert incident.updates[0].at == at("2026-12-01 09:58:12 +00:00")
    assert incident.updates[0].body == "We are investigating problems affecting Marketing site."
    # The monitor's words are for the team: in the file's notes, not on the page.
    (path,) = (site.root / "incidents").iterdir()
    assert (
        "said: Checkout is down — getaddrinfo ENOTFOUND checkout.acme.example\n" in path.read_text()
    )
    assert site.view()["components"]["Marketing site"] == "Partial outage"
    tree = site.tree()
    assert site.alert("uptime-kuma", fixture("uptime-kuma-down.json")).stdout == ""
    assert site.tree() == tree
    site.alert("uptime-kuma", fixture("uptime-kuma-up.json"))
    (incident,) = site.load().incidents
    assert [(u.status, u.at) for u in incident.updates] == [
        (INV, at("2026-12-01 09:58:12 +00:00")), (MON, at("2026-12-01 10:41:03 +00:00"))
    ]  # fmt: skip
    assert site.view()["components"]["Marketing site"] == "Operational"
    tree = site.tree()
    assert (
        site.alert("uptime-kuma", fixture("uptime-kuma-up.json")).stdout == ""
        and site.tree() == tree
    )


def test_uptime_kuma_test_button_and_pending_change_nothing(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", KUMA_CONFIG)
    test = site.alert(
        "uptime-kuma", '{"heartbeat": null, "monitor": null, "msg": "Uptime Kuma Testing"}'
    )
    assert (test.exit_code, test.stdout) == (0, "") and "a test notification" in test.stderr
    pending = json.loads(fixture("uptime-kuma-down.json"))
    pending["heartbeat"]["status"] = 2
    assert "pending or in maintenance" in site.alert("uptime-kuma", json.dumps(pending)).stderr
    assert site.tree() == {}


def test_json_format_from_a_file(tmp_path: Path) -> None:
    config = (
        CONFIG
        + "alerts:\n  rules:\n    - match: {check: login}\n      components: {dashboard: major_outage}\n"
    )
    site = AlertSite(tmp_path / "s", config)
    payload = tmp_path / "payload.json"
    payload.write_text(json_body({"id": "uptimerobot-42", "status": "firing", "labels": {"check": "login"},
                                  "summary": "Login is down", "starts_at": "2026-12-01T10:00:00+01:00"}))  # fmt: skip
    result = site.run("alert", "--format", "json", "--now", NOW, str(payload))
    assert result.exit_code == 0, result.output
    (incident,) = site.load().incidents
    assert (incident.title, incident.alerts) == (
        "Problems affecting Dashboard",
        ("rule:login", "json:uptimerobot-42"),
    )
    assert incident.updates[0].body == "We are investigating problems affecting Dashboard."
    payload.write_text(json_body({"id": "uptimerobot-42", "status": "resolved", "labels": {"check": "login"},
                                  "ends_at": "2026-12-01T10:20:00Z"}))  # fmt: skip
    site.run("alert", "--format", "json", "--now", NOW, str(payload))
    assert [u.status for u in site.load().incidents[0].updates] == [INV, MON]
    # UptimeRobot's words and times (README: Other monitors): Down/Up, seconds since 1970.
    payload.write_text(json_body({"id": "uptimerobot-42", "status": "Down", "labels": {"check": "login"},
                                  "starts_at": "1796122800", "ends_at": "1796122800"}))  # fmt: skip
    site.run("alert", "--format", "json", "--now", NOW, str(payload))
    (incident,) = site.load().incidents
    assert [(u.status, u.at) for u in incident.updates][-1] == (INV, at("2026-12-01 11:00 +00:00"))
    missing = site.run("alert", "--format", "json", str(tmp_path / "nope.json"))
    assert missing.exit_code == 1 and "cannot read the payload" in missing.stderr


def test_keys_join_a_hand_written_crlf_file_byte_for_byte(site: AlertSite) -> None:
    head = "\ufeff---\r\ntitle: Checkout broken\r\n# the on-call's note\r\nalerts: [rule:checkout, alertmanager:aaaa]  # from the pager\r\n\r\n# kept\r\ncomponents:\r\n  api: major_outage\r\n---\r\n\r\n"
    body = "## Investigating · 2026-12-01 09:00 +00:00\r\nLooking.\r\n"
    path = site.root / "incidents" / "2026-12-01-checkout-broken.md"
    path.write_bytes((head + body).encode())
    site.alert("alertmanager", fixture("alertmanager-firing.json"))
    data = path.read_bytes().decode("utf-8")
    expected_head = head.replace(
        "alerts: [rule:checkout, alertmanager:aaaa]  # from the pager\r\n",
        f"alerts:  # from the pager\r\n- rule:checkout\r\n- alertmanager:aaaa\r\n- {KEY}\r\n",
    )
    assert data == expected_head + body
    (incident,) = site.load().incidents
    assert incident.alerts == ("rule:checkout", "alertmanager:aaaa", KEY)


def test_comments_inside_the_alerts_list_are_kept_byte_for_byte(site: AlertSite) -> None:
    head = (
        "---\ntitle: Checkout broken\nalerts:  # keep: the rule finds this incident by it\n"
        "  - rule:checkout\n  # a false alarm, left for the review:\n  - alertmanager:aaaa   # eu\n"
        "\n  # the pager's second page\n  - 'alertmanager:bbbb'\n  # trailing note\n\n"
        "# about the components\ncomponents:\n  api: major_outage\n---\n\n"
    )
    body = "## Investigating · 2026-12-01 09:00 +00:00\nLooking.\n"
    path = site.root / "incidents" / "2026-12-01-checkout-broken.md"
    path.write_text(head + body)
    assert site.alert("alertmanager", fixture("alertmanager-firing.json")).exit_code == 0
    expected = head.replace("  - 'alertmanager:bbbb'\n", f"  - 'alertmanager:bbbb'\n  - {KEY}\n")
    assert path.read_text() == expected + body
    (incident,) = site.load().incidents
    assert incident.alerts == ("rule:checkout", "alertmanager:aaaa", "alertmanager:bbbb", KEY)


def test_comments_of_a_flow_list_over_lines_are_kept(site: AlertSite) -> None:
    head = "---\ntitle: Checkout broken\nalerts: [rule:checkout,   # the rule\n  alertmanager:aaaa]  # eu\n# kept\nurgency: high\n---\n\n"
    body = "## Investigating · 2026-12-01 09:00 +00:00\nLooking.\n"
    path = site.root / "incidents" / "2026-12-01-checkout-broken.md"
    path.write_text(head + body)
    assert site.alert("alertmanager", fixture("alertmanager-firing.json")).exit_code == 0
    blocks = f"alerts:  # the rule\n  # eu\n- rule:checkout\n- alertmanager:aaaa\n- {KEY}\n# kept\n"
    assert (
        path.read_text()
        == "---\ntitle: Checkout broken\n" + blocks + "urgency: high\n---\n\n" + body
    )


def test_check_validates_the_alerts_section_at_its_lines(tmp_path: Path) -> None:
    base = CONFIG.count("\n")
    config = (
        CONFIG
        + """\
alerts:
  publish: pull-request
  max_new: 0
  rules:
    - match: {alertname: A}
      components: {apii: major_outage, db: down}
      impact: maintenance
      on_resolve: resolved
    - match: {alertname: B, severity: [page]}
      components: {db: operational}
      on_resolved: closed
    - match: {alertname: C}
      components: {db: major_outage}
    - match: {alertname: C, severity: page}
      components: {db: major_outage}
    - id: c
      match: {service: x}
      components: {db: major_outage}
"""
    )
    site = SiteDir(tmp_path / "s", config)
    line = lambda n: f"statuspage.yaml:{base + n}"  # noqa: E731
    assert sorted(site.problems()) == sorted(
        [
            f"{line(2)}: `publish:` must be pull_request (a person reviews each change) or direct, not 'pull-request' (did you mean 'pull_request'?)",
            f"{line(3)}: `max_new:` must be a whole number from 1 to 100",
            f"{line(6)}: unknown component 'apii' (did you mean 'api'?) (known: api, web, dashboard, db)",
            f"{line(6)}: component status 'down' for db: an alert means one of under_maintenance, degraded_performance, partial_outage, major_outage",
            f"{line(7)}: `impact:` must be one of none, minor, major, critical, not 'maintenance'",
            f"{line(8)}: unknown rule key 'on_resolve' (did you mean 'on_resolved'?) (expected: id, match, components, impact, title, on_resolved, publish_monitor_text)",
            f"{line(9)}: `match:` severity: must be the label's text, not ['page']; this rule could never match",
            f"{line(10)}: component status 'operational' for db: an alert means one of under_maintenance, degraded_performance, partial_outage, major_outage",
            f"{line(11)}: `on_resolved:` must be monitoring (components back to operational; a person resolves) or resolved, not 'closed'",
            f"{line(14)}: this rule can never match: the rule on line {base + 12} takes every alert it would (rules are tried in order); put it first or remove it",
            f"{line(16)}: rule id 'c' is also the id of the rule on line {base + 12}; give one of them its own `id:` (incidents find their rule by it)",
        ]
    )
    result = site.run("alert", "--format", "json", "-", input="{}")
    assert result.exit_code == 1


def test_alert_needs_an_alerts_section(site_dir: SiteDir) -> None:
    result = site_dir.run("alert", "--format", "json", "-", input='{"alerts": []}')
    assert result.exit_code == 1 and "no `alerts:` section" in result.stderr


def readme_blocks(kind: str) -> list[str]:
    """The ```KIND blocks of the manual's page on alerts."""
    section = (Path(__file__).parent.parent / "docs" / "how-to" / "alerts.md").read_text(
        encoding="utf-8"
    )
    blocks: list[str] = []
    fence, lines = None, []  # the open block's info string, and its lines
    for line in section.split("\n"):
        if fence is None and line.startswith("```"):
            fence, lines = line[3:], []
        elif fence is not None and line == "```":
            if fence == kind:
                blocks.append("\n".join(lines) + "\n")
            fence = None
        elif fence is not None:
            lines.append(line)
    return blocks


def test_the_readme_examples_work(tmp_path: Path) -> None:
    (config,) = (b for b in readme_blocks("yaml") if b.startswith("# statuspage.yaml"))
    site = AlertSite(
        tmp_path / "s", CONFIG + config.split("\n", 1)[1]
    )  # without its `# statuspage.yaml`
    assert site.problems() == []
    (body,) = readme_blocks("json")
    result = site.alert("json", body.replace("CheckoutErrorRate", "x"))
    assert result.exit_code == 0 and "ignored json:login-check" in result.stderr
    kuma, uptimerobot = (b for b in readme_blocks("") if b.startswith('{"event_type"'))
    # Kuma's Custom Body, rendered as its Liquid `json` filter renders the fixture's values.
    sent = json.loads(fixture("uptime-kuma-down.json"))
    for name, value in {
        "heartbeatJSON": sent["heartbeat"],
        "monitorJSON": sent["monitor"],
        "msg": sent["msg"],
    }.items():
        kuma = kuma.replace(f"{{{{ {name} | json }}}}", json.dumps(value))
    dispatch = json.loads(kuma)
    assert (
        dispatch["event_type"] == "alert" and dispatch["client_payload"]["format"] == "uptime-kuma"
    )
    kuma_site = AlertSite(tmp_path / "k", KUMA_CONFIG)
    assert (
        kuma_site.alert("uptime-kuma", json.dumps(dispatch["client_payload"]["payload"])).exit_code
        == 0
    )
    assert kuma_site.load().incidents[0].alerts == ("rule:checkout", "uptime-kuma:7")
    uptimerobot = json.loads(uptimerobot)
    # UptimeRobot's template, with its variables filled in as it fills them.
    filled = json.dumps(uptimerobot["client_payload"]["payload"])
    for name, value in {"monitorID": "42", "alertTypeFriendlyName": "Down", "monitorFriendlyName": "Checkout",
                        "alertDateTime": "1796122800"}.items():  # fmt: skip
        filled = filled.replace(f"*{name}*", value)
    site = AlertSite(
        tmp_path / "r",
        CONFIG
        + "alerts:\n  rules:\n    - match: {monitor: Checkout}\n      components: {api: major_outage}\n",
    )
    assert site.alert("json", filled).exit_code == 0
    (incident,) = site.load().incidents
    assert (incident.title, incident.alerts) == (
        "Problems affecting Public API",
        ("rule:checkout", "json:uptimerobot-42"),
    )


def test_publish_defaults_to_pull_request(tmp_path: Path) -> None:
    site = AlertSite(tmp_path / "s", KUMA_CONFIG)
    result = site.run("setting", "alerts.publish")
    assert (result.exit_code, result.stdout) == (0, "pull_request\n")
