"""Layered fixtures: a site folder on disk -> a loaded Site -> a built output folder."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from statuspage.commands.main import cli
from statuspage.pipeline.build import build
from statuspage.pipeline.writer import write_site
from statuspage.source.site import load_site
from statuspage.source.times import parse_timestamp

if TYPE_CHECKING:
    from .support.notify_hooks import Hooks
    from .support.upstream_sites import Provider

REPO = Path(__file__).resolve().parent.parent

CONFIG = """\
title: Test Status
base_url: https://status.test.example/sub/
timezone: Europe/Berlin
components:
  - id: api
    name: Public API
    description: REST endpoints
  - group: Website
    id: website
    components:
      - {id: web, name: Marketing site}
      - {id: dashboard, name: Dashboard}
  - id: db
    name: Database
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class SiteDir:
    """A status site folder in tmp_path, with helpers to add files and build it."""

    def __init__(self, root: Path, config: str = CONFIG) -> None:
        self.root = root
        write(root / "statuspage.yaml", config)
        (root / "incidents").mkdir(exist_ok=True)

    def incident(self, name: str, text: str) -> Path:
        return write(self.root / "incidents" / name, text)

    def load(self):
        site, problems = load_site(self.root)
        assert site is not None, "\n".join(str(p) for p in problems.items)
        return site

    def problems(self) -> list[str]:
        _, problems = load_site(self.root)
        return [str(p) for p in problems.items]

    def build(self, now: str, out: Path | None = None) -> Path:
        site = self.load()
        out = out or self.root / "_site"
        write_site(build(site, at(now, site.config.timezone)), out, self.root)
        return out

    def run(self, *args: str, input: str | None = None):
        """Run `statuspage ARGS --source ROOT` in-process."""
        return CliRunner().invoke(
            cli, [*args, "--source", str(self.root)], input=input, catch_exceptions=False
        )


def at(text: str, zone=None) -> datetime:
    from zoneinfo import ZoneInfo

    return parse_timestamp(text, zone or ZoneInfo("Europe/Berlin"))


def parse_html(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def text_of(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(autouse=True, scope="session")
def cache_key_home(tmp_path_factory: pytest.TempPathFactory):
    """The build cache's key (pipeline/seal.py) lives in a folder of the test session, never
    in the real user's ~/.cache; CLI runs in subprocesses inherit it through the environment."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("xdg-cache")
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


def read_cache(path: Path):
    """A file of .statuspage-cache/ as the build reads it (None unless this machine sealed it)."""
    from statuspage.pipeline.seal import machine_secret, read_sealed

    return read_sealed(path, machine_secret(path.parent.parent))


def write_cache(path: Path, data) -> None:
    """Rewrite a file of .statuspage-cache/ sealed with this machine's key: what only someone
    who holds the key could do (it tests the checks behind the seal)."""
    from statuspage.pipeline.seal import machine_secret, write_sealed

    secret = machine_secret(path.parent.parent)
    assert secret is not None
    write_sealed(path, data, secret)


@pytest.fixture
def site_dir(tmp_path: Path) -> SiteDir:
    return SiteDir(tmp_path / "site")


EXAMPLE_INCIDENT = """\
---
title: Elevated error rates on the API
impact: major
components:
  api: partial_outage
  dashboard: degraded_performance
---

## Resolved · 2026-11-20 15:10 +01:00
The fix is deployed and error rates are back to normal.

## Monitoring · 2026-11-20 14:48 +01:00
Components: api=degraded_performance

Error rates are dropping.

## Investigating · 2026-11-20 14:02 +01:00
We are seeing **elevated** error rates on API requests.
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true",
        help="rewrite tests/golden/*/expected* from today's output (see tests/golden/README.md)",
    )  # fmt: skip


@pytest.fixture
def provider() -> Iterator[Provider]:
    """A provider's status API on 127.0.0.1 (test_upstream, test_upstream_maintenance)."""
    from .support.upstream_sites import Provider  # here: that module imports this one

    server = Provider()
    yield server
    server.close()


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    """A webhook receiver on 127.0.0.1 (test_notify, test_limits, test_write_gate)."""
    from .support.notify_hooks import Hooks  # here: that module imports this one

    server = Hooks()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """PATH with a `statuspage` that runs this checkout, as `pip install .` would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "statuspage"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m statuspage "$@"\n')
    shim.chmod(0o755)
    # A script, not a symlink: a symlink to a venv's python leaves the venv (no pyvenv.cfg there).
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", PYTHONPATH=str(REPO))
    env.pop("SOURCE_DATE_EPOCH", None)
    return env
