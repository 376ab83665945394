"""A real Alertmanager (Debian's prometheus-alertmanager) sends its own webhook bodies,
firing and resolved, to a receiver on 127.0.0.1; `statuspage alert` turns them into one
incident, opened and closed exactly once. `statuspage relay` wraps them in GitHub's
dispatch for alert.yml (a receiver on 127.0.0.1 stands in for GitHub's API)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from statuspage.model import ComponentStatus, IncidentStatus
from statuspage.state import status as st

from .test_alerts import ALERT_CONFIG, AlertSite

BINARY = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="prometheus-alertmanager is not installed (.ci/run installs it)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """An HTTP server that keeps every body POSTed to it."""

    def __init__(self) -> None:
        bodies: list[bytes] = []
        self.bodies = bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, status: str, timeout: float = 60) -> bytes:
        """The first body kept whose group status is *status*."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in self.bodies:
                if json.loads(body)["status"] == status:
                    return body
            time.sleep(0.2)
        raise AssertionError(f"Alertmanager sent no {status} body in {timeout}s: {self.bodies!r}")


@pytest.fixture
def alertmanager(tmp_path: Path):
    receiver = Receiver()
    port = free_port()
    config = tmp_path / "alertmanager.yml"
    config.write_text(
        "global:\n  resolve_timeout: 5m\n"
        "route:\n  receiver: statuspage\n  group_by: [alertname]\n"
        "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\n"
        "receivers:\n  - name: statuspage\n    webhook_configs:\n"
        f"      - url: {receiver.url}\n        send_resolved: true\n"
    )
    process = subprocess.Popen(
        [
            str(BINARY),
            f"--config.file={config}",
            f"--storage.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    api = f"http://127.0.0.1:{port}/api/v2"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{api}/status", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "Alertmanager did not start in 30s"
                time.sleep(0.2)
        yield api, receiver
    finally:
        process.terminate()
        process.wait(timeout=30)
        receiver.server.shutdown()


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
    assert incident.updates[0].body == "Payments fail for *some* customers."
    seen = site.view(now.isoformat())
    assert seen["components"]["Public API REST endpoints"] == "Major outage"
    assert seen["incidents"] == [("Checkout is failing", "investigating")]

    closed = run_alert(site.root, resolved, now)
    assert (closed.returncode, closed.stdout) == (0, f"{path}\n"), closed.stderr
    after = path.read_bytes()
    assert run_alert(site.root, resolved, now).stdout == "" and path.read_bytes() == after
    (incident,) = site.load().incidents
    assert [u.status for u in incident.updates] == [IncidentStatus.INVESTIGATING, IncidentStatus.MONITORING]
    assert incident.updates[-1].at == ended
    assert st.component_states(incident, now)["api"] is ComponentStatus.OPERATIONAL
    assert site.view(now.isoformat())["components"]["Public API REST endpoints"] == "Operational"
    assert subprocess.run([sys.executable, "-m", "statuspage", "check", "--source", str(site.root)],
                          capture_output=True, timeout=120).returncode == 0  # fmt: skip


class GitHub(Receiver):
    """Stands in for api.github.com's dispatch endpoint: keeps each request, answers 204."""

    def __init__(self) -> None:
        requests: list[tuple[str, dict[str, str], bytes]] = []
        self.requests = requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                requests.append((self.path, dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def post(url: str, body: bytes, token: str | None) -> tuple[int, str]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_relay_wraps_alertmanager_bodies_in_githubs_dispatch(tmp_path: Path) -> None:
    github = GitHub()
    relay_port, am_port = free_port(), free_port()
    env = {**os.environ, "GITHUB_TOKEN": "ghp-test", "STATUSPAGE_RELAY_TOKEN": "inbound-secret"}
    relay = subprocess.Popen(
        [sys.executable, "-m", "statuspage", "relay", "--repo", "octo/status", "--listen",
         f"127.0.0.1:{relay_port}", "--api-url", github.url],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    config = tmp_path / "alertmanager.yml"
    config.write_text(
        "route:\n  receiver: relay\n  group_by: [alertname]\n"
        "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\n"
        "receivers:\n  - name: relay\n    webhook_configs:\n"
        f"      - url: http://127.0.0.1:{relay_port}/\n        send_resolved: true\n"
        "        http_config:\n          authorization: {type: Bearer, credentials: inbound-secret}\n"
    )
    manager = subprocess.Popen(
        [str(BINARY), f"--config.file={config}", f"--storage.path={tmp_path / 'data'}",
         f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    api = f"http://127.0.0.1:{am_port}/api/v2"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{api}/status", timeout=2).close()
                socket.create_connection(("127.0.0.1", relay_port), timeout=2).close()
                break
            except OSError:
                assert relay.poll() is None, relay.stderr.read() if relay.stderr else ""
                assert time.monotonic() < deadline, "Alertmanager or the relay did not start in 30s"
                time.sleep(0.2)
        relay_url = f"http://127.0.0.1:{relay_port}/"
        # Refused before GitHub sees them: no token, not a body of the format.
        assert post(relay_url, b"{}", None)[0] == 401
        code, said = post(relay_url, b"not json", "inbound-secret")
        assert code == 400 and "the payload is not JSON" in said
        assert github.requests == []

        started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=2)
        post_alerts(api, [{"labels": {"alertname": "CheckoutErrorRate"}, "startsAt": started.isoformat()}])
        deadline = time.monotonic() + 60
        while not github.requests:
            assert time.monotonic() < deadline, "the relay forwarded nothing in 60s"
            time.sleep(0.2)
        path, headers, body = github.requests[0]
        assert path == "/repos/octo/status/dispatches"
        assert headers["Authorization"] == "Bearer ghp-test"
        assert headers["Accept"] == "application/vnd.github+json"
        dispatch = json.loads(body)
        assert dispatch["event_type"] == "alert" and dispatch["client_payload"]["format"] == "alertmanager"
        payload = dispatch["client_payload"]["payload"]
        assert payload["version"] == "4" and payload["alerts"][0]["labels"] == {"alertname": "CheckoutErrorRate"}
    finally:
        manager.terminate()
        relay.terminate()
        manager.wait(timeout=30)
        relay.wait(timeout=30)
        github.server.shutdown()
    # What alert.yml then does with it.
    site = AlertSite(tmp_path / "site", ALERT_CONFIG)
    done = run_alert(site.root, json.dumps(payload).encode(), datetime.now(UTC).replace(microsecond=0))
    assert done.returncode == 0, done.stderr
    (incident,) = site.load().incidents
    assert incident.updates[0].at == started
