// Screenshots of a served site: node screenshots.cjs BASE_URL OUT_DIR NAME=PATH...
// writes OUT_DIR/NAME-{desktop,phone}-{light,dark}.png: the page from the top, at most
// MAX_HEIGHT CSS pixels of it (a long postmortem would make megabyte images).
const path = require("path");
const { launch, openPage, SCHEMES, WIDTHS } = require("./chromium.cjs");

const MAX_HEIGHT = { desktop: 2400, phone: 2200 };

(async () => {
  const [base, outDir, ...pages] = process.argv.slice(2);
  const browser = await launch();
  try {
    for (const spec of pages) {
      const [name, pagePath] = spec.split("=");
      for (const width of Object.keys(WIDTHS)) {
        for (const scheme of SCHEMES) {
          const page = await openPage(browser, { width, scheme, javaScript: false });
          await page.goto(new URL(pagePath, base).href, { waitUntil: "load" });
          const file = path.join(outDir, `${name}-${width}-${scheme}.png`);
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          const clip = { x: 0, y: 0, width: WIDTHS[width].width, height: Math.min(height, MAX_HEIGHT[width]) };
          await page.screenshot({ path: file, fullPage: true, clip });
          await page.context().close();
          console.log(file);
        }
      }
    }
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
