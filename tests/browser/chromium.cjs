// Headless Debian Chromium through playwright-core, shared by the browser checks.
// CHROMIUM overrides the binary; flags keep it quiet and offline.
const path = require("path");
const { chromium } = require(path.join(__dirname, "node_modules", "playwright-core"));

const SCHEMES = ["light", "dark"];
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update",
      "--disable-default-apps", "--disable-sync", "--no-first-run",
      "--metrics-recording-only", "--mute-audio",
    ],
  });
}

/** A page at one of WIDTHS in one colour scheme; phones get a touch, high-DPI viewport. */
async function openPage(browser, { width, scheme, javaScript = true }) {
  const phone = width === "phone";
  const context = await browser.newContext({
    viewport: WIDTHS[width],
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
    colorScheme: scheme,
    javaScriptEnabled: javaScript,
  });
  return context.newPage();
}

module.exports = { launch, openPage, SCHEMES, WIDTHS };
