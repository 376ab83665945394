"""Load every page of sites built from the hostile corpus in headless Chromium.

A hook injected before any page script (CDP Page.addScriptToEvaluateOnNewDocument)
records calls to alert/confirm/prompt/print and Content-Security-Policy
violations; Debugger.scriptParsed reports any script the page itself parsed and
Page.javascriptDialogOpening any dialog. Any of these fails the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

import pytest

from ..support.hostile_cases import ALL_CASES, NOW, make_case, run
from ..support.servers import serving
from .cdp import CHROMIUM, Browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)"
    ),
]

OBSERVER = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__statuspageHits", {value: hits});
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { hits.push(`${name}(${args.join(", ")})`); };
  }
  document.addEventListener("securitypolicyviolation",
    (e) => hits.push(`CSP ${e.effectiveDirective} blocked ${e.blockedURI} ${e.sample || ""}`), true);
})();
//# sourceURL=statuspage-observer
"""
PROBE = "JSON.stringify(window.__statuspageHits || ['observer missing'])\n//# sourceURL=statuspage-probe"
# The test's own scripts, and the page's one script (outputs/freshness.py: its CSP allows that
# text alone, by hash, and test_no_script checks every <script> is exactly it).
OUR_SCRIPTS = {"statuspage-observer", "statuspage-probe", "statuspage-freshness"}

EVIL_NO_CSP = (
    b"<!DOCTYPE html><title>x</title><script>alert(1)</script><img src=nope onerror=confirm(2)>"
)
EVIL_WITH_CSP = (
    b'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
    b'<title>x</title><script>alert(1)</script><p style="color:red">x</p>'
)


class Tab:
    """One page target, with the observer installed before any document script."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        self.session = browser.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Debugger"):
            self.send(f"{domain}.enable")
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVER})

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def visit(self, url: str) -> list[str]:
        """Everything script-like that happened while loading *url*."""
        hits: list[str] = []

        def note(event: dict[str, Any]) -> None:
            method, params = event.get("method"), event.get("params", {})
            if method == "Debugger.scriptParsed" and params.get("url") not in OUR_SCRIPTS:
                hits.append(f"script parsed: {params.get('url')!r} line {params.get('startLine')}")
            elif method == "Page.javascriptDialogOpening":
                hits.append(f"dialog {params.get('type')}: {params.get('message')}")
                self.send("Page.handleJavaScriptDialog", {"accept": False})
            elif method == "Runtime.exceptionThrown":
                hits.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Page.frameNavigated" and params["frame"].get("parentId"):
                hits.append(f"sub-frame loaded: {params['frame'].get('url')}")

        self.send("Page.navigate", {"url": url})
        self.browser.wait_for(lambda e: e.get("method") == "Page.loadEventFired", note)
        result = self.send("Runtime.evaluate", {"expression": PROBE, "returnByValue": True})
        hits += json.loads(result["result"]["value"])
        while True:  # events that arrived before the probe's answer
            try:
                note(self.browser.events.get_nowait())
            except Empty:
                break
        return hits


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Every corpus case that builds, each in its own folder, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("served")
    for name in ALL_CASES:
        source, expect = make_case(name, tmp_path_factory.mktemp(name))
        if expect.outcome == "build":
            result = run("build", "--source", str(source), "--out", str(root / name), "--now", NOW)
            assert result.exit_code == 0, result.output
    (root / "self-test").mkdir()
    (root / "self-test" / "no-csp.html").write_bytes(EVIL_NO_CSP)
    (root / "self-test" / "with-csp.html").write_bytes(EVIL_WITH_CSP)
    with serving(root) as url:
        yield url, root


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    browser = Browser()
    try:
        yield Tab(browser)
    finally:
        browser.close()


def test_the_hook_catches_scripts_dialogs_and_csp_violations(
    served: tuple[str, Path], tab: Tab
) -> None:
    base, _ = served
    no_csp = tab.visit(base + "self-test/no-csp.html")
    assert any(h.startswith("script parsed") for h in no_csp), no_csp
    assert "alert(1)" in no_csp and "confirm(2)" in no_csp, no_csp
    with_csp = tab.visit(base + "self-test/with-csp.html")
    assert any(h.startswith("CSP script-src") for h in with_csp), with_csp
    assert any(h.startswith("CSP style-src") for h in with_csp), with_csp
    assert "alert(1)" not in with_csp


def test_no_page_built_from_the_corpus_runs_script(served: tuple[str, Path], tab: Tab) -> None:
    base, root = served
    pages = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if not p.is_relative_to(root / "self-test")
    )
    assert len(pages) > 100
    failures = {page: hits for page in pages if (hits := tab.visit(base + page))}
    assert not failures, json.dumps(failures, indent=1)
