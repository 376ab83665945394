// node freshness.cjs VISITS_JSON: open status pages with the browser's clock set, as
// tests/browser/test_freshness.py sets them up. Each visit: {url, clock?: ISO instant the
// clock starts at, javaScript?: false, wait?: ms to let pass after load, publish?: [from, to]
// (copy a newer build's file over the served one after load, then let a minute pass),
// reload?: click the notice's button, scheme?}. Prints one JSON report per visit: whether
// each notice shows (on load, before publishing, at the end), their text, page errors, CSP violations, and axe's violations then.
const fs = require("fs");
const path = require("path");
const { launch, openPage } = require("./chromium.cjs");

const AXE = fs.readFileSync(path.join(__dirname, "node_modules", "axe-core", "axe.min.js"), "utf8");

const shown = (page, id) => page.evaluate((id) => {
  const e = document.getElementById(id);
  return e ? { visible: e.checkVisibility(), text: e.textContent.replace(/\s+/g, " ").trim(),
               live: e.closest("[role=status]") !== null } : null;
}, id);

async function visit(browser, spec) {
  const page = await openPage(browser, { width: "desktop", scheme: spec.scheme || "light", javaScript: spec.javaScript !== false });
  const report = { url: spec.url, errors: [], csp: [], fetches: 0 };
  page.on("pageerror", (e) => report.errors.push(String(e)));
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) report.csp.push(m.text()); });
  page.on("request", (r) => { if (r.url().endsWith("summary.json")) report.fetches += 1; });
  // (The fake clock is itself a script: a page with JavaScript off keeps the real one.)
  if (spec.clock && spec.javaScript !== false) await page.clock.install({ time: new Date(spec.clock) });
  await page.goto(spec.url, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");
  report.loaded = { stale: await shown(page, "stale"), newer: await shown(page, "newer") };
  if (spec.wait) {
    await page.clock.runFor(spec.wait);
    await page.waitForLoadState("networkidle");
  }
  report.before = { stale: await shown(page, "stale"), newer: await shown(page, "newer") };
  if (spec.publish) {
    fs.copyFileSync(spec.publish[0], spec.publish[1]);
    await page.clock.runFor(60000);
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(200); // the fetch's promise chain settles
  }
  report.stale = await shown(page, "stale");
  report.newer = await shown(page, "newer");
  report.footer = await page.evaluate(() => document.querySelector(".site-footer p").textContent.trim());
  if (spec.javaScript !== false) { // axe.run needs the page's own timers
    await page.evaluate(AXE);
    const run = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
    report.axe = run.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
  if (spec.reload) {
    await page.evaluate(() => { window.beforeReload = true; }); // gone once the page loads again
    await Promise.all([page.waitForEvent("load"), page.click("#reload")]);
    report.reloaded = { url: page.url(), fresh: await page.evaluate(() => window.beforeReload === undefined) };
  }
  await page.context().close();
  return report;
}

(async () => {
  const browser = await launch();
  try {
    const reports = [];
    for (const spec of JSON.parse(process.argv[2])) reports.push(await visit(browser, spec));
    process.stdout.write(JSON.stringify(reports));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
