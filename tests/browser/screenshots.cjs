// Screenshots of a served site: node screenshots.cjs BASE_URL OUT_DIR NAME=PATH...
// writes OUT_DIR/NAME-{desktop,phone}-{light,dark}.png (full page).
const path = require("path");
const { launch, openPage, SCHEMES, WIDTHS } = require("./chromium.cjs");

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
          await page.screenshot({ path: file, fullPage: true });
          await page.context().close();
          console.log(file);
        }
      }
    }
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
