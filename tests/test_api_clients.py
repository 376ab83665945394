"""A real Statuspage client, unchanged, pointed at our built API.

statuspage-prometheus-exporter (PyPI) polls a page's summary.json and turns it into
Prometheus metrics. We serve a built site from 127.0.0.1 and run the exporter's own
console script once against it; the metrics it writes are what its users would see.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import SiteDir
from .support.api_sites import ACTIVE, ALL_CLEAR, IN_MAINTENANCE, UPCOMING, add_incidents
from .support.servers import serving

# Beside the running python first: a venv's scripts are not on PATH unless it is activated.
EXPORTER = shutil.which(
    "statuspage-prometheus-exporter", path=sysconfig.get_path("scripts")
) or shutil.which("statuspage-prometheus-exporter")
pytestmark = pytest.mark.skipif(
    EXPORTER is None, reason="statuspage-prometheus-exporter is not installed"
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1, and its base URL."""
    root = tmp_path / "www"
    root.mkdir()
    with serving(root) as url:
        yield root, url + "status"


def run_exporter(base_url: str, work: Path) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """One pass of the exporter (RUN_MODE=once) -> {(metric, labels): value}."""
    work.mkdir()
    (work / "services.json").write_text(
        json.dumps({"acme": {"url": f"{base_url}/api/v2/summary.json", "name": "Acme"}})
    )
    env = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper()}
    env.update(
        RUN_MODE="once",
        SERVICES_JSON_PATH=str(work / "services.json"),
        METRICS_TEXTFILE_PATH=str(work / "metrics.prom"),
        NO_PROXY="127.0.0.1",
    )
    done = subprocess.run(
        [str(EXPORTER)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    from prometheus_client.parser import (
        text_string_to_metric_families,  # installed with the exporter
    )

    metrics = {}
    for family in text_string_to_metric_families((work / "metrics.prom").read_text()):
        for sample in family.samples:
            metrics[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return metrics


def samples(metrics: dict, name: str) -> list[dict[str, str]]:
    return [
        dict(labels) | {"value": value}
        for (metric, labels), value in metrics.items()
        if metric == name
    ]


def listed(metrics: dict, name: str) -> list[dict[str, str]]:
    """The *_info entries it reports (value 1; with none, it writes a 0-valued "none" row)."""
    return [s for s in samples(metrics, name) if s["value"] == 1.0]


def publish(site: SiteDir, now: str, www: Path) -> None:
    shutil.rmtree(www / "status", ignore_errors=True)
    site.build(now, www / "status")


def test_exporter_reads_an_active_incident(
    site_dir: SiteDir, served: tuple[Path, str], tmp_path: Path
) -> None:
    www, base = served
    publish(add_incidents(site_dir), ACTIVE, www)
    metrics = run_exporter(base, tmp_path / "run")
    assert samples(metrics, "statuspage_probe_check") == [{"service_name": "Acme", "value": 1.0}]
    assert samples(metrics, "statuspage_service_status") == [{"service_name": "Acme", "value": 0.0}]
    [incident] = listed(metrics, "statuspage_incident_info")
    assert incident["incident_id"] == "2026-11-25-web"
    assert incident["incident_name"] == 'Slow "marketing" <site>'
    assert incident["impact"] == "minor"
    assert incident["shortlink"] == "https://status.test.example/sub/incidents/2026-11-25-web/"
    assert incident["affected_components"] == "Marketing site"
    components = {
        s["component_name"]: s["value"] for s in samples(metrics, "statuspage_component_status")
    }
    assert components == {
        "Public API": 1.0,
        "Website": 0.0,
        "Marketing site": 0.0,
        "Dashboard": 1.0,
        "Database": 1.0,
    }


@pytest.mark.parametrize(("now", "healthy", "maintenance"), [
    (UPCOMING, 1.0, "scheduled"),
    (IN_MAINTENANCE, 0.0, "in_progress"),  # our `maintenance` indicator is "not none" to it
    (ALL_CLEAR, 1.0, None),
])  # fmt: skip
def test_exporter_sees_maintenance_and_all_clear(
    site_dir: SiteDir,
    served: tuple[Path, str],
    tmp_path: Path,
    now: str,
    healthy: float,
    maintenance: str | None,
) -> None:
    www, base = served
    publish(add_incidents(site_dir), now, www)
    metrics = run_exporter(base, tmp_path / "run")
    assert samples(metrics, "statuspage_service_status") == [
        {"service_name": "Acme", "value": healthy}
    ]
    assert listed(metrics, "statuspage_incident_info") == []
    windows = listed(metrics, "statuspage_maintenance_info")
    if maintenance is None:
        assert windows == []
    else:
        [window] = windows
        assert window["maintenance_id"] == "2026-12-01-db-upgrade"
        assert window["scheduled_start"].startswith("2026-12-01T02:00:00")
        assert window["affected_components"] == "Database"
