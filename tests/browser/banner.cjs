// node banner.cjs URL: the colours of `statuspage serve`'s error banner text, as drawn
// over the site's styles, in the light and dark schemes. Prints one JSON document.
const { launch, openPage, SCHEMES } = require("./chromium.cjs");

(async () => {
  const browser = await launch();
  const found = {};
  for (const scheme of SCHEMES) {
    const page = await openPage(browser, { width: "desktop", scheme });
    await page.goto(process.argv[2], { waitUntil: "load" });
    found[scheme] = await page.evaluate(() => [...document.querySelectorAll(".statuspage-serve-error, .statuspage-serve-error *")]
      .filter((e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
      .map((e) => {
        // The colour drawn behind the text: the nearest ancestor-or-self with a background.
        let back = e;
        while (back && getComputedStyle(back).backgroundColor === "rgba(0, 0, 0, 0)") back = back.parentElement;
        return { tag: e.tagName.toLowerCase(), color: getComputedStyle(e).color, background: getComputedStyle(back).backgroundColor };
      }));
    await page.context().close();
  }
  await browser.close();
  console.log(JSON.stringify(found));
})();
