// Screenshots of a host page embedding both widgets (docs/screenshots.sh):
//   node embed-screenshots.cjs HOST_PAGE_URL OUT_DIR
// writes OUT_DIR/embed-{light,dark}.png, with JavaScript on so embed.js runs.
const path = require("path");
const { launch } = require("./chromium.cjs");

(async () => {
  const [url, outDir] = process.argv.slice(2);
  const browser = await launch();
  try {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width: 760, height: 340 }, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "load" });
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(500); // past the banner's entrance
      const file = path.join(outDir, `embed-${scheme}.png`);
      await page.screenshot({ path: file });
      await context.close();
      console.log(file);
    }
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
