// node embed.cjs VISITS_JSON: open host pages that embed the status widgets, as
// tests/browser/test_embed.py sets them up. Each visit: {url, scheme, width?,
// reducedMotion?, dismiss?, blockScript?}. Prints one JSON report per visit: console
// errors, page errors, dialogs, every request, cookies, the window's own property
// names, and what the embed.js banner and any iframe widget show.
const { launch, WIDTHS } = require("./chromium.cjs");

async function visit(browser, spec) {
  const context = await browser.newContext({
    viewport: WIDTHS[spec.width || "desktop"],
    colorScheme: spec.scheme || "light",
    reducedMotion: spec.reducedMotion || "no-preference",
  });
  const page = await context.newPage();
  const report = { url: spec.url, console: [], errors: [], dialogs: [], requests: [] };
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") report.console.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => report.errors.push(String(e)));
  page.on("dialog", (d) => { report.dialogs.push(d.message()); d.dismiss(); });
  page.on("request", (r) => report.requests.push(r.url()));
  if (spec.blockScript) await page.route("**/embed.js", (route) => route.abort());
  await page.goto(spec.url, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(400); // past the banner's entrance animation
  report.globals = await page.evaluate(() => Object.getOwnPropertyNames(window).sort());
  report.cookie = await page.evaluate(() => document.cookie);
  report.cookies = (await context.cookies()).length;
  report.banner = await page.evaluate(() => {
    const hosts = [...document.querySelectorAll("*")].filter((e) => e.shadowRoot);
    if (!hosts.length) return null;
    const root = hosts[0].shadowRoot;
    const bar = root.querySelector(".bar");
    const style = getComputedStyle(bar);
    const host = getComputedStyle(hosts[0]);
    const box = bar.getBoundingClientRect();
    return {
      hosts: hosts.length,
      text: bar.innerText.replace(/\s+/g, " ").trim(),
      role: bar.getAttribute("role"),
      links: [...root.querySelectorAll("a")].map((a) => ({ text: a.textContent, href: a.href })),
      tags: [...root.querySelectorAll("*")].map((e) => e.tagName.toLowerCase()),
      position: host.position, top: box.top, bottom: innerHeight - box.bottom,
      background: style.backgroundColor, color: style.color, animation: style.animationName,
      accent: style.borderTopColor,
    };
  });
  if (report.banner && spec.dismiss) {
    await page.locator("button[aria-label=Dismiss]").click();
    report.afterDismiss = await page.evaluate(() => [...document.querySelectorAll("*")].filter((e) => e.shadowRoot).length);
  }
  report.frames = [];
  for (const frame of page.frames().slice(1)) {
    report.frames.push(await frame.evaluate(() => {
      const link = document.querySelector("a");
      return {
        url: location.href, text: document.body.innerText.replace(/\s+/g, " ").trim(),
        background: getComputedStyle(document.body).backgroundColor,
        color: getComputedStyle(document.body).color,
        link: link && { href: link.href, target: link.target },
        styled: getComputedStyle(document.querySelector("main")).display === "flex",
      };
    }));
  }
  await context.close();
  return report;
}

(async () => {
  const visits = JSON.parse(process.argv[2]);
  const browser = await launch();
  try {
    const reports = [];
    for (const spec of visits) reports.push(await visit(browser, spec));
    process.stdout.write(JSON.stringify(reports, null, 1));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
