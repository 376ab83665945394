"""`statuspage notify` against real servers on 127.0.0.1: an HTTP server taking the
webhooks and aiosmtpd taking the mail, both started here. Nothing is mocked."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from statuspage.notify import run as run_module
from statuspage.notify.run import notify
from statuspage.notify.transport import RetryPolicy

from .conftest import CONFIG, SiteDir, at, write

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "statuspage/notify/payload.schema.json").read_text()
)
SECRET = "T0KEN-s3cr3t-xyz"
PASSWORD = "smtp-p4ssw0rd-xyz"

FIRST = """\
---
title: Elevated error rates on the API
components:
  api: partial_outage
---

## Investigating · 2026-11-20 14:02
We see **errors** <script>alert(1)</script> & <!channel> @everyone.
"""
SECOND = "\n## Identified · 2026-11-20 14:30\nComponents: api=degraded_performance\n\nA bad deploy; rolling back.\n"
THIRD = "\n## Resolved · 2026-11-20 15:10\nFixed.\n"
DB = """\
---
title: Database slow
components:
  db: degraded_performance
---

## Investigating · 2026-11-21 09:00
Queries are slow.
"""
MAINTENANCE = """\
---
title: Network maintenance
maintenance:
  start: 2026-11-25 02:00
  end: 2026-11-25 04:00
components: [web]
---

## Scheduled · 2026-11-22 10:00
We will replace a switch.
"""


# ---------------------------------------------------------------- servers


class Hooks:
    """Webhook receiver: records every request; answers each path from a script (default 200)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict]] = []
        self.scripts: dict[str, list[tuple[int, dict[str, str]]]] = {}
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hooks.requests.append((self.path, dict(self.headers), json.loads(body)))
                script = hooks.scripts.get(self.path.split("?")[0])
                code, headers = script.pop(0) if script else (200, {})
                self.send_response(code)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def to(self, path: str) -> list[dict]:
        return [body for p, _, body in self.requests if p.split("?")[0] == path]


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    server = Hooks()
    yield server
    server.server.shutdown()
    server.server.server_close()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.answers: list[str] = []  # scripted replies to DATA, then 250

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.answers:
            return self.answers.pop(0)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()

    def authenticate(server, session, envelope, mechanism, data) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"status",
            PASSWORD.encode(),
        )
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    port = free_port()
    controller = Controller(
        box, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False
    )
    controller.start()
    yield box, port
    controller.stop()


# ---------------------------------------------------------------- helpers


def site_with(root: Path, notify_yaml: str) -> SiteDir:
    site = SiteDir(root, CONFIG + notify_yaml)
    site.incident("2026-11-20-api-errors.md", FIRST)
    return site


def add(site: SiteDir, name: str, block: str) -> None:
    path = site.root / "incidents" / name
    path.write_text(path.read_text() + block)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def run(
    site: SiteDir,
    now: str,
    env: dict[str, str],
    *,
    backfill: bool = False,
    dry_run: bool = False,
    sleeps: Sleeps | None = None,
):
    loaded = site.load()
    endpoints = list(loaded.config.notify)
    return notify(
        loaded, endpoints, site.root / ".statuspage/notified.json", at(now),
        backfill=backfill, dry_run=dry_run, environ=env, sleep=sleeps if sleeps is not None else Sleeps(),
        policy=RetryPolicy(),
    )  # fmt: skip


def hook_yaml(*entries: str) -> str:
    return "notify:\n  webhooks:\n" + "".join(entries)


def state(site: SiteDir) -> dict:
    return json.loads((site.root / ".statuspage/notified.json").read_text())


# ---------------------------------------------------------------- exactly once


def test_first_run_marks_history_then_one_message_per_new_update(
    tmp_path: Path, hooks: Hooks
) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    env = {"HOOK": hooks.url}
    report = run(site, "2026-11-20 14:10", env)
    assert hooks.requests == [] and report.outcomes[0].first_run == 1  # history is not a flood
    add(site, "2026-11-20-api-errors.md", SECOND)
    run(site, "2026-11-20 14:40", env)
    assert [b["event"]["kind"] for b in hooks.to("/a")] == ["incident.updated"]
    run(site, "2026-11-20 14:41", env)
    assert len(hooks.requests) == 1  # nothing the second time
    add(site, "2026-11-20-api-errors.md", THIRD)
    site.incident("2026-11-21-db.md", DB)
    run(site, "2026-11-21 10:00", env)
    assert [b["event"]["kind"] for b in hooks.to("/a")] == [
        "incident.updated",
        "incident.resolved",
        "incident.created",
    ]
    saved = state(site)
    (record,) = saved["endpoints"].values()
    assert record["sent"] == sorted(record["sent"]) and len(record["sent"]) == 4
    assert (site.root / ".statuspage/notified.json").read_text() == json.dumps(
        saved, indent=2, sort_keys=True
    ) + "\n"


def test_future_updates_wait_for_their_time(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    env = {"HOOK": hooks.url}
    run(site, "2026-11-20 14:10", env)
    add(site, "2026-11-20-api-errors.md", SECOND)
    run(site, "2026-11-20 14:20", env)  # the update is dated 14:30
    assert hooks.requests == []
    run(site, "2026-11-20 14:30", env)
    assert len(hooks.to("/a")) == 1


def test_backfill_sends_history_to_a_new_endpoint(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    add(site, "2026-11-20-api-errors.md", SECOND)
    run(site, "2026-11-21 10:00", {"HOOK": hooks.url}, backfill=True)
    assert [b["event"]["kind"] for b in hooks.to("/a")] == ["incident.created", "incident.updated"]


def test_new_endpoint_added_later_starts_from_now(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    env = {"HOOK": hooks.url}
    run(site, "2026-11-20 14:10", env)
    write(
        site.root / "statuspage.yaml",
        CONFIG
        + hook_yaml(
            "    - {url: '${HOOK}/a', format: json}\n", "    - {url: '${HOOK}/b', format: json}\n"
        ),
    )
    add(site, "2026-11-20-api-errors.md", SECOND)
    run(site, "2026-11-20 14:40", env)
    assert (
        len(hooks.to("/a")) == 1 and hooks.to("/b") == []
    )  # /b is new: the update counts as history
    add(site, "2026-11-20-api-errors.md", THIRD)
    run(site, "2026-11-20 15:20", env)
    assert len(hooks.to("/a")) == 2 and len(hooks.to("/b")) == 1


# ---------------------------------------------------------------- payloads


def backfilled(tmp_path: Path, hooks: Hooks, fmt: str) -> list[dict]:
    site = site_with(tmp_path, hook_yaml(f"    - {{url: '${{HOOK}}/{fmt}', format: {fmt}}}\n"))
    add(site, "2026-11-20-api-errors.md", SECOND)
    run(site, "2026-11-20 15:00", {"HOOK": hooks.url}, backfill=True)
    bodies = hooks.to(f"/{fmt}")
    assert len(bodies) == 2
    return bodies


INCIDENT_URL = "https://status.test.example/sub/incidents/2026-11-20-api-errors/"


def test_json_payload_is_documented(tmp_path: Path, hooks: Hooks) -> None:
    first, second = backfilled(tmp_path, hooks, "json")
    for body in (first, second):
        jsonschema.validate(body, SCHEMA)
    assert first["event"]["kind"] == "incident.created"
    assert first["incident"] | {"maintenance": None} == {
        "id": "2026-11-20-api-errors", "title": "Elevated error rates on the API", "status": "investigating",
        "impact": "major", "url": INCIDENT_URL, "maintenance": None,
    }  # fmt: skip
    assert first["update"]["url"] == INCIDENT_URL + "#update-20261120t130200z"
    assert (
        "<script>" not in first["update"]["html"]
        and "<strong>errors</strong>" in first["update"]["html"]
    )
    assert first["update"]["text"].startswith("We see errors")
    assert second["incident"]["status"] == "identified"
    assert second["components"] == [
        {"id": "api", "name": "Public API", "status": "degraded_performance"}
    ]
    assert second["event"]["at"] == "2026-11-20T14:30:00+01:00"


def test_slack_payload(tmp_path: Path, hooks: Hooks) -> None:
    body = backfilled(tmp_path, hooks, "slack")[0]
    assert body["text"].startswith("Investigating: Elevated error rates on the API")
    header, section, context = body["blocks"]
    assert header == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "Investigating: Elevated error rates on the API",
            "emoji": False,
        },
    }
    assert section["text"]["type"] == "mrkdwn"
    assert "&lt;!channel&gt;" in section["text"]["text"] and "<!channel>" not in json.dumps(
        body
    )  # no pings from incident text
    assert f"<{INCIDENT_URL}#update-20261120t130200z|" in context["elements"][0]["text"]


def test_discord_payload(tmp_path: Path, hooks: Hooks) -> None:
    body = backfilled(tmp_path, hooks, "discord")[1]
    (embed,) = body["embeds"]
    assert body["allowed_mentions"] == {"parse": []}  # @everyone in the text pings no one
    assert embed["title"] == "Elevated error rates on the API"
    assert embed["url"] == INCIDENT_URL + "#update-20261120t133000z"
    assert (
        "A bad deploy" in embed["description"] and embed["timestamp"] == "2026-11-20T14:30:00+01:00"
    )
    assert isinstance(embed["color"], int)


def test_teams_payload(tmp_path: Path, hooks: Hooks) -> None:
    body = backfilled(tmp_path, hooks, "teams")[0]
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["body"][0]["text"] == "Investigating: Elevated error rates on the API"
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "View on the status page",
            "url": INCIDENT_URL + "#update-20261120t130200z",
        }
    ]


def test_headers_are_sent_with_substituted_values(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(
        tmp_path,
        hook_yaml("    - url: '${HOOK}/h'\n      headers: {Authorization: 'Bearer ${TOKEN}'}\n"),
    )
    run(site, "2026-11-20 15:00", {"HOOK": hooks.url, "TOKEN": SECRET}, backfill=True)
    ((_, headers, _),) = hooks.requests
    assert headers["Authorization"] == f"Bearer {SECRET}" and headers["Content-Type"].startswith(
        "application/json"
    )
    assert SECRET not in (site.root / ".statuspage/notified.json").read_text()


def test_maintenance_announced_started_completed(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/m', format: json}\n"))
    site.incident("2026-11-25-network.md", MAINTENANCE)
    env = {"HOOK": hooks.url}
    run(site, "2026-11-20 14:10", env)
    for now in (
        "2026-11-22 10:05",
        "2026-11-25 01:59",
        "2026-11-25 02:00",
        "2026-11-25 03:00",
        "2026-11-25 04:00",
        "2026-11-26 00:00",
    ):
        run(site, now, env)
    kinds = [
        (b["event"]["kind"], b["incident"]["status"], b["update"]["automatic"])
        for b in hooks.to("/m")
    ]
    assert kinds == [
        ("maintenance.scheduled", "scheduled", False),
        ("maintenance.started", "in_progress", True),
        ("maintenance.completed", "completed", True),
    ]
    started = hooks.to("/m")[1]
    assert started["update"]["text"] == "The scheduled maintenance window has started."
    assert started["components"] == [
        {"id": "web", "name": "Marketing site", "status": "under_maintenance"}
    ]
    assert started["incident"]["maintenance"] == {
        "start": "2026-11-25T02:00:00+01:00",
        "end": "2026-11-25T04:00:00+01:00",
    }


# ---------------------------------------------------------------- filters


def test_component_filters_and_groups(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml(
        "    - {url: '${HOOK}/db', format: json, components: [db]}\n",
        "    - {url: '${HOOK}/web', format: json, components: [website]}\n",
        "    - {url: '${HOOK}/all', format: json}\n",
    ))  # fmt: skip
    env = {"HOOK": hooks.url}
    run(site, "2026-11-20 14:10", env)
    site.incident("2026-11-21-db.md", DB)
    site.incident("2026-11-25-network.md", MAINTENANCE)
    add(site, "2026-11-20-api-errors.md", SECOND)
    report = run(site, "2026-11-22 11:00", env)
    assert [b["incident"]["id"] for b in hooks.to("/db")] == ["2026-11-21-db"]
    assert [b["incident"]["id"] for b in hooks.to("/web")] == [
        "2026-11-25-network"
    ]  # the group holds `web`
    assert len(hooks.to("/all")) == 3
    assert [o.filtered for o in report.outcomes] == [2, 2, 0]
    run(site, "2026-11-22 11:05", env)
    assert len(hooks.requests) == 5  # filtered events count as handled: nothing more


URGENT = """\
---
title: Database down
urgency: high
components:
  db: major_outage
---

## Investigating · 2026-11-21 10:00
The database is down.
"""


def test_min_priority_keeps_only_the_more_urgent_incidents(tmp_path: Path, hooks: Hooks) -> None:
    """Priorities: the API errors are major x medium = P3, the slow database minor x medium = P4,
    the outage critical x high = P1; maintenance has no priority and never passes the filter."""
    site = site_with(tmp_path, hook_yaml(
        "    - {url: '${HOOK}/p3', format: json, min_priority: P3}\n",
        "    - {url: '${HOOK}/p1', format: json, min_priority: p1}\n",
        "    - {url: '${HOOK}/all', format: json}\n",
    ))  # fmt: skip
    env = {"HOOK": hooks.url}
    run(site, "2026-11-20 14:10", env)
    site.incident("2026-11-21-db.md", DB)
    site.incident("2026-11-21-down.md", URGENT)
    site.incident("2026-11-25-network.md", MAINTENANCE)
    add(site, "2026-11-20-api-errors.md", SECOND)
    report = run(site, "2026-11-22 11:00", env)
    assert [b["incident"]["id"] for b in hooks.to("/p3")] == [
        "2026-11-20-api-errors",
        "2026-11-21-down",
    ]
    assert [b["incident"]["id"] for b in hooks.to("/p1")] == ["2026-11-21-down"]
    assert len(hooks.to("/all")) == 4
    assert [o.filtered for o in report.outcomes] == [2, 3, 0]


def test_a_bad_min_priority_says_what_to_write(site_dir: SiteDir) -> None:
    write(
        site_dir.root / "statuspage.yaml",
        CONFIG + hook_yaml("    - {url: '${HOOK}', format: json, min_priority: urgent}\n"),
    )
    result = site_dir.run("check")
    assert result.exit_code == 1
    assert (
        "`min_priority:` 'urgent' must be a priority from P1 (most urgent) to P5" in result.output
    ), result.output


# ---------------------------------------------------------------- failures


def test_5xx_is_retried_then_delivered_once(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    hooks.scripts["/a"] = [(500, {}), (503, {})]
    sleeps = Sleeps()
    report = run(site, "2026-11-20 15:00", {"HOOK": hooks.url}, backfill=True, sleeps=sleeps)
    assert report.failed == [] and len(hooks.to("/a")) == 3  # two failures, one success
    assert sleeps == [0.5, 1.0]  # bounded exponential backoff
    run(site, "2026-11-20 15:01", {"HOOK": hooks.url})
    assert len(hooks.to("/a")) == 3


def test_429_honours_retry_after_within_the_cap(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    hooks.scripts["/a"] = [(429, {"Retry-After": "3"})]
    sleeps = Sleeps()
    report = run(site, "2026-11-20 15:00", {"HOOK": hooks.url}, backfill=True, sleeps=sleeps)
    assert report.failed == [] and sleeps == [3.0] and len(hooks.to("/a")) == 2


def test_long_retry_after_defers_to_the_next_run(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    add(site, "2026-11-20-api-errors.md", SECOND)
    hooks.scripts["/a"] = [(429, {"Retry-After": "600"})]
    sleeps = Sleeps()
    report = run(site, "2026-11-20 15:00", {"HOOK": hooks.url}, backfill=True, sleeps=sleeps)
    (failed,) = report.failed
    assert (
        sleeps == []
        and "HTTP 429" in failed.error
        and "next run" in failed.error
        and failed.pending == 2
    )
    assert len(hooks.to("/a")) == 1  # stopped: the second message waits, order is kept
    run(site, "2026-11-20 15:05", {"HOOK": hooks.url}, sleeps=sleeps)
    assert [b["event"]["kind"] for b in hooks.to("/a")] == [
        "incident.created",
        "incident.created",
        "incident.updated",
    ]


def test_failing_endpoint_stops_and_the_others_are_served(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml(
        "    - {url: '${HOOK}/down', format: json}\n",
        "    - {url: '${HOOK}/up', format: slack}\n",
    ))  # fmt: skip
    env = {"HOOK": hooks.url}
    run(site, "2026-11-20 14:10", env)
    add(site, "2026-11-20-api-errors.md", SECOND + THIRD)
    hooks.scripts["/down"] = [(502, {})] * 4
    sleeps = Sleeps()
    report = run(site, "2026-11-20 16:00", env, sleeps=sleeps)
    assert [o.error is not None for o in report.outcomes] == [True, False]
    assert (
        "HTTP 502" in report.outcomes[0].error
        and "gave up after 4 attempts" in report.outcomes[0].error
    )
    assert sleeps == [0.5, 1.0, 2.0]
    assert (
        len(hooks.to("/down")) == 4 and len(hooks.to("/up")) == 2
    )  # the 2nd message to /down was never tried
    run(site, "2026-11-20 16:05", env)  # retried next run, to that endpoint only, in order
    assert [b["event"]["kind"] for b in hooks.to("/down")[4:]] == [
        "incident.updated",
        "incident.resolved",
    ]
    assert len(hooks.to("/up")) == 2


def test_network_error_is_reported_without_secrets(
    tmp_path: Path, hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = free_port()  # nothing listens there
    site = site_with(tmp_path, hook_yaml(
        "    - {url: '${DEAD}', format: slack}\n",
        "    - {url: '${HOOK}/up', format: json}\n",
    ))  # fmt: skip
    monkeypatch.setenv("DEAD", f"http://127.0.0.1:{closed}/services/{SECRET}")
    monkeypatch.setenv("HOOK", hooks.url)
    site.run("notify", "--now", "2026-11-20 14:10")
    add(site, "2026-11-20-api-errors.md", SECOND)
    monkeypatch.setattr(
        run_module, "DEFAULT_POLICY", RetryPolicy(first_delay=0.01)
    )  # quick; the schedule is tested above
    result = site.run("notify", "--now", "2026-11-20 15:00")
    assert result.exit_code == 1
    assert "statuspage.yaml:" in result.stderr and "slack webhook #1 (${DEAD})" in result.stderr
    assert "network error" in result.stderr and "1 of 2 endpoints failed" in result.stderr
    assert len(hooks.to("/up")) == 1
    everything = result.output + (site.root / ".statuspage/notified.json").read_text()
    assert SECRET not in everything and "services" not in everything


def test_unset_variable_fails_only_its_endpoint(
    tmp_path: Path, hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with(tmp_path, hook_yaml(
        "    - {url: '${NOT_SET_HOOK}', format: discord}\n",
        "    - {url: '${HOOK}/up', format: json}\n",
    ))  # fmt: skip
    monkeypatch.delenv("NOT_SET_HOOK", raising=False)
    monkeypatch.setenv("HOOK", hooks.url)
    assert (
        site.run("notify", "--now", "2026-11-20 14:10").exit_code == 0
    )  # first run: nothing to send yet
    add(site, "2026-11-20-api-errors.md", SECOND)
    result = site.run("notify", "--now", "2026-11-20 15:00")
    assert result.exit_code == 1
    assert "${NOT_SET_HOOK} not set" in result.stderr and "discord webhook #1" in result.stderr
    assert len(hooks.to("/up")) == 1
    monkeypatch.setenv("NOT_SET_HOOK", hooks.url + "/late")
    assert site.run("notify", "--now", "2026-11-20 15:01").exit_code == 0
    assert len(hooks.to("/late")) == 1 and len(hooks.to("/up")) == 1


def test_client_error_is_not_retried(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/gone', format: slack}\n"))
    hooks.scripts["/gone"] = [(404, {})]
    sleeps = Sleeps()
    report = run(site, "2026-11-20 15:00", {"HOOK": hooks.url}, backfill=True, sleeps=sleeps)
    assert sleeps == [] and "HTTP 404" in report.failed[0].error and len(hooks.requests) == 1


# ---------------------------------------------------------------- email


def mail_yaml(port: int, extra: str = "") -> str:
    return f"""\
notify:
  email:
    smtp:
      host: 127.0.0.1
      port: {port}
      starttls: false
      username: ${{SMTP_USER}}
      password: ${{SMTP_PASSWORD}}
    from: "Test Status <status@test.example>"
    to: [customers@lists.test.example, ops@test.example]
{extra}"""


def test_email_is_multipart_threaded_and_stable(tmp_path: Path, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    site = site_with(
        tmp_path, mail_yaml(port, "    unsubscribe: https://lists.test.example/unsubscribe\n")
    )
    env = {"SMTP_USER": "status", "SMTP_PASSWORD": PASSWORD}
    add(site, "2026-11-20-api-errors.md", SECOND)
    report = run(site, "2026-11-20 15:00", env, backfill=True)
    assert report.failed == []
    assert [rcpts for rcpts, _ in box.messages] == [
        ["customers@lists.test.example", "ops@test.example"]
    ] * 2
    first, second = (m for _, m in box.messages)
    assert first["Subject"] == "Investigating: Elevated error rates on the API"
    assert first["From"] == "Test Status <status@test.example>"
    assert first.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in first.iter_parts()] == ["text/plain", "text/html"]
    assert first["List-Unsubscribe"] == "<https://lists.test.example/unsubscribe>"
    assert first["List-Id"] == "Test Status <status.test.example>"
    first_id = first["Message-ID"].strip()  # long headers are folded; the id is the token
    assert first_id == "<2026-11-20-api-errors.20261120t130200z@status.test.example>"
    assert first["In-Reply-To"] is None
    assert second["In-Reply-To"].strip() == second["References"].strip() == first_id
    plain = first.get_body(("plain",)).get_content()
    html = first.get_body(("html",)).get_content()
    assert "We see errors" in plain and INCIDENT_URL + "#update-20261120t130200z" in plain
    assert (
        "<strong>errors</strong>" in html
        and "<script>" not in html
        and f'href="{INCIDENT_URL}' in html
    )
    assert "Unsubscribe" in html and "https://lists.test.example/unsubscribe" in plain
    # Stable: the same update gets the same Message-ID on another machine's run.
    (site.root / ".statuspage/notified.json").unlink()
    run(site, "2026-11-20 15:00", env, backfill=True)
    assert [m["Message-ID"] for _, m in box.messages[2:]] == [
        first["Message-ID"],
        second["Message-ID"],
    ]
    assert first["Message-ID"] != second["Message-ID"]


def test_email_default_unsubscribe_and_smtp_retry(
    tmp_path: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    site = site_with(tmp_path, mail_yaml(port))
    box.answers = ["451 4.3.0 try again later"]
    sleeps = Sleeps()
    report = run(
        site,
        "2026-11-20 15:00",
        {"SMTP_USER": "status", "SMTP_PASSWORD": PASSWORD},
        backfill=True,
        sleeps=sleeps,
    )
    assert report.failed == [] and sleeps == [0.5] and len(box.messages) == 1
    assert (
        box.messages[0][1]["List-Unsubscribe"] == "<mailto:status@test.example?subject=unsubscribe>"
    )


def test_email_wrong_password_fails_without_showing_it(
    tmp_path: Path, smtp: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = smtp
    site = site_with(tmp_path, mail_yaml(port))
    monkeypatch.setenv("SMTP_USER", "status")
    monkeypatch.setenv("SMTP_PASSWORD", "wrong-" + PASSWORD)
    result = site.run("notify", "--now", "2026-11-20 15:00", "--backfill")
    assert result.exit_code == 1 and "SMTP login failed" in result.stderr and box.messages == []
    assert PASSWORD not in result.output + (site.root / ".statuspage/notified.json").read_text()


def test_starttls_required_by_default(tmp_path: Path, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    config = (
        mail_yaml(port)
        .replace("      starttls: false\n", "")
        .replace("      username: ${SMTP_USER}\n      password: ${SMTP_PASSWORD}\n", "")
    )
    site = site_with(tmp_path, config)
    report = run(site, "2026-11-20 15:00", {}, backfill=True)
    assert "does not offer STARTTLS" in report.failed[0].error and box.messages == []


# ---------------------------------------------------------------- CLI, check, templates


def test_dry_run_prints_and_writes_nothing(
    tmp_path: Path, hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: slack}\n"))
    monkeypatch.delenv("HOOK", raising=False)
    result = site.run("notify", "--now", "2026-11-20 15:00", "--dry-run", "--backfill")
    assert result.exit_code == 0
    assert (
        "would send incident.created 2026-11-20-api-errors#update-20261120t130200z" in result.stdout
    )
    assert "Investigating: Elevated error rates on the API" in result.stdout
    assert "${HOOK} not set here" in result.stdout
    assert hooks.requests == [] and not (site.root / ".statuspage").exists()
    first = site.run("notify", "--now", "2026-11-20 15:00", "--dry-run")
    assert "1 past update would be marked as sent" in first.stdout


def test_check_locates_config_errors(site_dir: SiteDir) -> None:
    write(
        site_dir.root / "statuspage.yaml",
        CONFIG
        + """\
notify:
  webhooks:
    - url: ${HOOK}
      format: slak
      components: [apii]
  email:
    smtp: {host: smtp.test.example, ssl: true, starttls: true}
    from: not an address
    to: []
""",
    )
    result = site_dir.run("check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for expected in (
        "statuspage.yaml:18: unknown webhook format 'slak' (did you mean 'slack'?)",
        "statuspage.yaml:19: unknown component 'apii' (did you mean 'api'?)",
        "statuspage.yaml:21: choose one of `starttls: true`",
        "statuspage.yaml:22: `from:` 'not an address' is not an email address",
        "statuspage.yaml:23: `to:` is required",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)


def test_check_warns_about_unset_variables_and_build_needs_none(
    site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        site_dir.root / "statuspage.yaml",
        CONFIG + hook_yaml("    - {url: '${SLACK_URL_FOR_TEST}', format: slack}\n"),
    )
    site_dir.incident("2026-11-20-api-errors.md", FIRST)
    monkeypatch.delenv("SLACK_URL_FOR_TEST", raising=False)
    result = site_dir.run("check")
    assert result.exit_code == 0
    assert (
        "statuspage.yaml:17: warning: slack webhook #1 (${SLACK_URL_FOR_TEST}): ${SLACK_URL_FOR_TEST} not set here"
        in result.output
    )
    built = site_dir.run("build", "--now", "2026-11-20 15:00")
    assert built.exit_code == 0 and "SLACK_URL_FOR_TEST" not in built.output


def test_literal_chat_url_is_warned_about(site_dir: SiteDir) -> None:
    write(
        site_dir.root / "statuspage.yaml",
        CONFIG
        + hook_yaml("    - {url: 'https://hooks.slack.com/services/T/B/X', format: slack}\n"),
    )
    result = site_dir.run("check")
    assert (
        result.exit_code == 0
        and "statuspage.yaml:17: warning: this slack webhook URL is a secret" in result.output
    )


def test_templates_are_overridable(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    write(
        site.root / "site-templates/notify/subject.txt",
        "[{{ config.title }}] {% include 'default/notify/subject.txt' %}",
    )
    write(
        site.root / "site-templates/notify/message.txt",
        "{% if true %}R&D says: {{ body_text }}{% endif %}",
    )
    run(site, "2026-11-20 15:00", {"HOOK": hooks.url}, backfill=True)
    assert (
        hooks.to("/a")[0]["subject"]
        == "[Test Status] Investigating: Elevated error rates on the API"
    )
    text = hooks.to("/a")[0]["text"]
    assert (
        text.startswith("R&D says: We see errors") and "& <!channel>" in text
    )  # .txt is not HTML-escaped


def test_no_endpoints(site_dir: SiteDir) -> None:
    result = site_dir.run("notify")
    assert result.exit_code == 0 and "No notification endpoints" in result.output


def test_damaged_state_file_is_refused_not_overwritten(
    tmp_path: Path, hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    monkeypatch.setenv("HOOK", hooks.url)
    write(site.root / ".statuspage/notified.json", "<<<<<<< HEAD\n")
    result = site.run("notify", "--now", "2026-11-20 15:00")
    assert result.exit_code == 1 and "not a notification state file" in result.stderr
    assert (
        hooks.requests == []
        and (site.root / ".statuspage/notified.json").read_text() == "<<<<<<< HEAD\n"
    )


def test_published_postmortem_is_announced_once(tmp_path: Path, hooks: Hooks) -> None:
    site = site_with(tmp_path, hook_yaml("    - {url: '${HOOK}/a', format: json}\n"))
    env = {"HOOK": hooks.url}
    add(site, "2026-11-20-api-errors.md", SECOND + THIRD)
    run(site, "2026-11-21 10:00", env)  # first run: history is marked as sent
    write(
        site.root / "incidents" / "2026-11-20-api-errors.postmortem.md",
        "---\npublished: 2026-11-24 17:30\n---\n\n## What happened\n\nThe pool shrank.\n",
    )
    run(site, "2026-11-24 17:00", env)
    assert hooks.requests == []  # not published yet
    run(site, "2026-11-24 18:00", env)
    run(site, "2026-11-24 19:00", env)
    (body,) = hooks.to("/a")
    assert body["event"]["kind"] == "postmortem.published"
    jsonschema.validate(body, SCHEMA)
