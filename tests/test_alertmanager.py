"""A real Alertmanager (Debian's prometheus-alertmanager) sends its own webhook bodies,
firing and resolved, to a receiver on 127.0.0.1; `statuspage alert` turns them into one
incident, opened and closed exactly once. `statuspage relay` wraps them in GitHub's
dispatch for alert.yml (a receiver on 127.0.0.1 stands in for GitHub's API)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from statuspage.model import ComponentStatus, IncidentStatus
from statuspage.state import status as st

from .support.alert_sites import ALERT_CONFIG, AlertSite
from .support.servers import free_port, wait_until_up

BINARY = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="prometheus-alertmanager is not installed (.ci/run installs it)"
)


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps every POST (path, headers, body) and answers *code*."""

    def __init__(self, code: int = 200) -> None:
        requests: list[tuple[str, dict[str, str], bytes]] = []
        self.requests = requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                requests.append((self.path, dict(self.headers), body))
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def bodies(self) -> list[bytes]:
        return [body for _, _, body in self.requests]

    def wait_for(self, status: str, timeout: float = 60) -> bytes:
        """The first body kept whose group status is *status*."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in self.bodies:
                if json.loads(body)["status"] == status:
                    return body
            time.sleep(0.2)
        raise AssertionError(f"Alertmanager sent no {status} body in {timeout}s: {self.bodies!r}")


@contextmanager
def running_alertmanager(folder: Path, webhook: str, http_config: str = "") -> Iterator[str]:
    """A real Alertmanager sending each group to *webhook* within a second; yields its API."""
    port = free_port()
    config = folder / "alertmanager.yml"
    config.write_text(
        "global:\n  resolve_timeout: 5m\n"
        "route:\n  receiver: statuspage\n  group_by: [alertname]\n"
        "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\n"
        "receivers:\n  - name: statuspage\n    webhook_configs:\n"
        f"      - url: {webhook}\n        send_resolved: true\n{http_config}"
    )
    api = f"http://127.0.0.1:{port}/api/v2"
    # `with`: the stderr pipe is closed on the way out, not left to the garbage collector.
    with subprocess.Popen(
        [str(BINARY), f"--config.file={config}", f"--storage.path={folder / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    ) as process:  # fmt: skip
        try:
            wait_until_up(process, f"{api}/status")
            yield api
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture
def alertmanager(tmp_path: Path):
    receiver = Receiver()
    try:
        with running_alertmanager(tmp_path, receiver.url) as api:
            yield api, receiver
    finally:
        receiver.close()


def post_alerts(api: str, alerts: list[dict]) -> None:
    request = urllib.request.Request(
        f"{api}/alerts",
        data=json.dumps(alerts).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def run_alert(root: Path, body: bytes, now: datetime) -> subprocess.CompletedProcess[str]:
    """`python -m statuspage alert --format alertmanager -` with *body* on standard input."""
    return subprocess.run(
        [sys.executable, "-m", "statuspage", "alert", "--format", "alertmanager", "--source",
         str(root), "--now", now.isoformat()],
        input=body.decode(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_real_alertmanager_bodies_open_and_close_an_incident_exactly_once(
    tmp_path: Path, alertmanager: tuple[str, Receiver]
) -> None:
    api, receiver = alertmanager
    site = AlertSite(tmp_path / "site", ALERT_CONFIG)
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=3)
    alert = {
        "labels": {"alertname": "CheckoutErrorRate", "service": "checkout", "severity": "page"},
        "annotations": {
            "summary": "Checkout error rate above 5%",
            "description": "Payments fail for *some* customers.",
        },
        "startsAt": started.isoformat().replace("+00:00", "Z"),
    }
    post_alerts(api, [alert])
    firing = receiver.wait_for("firing")
    ended = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)
    post_alerts(api, [{**alert, "endsAt": ended.isoformat().replace("+00:00", "Z")}])
    resolved = receiver.wait_for("resolved")
    now = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)

    body = json.loads(firing)
    assert body["version"] == "4" and body["alerts"][0]["fingerprint"]
    key = "alertmanager:" + body["alerts"][0]["fingerprint"]

    opened = run_alert(site.root, firing, now)
    assert opened.returncode == 0, opened.stderr
    (path,) = (site.root / "incidents").glob("*.md")
    assert opened.stdout == f"{path}\n"
    before = path.read_bytes()
    again = run_alert(site.root, firing, now)
    assert (again.returncode, again.stdout) == (0, "")
    assert "nothing to do" in again.stderr and path.read_bytes() == before

    (incident,) = site.load().incidents
    assert incident.title == "Checkout is failing"
    assert incident.alerts == ("rule:checkout", key)
    assert incident.detected == started == incident.updates[0].at
    assert incident.updates[0].body == "We are investigating problems affecting Public API."
    assert (
        "said: Checkout error rate above 5% — Payments fail for *some* customers.\n"
        in path.read_text()
    )
    seen = site.view(now.isoformat())
    assert seen["components"]["Public API REST endpoints"] == "Major outage"
    assert seen["incidents"] == [("Checkout is failing", "investigating")]

    closed = run_alert(site.root, resolved, now)
    assert (closed.returncode, closed.stdout) == (0, f"{path}\n"), closed.stderr
    after = path.read_bytes()
    assert run_alert(site.root, resolved, now).stdout == "" and path.read_bytes() == after
    (incident,) = site.load().incidents
    assert [u.status for u in incident.updates] == [
        IncidentStatus.INVESTIGATING,
        IncidentStatus.MONITORING,
    ]
    assert incident.updates[-1].at == ended
    assert st.component_states(incident, now)["api"] is ComponentStatus.OPERATIONAL
    assert site.view(now.isoformat())["components"]["Public API REST endpoints"] == "Operational"
    assert subprocess.run([sys.executable, "-m", "statuspage", "check", "--source", str(site.root)],
                          capture_output=True, timeout=120).returncode == 0  # fmt: skip


def post(url: str, body: bytes, token: str | None) -> tuple[int, str]:
    headers = {
        "Content-Type": "application/json",
        **({"Authorization": f"Bearer {token}"} if token else {}),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode()


def test_relay_wraps_alertmanager_bodies_in_githubs_dispatch(tmp_path: Path) -> None:
    github = Receiver(204)  # GitHub's dispatch endpoint answers 204
    relay_port = free_port()
    env = {**os.environ, "GITHUB_TOKEN": "ghp-test", "STATUSPAGE_RELAY_TOKEN": "inbound-secret"}
    auth = "        http_config:\n          authorization: {type: Bearer, credentials: inbound-secret}\n"
    with subprocess.Popen(
        [sys.executable, "-m", "statuspage", "relay", "--repo", "octo/status", "--listen",
         f"127.0.0.1:{relay_port}", "--api-url", github.url.removesuffix("/hook")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    ) as relay:  # fmt: skip
        try:
            wait_until_up(relay, f"127.0.0.1:{relay_port}")
            with running_alertmanager(tmp_path, f"http://127.0.0.1:{relay_port}/", auth) as api:
                payload = relayed(api, github, f"http://127.0.0.1:{relay_port}/")
        finally:
            relay.terminate()
            relay.wait(timeout=30)
            github.close()
    # What alert.yml then does with it.
    site = AlertSite(tmp_path / "site", ALERT_CONFIG)
    done = run_alert(
        site.root, json.dumps(payload).encode(), datetime.now(UTC).replace(microsecond=0)
    )
    assert done.returncode == 0, done.stderr
    (incident,) = site.load().incidents
    assert incident.alerts[1] == "alertmanager:" + payload["alerts"][0]["fingerprint"]


def relayed(api: str, github: Receiver, relay_url: str) -> dict:
    """Refusals first, then one alert through Alertmanager and the relay: the payload GitHub got."""
    # Refused before GitHub sees them: no token, not a body of the format.
    assert post(relay_url, b"{}", None)[0] == 401
    code, said = post(relay_url, b"not json", "inbound-secret")
    assert code == 400 and "the payload is not JSON" in said
    assert github.requests == []

    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=2)
    post_alerts(
        api, [{"labels": {"alertname": "CheckoutErrorRate"}, "startsAt": started.isoformat()}]
    )
    deadline = time.monotonic() + 60
    while not github.requests:
        assert time.monotonic() < deadline, "the relay forwarded nothing in 60s"
        time.sleep(0.2)
    path, headers, body = github.requests[0]
    assert path == "/repos/octo/status/dispatches"
    assert headers["Authorization"] == "Bearer ghp-test"
    assert headers["Accept"] == "application/vnd.github+json"
    dispatch = json.loads(body)
    assert (
        dispatch["event_type"] == "alert" and dispatch["client_payload"]["format"] == "alertmanager"
    )
    payload = dispatch["client_payload"]["payload"]
    assert payload["version"] == "4" and payload["alerts"][0]["labels"] == {
        "alertname": "CheckoutErrorRate"
    }
    return payload


def test_a_real_group_of_500_alerts_opens_one_incident_and_closes_it(
    tmp_path: Path, alertmanager: tuple[str, Receiver]
) -> None:
    """Alertmanager sends the whole group in one body; the incident records what fits."""
    api, receiver = alertmanager
    site = AlertSite(tmp_path / "site", ALERT_CONFIG)
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=3)
    alerts = [
        {"labels": {"alertname": "CheckoutErrorRate", "instance": f"host-{i:03d}"},
         "startsAt": started.isoformat().replace("+00:00", "Z")}
        for i in range(500)
    ]  # fmt: skip
    post_alerts(api, alerts)
    deadline = time.monotonic() + 60
    while not any(len(json.loads(b)["alerts"]) == 500 for b in receiver.bodies):
        assert time.monotonic() < deadline, "Alertmanager sent no body of 500 alerts in 60s"
        time.sleep(0.2)
    firing = next(b for b in receiver.bodies if len(json.loads(b)["alerts"]) == 500)
    ended = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)
    post_alerts(api, [{**a, "endsAt": ended.isoformat().replace("+00:00", "Z")} for a in alerts])
    resolved = receiver.wait_for("resolved")
    now = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)

    opened = run_alert(site.root, firing, now)
    assert opened.returncode == 0, opened.stderr
    (path,) = (site.root / "incidents").glob("*.md")
    assert opened.stdout == f"{path}\n"
    (dropped,) = [line for line in opened.stderr.splitlines() if "not recorded" in line]
    assert dropped.startswith("401 more firing alert(s) of rule checkout not recorded")
    (incident,) = site.load().incidents
    assert (
        len(incident.alerts) == 100 and incident.updates[-1].status is IncidentStatus.INVESTIGATING
    )
    assert "alert: rule:checkout\n  said: '401 more firing alert(s)" in path.read_text()
    before = path.read_bytes()
    assert run_alert(site.root, firing, now).stdout == "" and path.read_bytes() == before

    closed = run_alert(site.root, resolved, now)
    assert (closed.returncode, closed.stdout) == (0, f"{path}\n"), closed.stderr
    (incident,) = site.load().incidents
    assert (
        incident.updates[-1].status is IncidentStatus.MONITORING
        and incident.updates[-1].at == ended
    )
    assert st.component_states(incident, now)["api"] is ComponentStatus.OPERATIONAL
