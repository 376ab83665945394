"""Nothing is cut off or scrolled out of view at 1280 and 390 px, even with the Jenkins
history imported (92 components, 297 incidents): no visible element reaches past either
side of the viewport, and a phone never has to zoom out to fit the page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage.commands.main import cli

from ..test_import_cstate import CORPUS, corpus_only
from .conftest import QuietHandler, run_browser_check

pytestmark = [pytest.mark.browser, corpus_only]


@pytest.fixture(scope="module")
def jenkins_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The Jenkins corpus imported with `statuspage import cstate`, built, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("jenkins")
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", "cstate", str(CORPUS), "--into", str(root / "src"), "--now", "2026-06-10 00:00 UTC"])
    assert imported.exit_code == 0, imported.output
    built = runner.invoke(cli, ["build", "--source", str(root / "src"), "--out", str(root / "site"), "--now", "2026-07-01T00:00:00+00:00"])
    assert built.exit_code == 0, built.output
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root / "site"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_no_element_overflows_the_viewport(jenkins_site: tuple[str, Path]) -> None:
    base, site = jenkins_site
    components = sorted(p.parent.name for p in site.glob("components/*/index.html"))
    assert len(components) > 90
    # The pages the issue measured, and the component pages with the longest names and the most incidents.
    busiest = sorted(components, key=lambda c: -(site / "components" / c / "index.html").stat().st_size)[:6]
    longest = sorted(components, key=len, reverse=True)[:4]
    incident = sorted(p.parent.name for p in site.glob("incidents/*/index.html"))[-1]
    paths = ["index.html", "history/", "history/2/", f"incidents/{incident}/",
             *(f"components/{c}/" for c in dict.fromkeys(busiest + longest))]  # fmt: skip
    results = run_browser_check("overflow", base, paths)
    assert {(r["path"], r["width"]) for r in results} == {(p, w) for p in paths for w in ("desktop", "phone")}
    assert all(r["elements"] > 50 for r in results)  # real pages, not error pages
    problems = [
        f"{r['path']} ({r['width']}): {r['offenders'][:5] or ''} page {r['scrollWidth']} px, viewport {r['innerWidth']} of {r['viewport']} px"
        for r in results
        if r["offenders"] or r["scrollWidth"] > r["viewport"] or r["innerWidth"] != r["viewport"]
    ]
    assert problems == []
