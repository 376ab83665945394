// Browser checks on a served site, driven by tests/browser/test_*.py:
//   node check.cjs axe      BASE_URL PATH...  axe-core violations, light/dark x desktop/phone
//   node check.cjs keyboard BASE_URL PATH...  every Tab stop: what it is, whether focus is visible
//   node check.cjs nocss    BASE_URL PATH...  the page with JavaScript off and its stylesheet blocked
//   node check.cjs overflow BASE_URL PATH...  elements reaching past the viewport's sides, desktop/phone
//   node check.cjs phones   BASE_URL PATH...  at 320 and 390 px: elements past the viewport or their card, controls near an edge
//   node check.cjs colours  BASE_URL PATH...  every coloured mark's colour and the class that chose it, light/dark
// Prints one JSON document on stdout.
const fs = require("fs");
const path = require("path");
const { launch, openPage, SCHEMES, WIDTHS } = require("./chromium.cjs");

const AXE = fs.readFileSync(path.join(__dirname, "node_modules", "axe-core", "axe.min.js"), "utf8");

async function axe(browser, base, paths) {
  const results = [];
  for (const width of Object.keys(WIDTHS)) {
    for (const scheme of SCHEMES) {
      const page = await openPage(browser, { width, scheme });
      for (const p of paths) {
        await page.goto(new URL(p, base).href, { waitUntil: "load" });
        // evaluate() goes through DevTools, so the page's CSP (no scripts) does not block axe.
        await page.evaluate(AXE);
        const run = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
        const violations = run.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
        }));
        results.push({ path: p, width, scheme, violations, rules: run.passes.length + run.violations.length });
      }
      await page.context().close();
    }
  }
  return results;
}

async function keyboard(browser, base, paths) {
  const results = [];
  for (const p of paths) {
    const page = await openPage(browser, { width: "desktop", scheme: "light" });
    await page.goto(new URL(p, base).href, { waitUntil: "load" });
    const stops = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press("Tab");
      const stop = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
          tag: el.tagName.toLowerCase(), text: (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60),
          href: el.getAttribute("href"),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
          visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
        };
      });
      if (!stop) break; // focus left the document: every stop seen
      stops.push(stop);
    }
    results.push({ path: p, stops });
    await page.context().close();
  }
  return results;
}

async function nocss(browser, base, paths) {
  const results = [];
  for (const p of paths) {
    const page = await openPage(browser, { width: "desktop", scheme: "light", javaScript: false });
    await page.route("**/*.css", (route) => route.abort());
    await page.goto(new URL(p, base).href, { waitUntil: "load" });
    results.push({
      path: p,
      ...(await page.evaluate(() => {
        const sizes = [...document.querySelectorAll("svg, img")].map((el) => {
          const box = el.getBoundingClientRect();
          return Math.max(box.width, box.height);
        });
        const h1 = document.querySelector("h1");
        return {
          styled: getComputedStyle(document.body).marginTop !== "8px", // the UA default: no author CSS
          scripts: document.scripts.length,
          largestImage: Math.max(0, ...sizes),
          h1: h1 ? h1.textContent.trim() : null,
          h1Top: h1 ? h1.getBoundingClientRect().top + scrollY : null,
          overflow: document.documentElement.scrollWidth > innerWidth,
          text: document.body.innerText,
        };
      })),
    });
    await page.context().close();
  }
  return results;
}

async function overflow(browser, base, paths) {
  const results = [];
  for (const width of Object.keys(WIDTHS)) {
    const page = await openPage(browser, { width, scheme: "light" });
    for (const p of paths) {
      await page.goto(new URL(p, base).href, { waitUntil: "load" });
      results.push({
        path: p, width, viewport: WIDTHS[width].width,
        ...(await page.evaluate(() => {
          // Cut off or scrolled out of view: any visible element past either side of the
          // viewport. Elements hidden on purpose (1px screen-reader text, the skip link
          // parked off-screen until focused) are not seen, so they do not count.
          const seen = (el) => {
            const box = el.getBoundingClientRect();
            if (box.width <= 1 || box.height <= 1) return false;
            for (let a = el; a; a = a.parentElement) {
              const style = getComputedStyle(a);
              if (style.display === "none" || style.visibility === "hidden") return false;
              if (a.classList.contains("skip") || a.classList.contains("visually-hidden")) return false;
            }
            return true;
          };
          const offenders = [...document.body.querySelectorAll("*")].filter((el) => {
            const box = el.getBoundingClientRect();
            return (box.right > innerWidth + 0.5 || box.left < -0.5) && seen(el);
          }).map((el) => {
            const box = el.getBoundingClientRect();
            return `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} [${Math.round(box.left)}, ${Math.round(box.right)}] ${(el.textContent || "").trim().slice(0, 40)}`;
          });
          return { offenders, scrollWidth: document.documentElement.scrollWidth, innerWidth, elements: document.body.querySelectorAll("*").length };
        })),
      });
    }
    await page.context().close();
  }
  return results;
}

// Phones, 320 and 390 px wide (touch, high DPI): every visible element must lie within the
// viewport and within the card around it (the nearest ancestor drawing a border or a
// background), and each control that looks like a button at least MARGIN px from either
// side of the screen. Content of a scrolling box (a wide table, code) may scroll in it.
const PHONES = [320, 390];
const MARGIN = 12;

async function phones(browser, base, paths) {
  const results = [];
  for (const width of PHONES) {
    const context = await browser.newContext({
      viewport: { width, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    const page = await context.newPage();
    for (const p of paths) {
      await page.goto(new URL(p, base).href, { waitUntil: "load" });
      results.push({
        path: p, width,
        ...(await page.evaluate(([margin, width]) => {
          // The screen's width: a page too wide for it widens the layout (innerWidth), zoomed out.
          const hidden = (el) => {
            for (let a = el; a; a = a.parentElement) {
              const style = getComputedStyle(a);
              if (style.display === "none" || style.visibility === "hidden" || style.clipPath !== "none") return true;
              if (a.classList.contains("skip") || a.classList.contains("visually-hidden")) return true;
            }
            return false;
          };
          const drawn = (style) =>
            ["Top", "Right", "Bottom", "Left"].some((side) => parseFloat(style[`border${side}Width`]) > 0 && style[`border${side}Style`] !== "none") ||
            style.backgroundColor !== "rgba(0, 0, 0, 0)";
          const describe = (el, box, bound) =>
            `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} [${Math.round(box.left)}, ${Math.round(box.right)}] ` +
            `past ${bound.name} [${Math.round(bound.left)}, ${Math.round(bound.right)}]: ${(el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50)}`;
          // The card around an element, or null inside a box that scrolls (a wide table, code).
          const boundOf = (el) => {
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
              const style = getComputedStyle(a);
              if (style.overflowX !== "visible" && style.overflowX !== "clip" && a.scrollWidth > a.clientWidth) return null;
              if (drawn(style)) {
                const card = a.getBoundingClientRect();
                return { name: `${a.tagName.toLowerCase()}.${[...a.classList].join(".")}`, left: card.left, right: card.right };
              }
            }
            return { name: "viewport", left: 0, right: width };
          };
          const offenders = [];
          const check = (el, box) => {
            const bound = boundOf(el);
            if (!bound) return;
            for (const b of [bound, { name: "viewport", left: 0, right: width }]) {
              if (box.left < b.left - 0.5 || box.right > b.right + 0.5) { offenders.push(describe(el, box, b)); return; }
            }
          };
          for (const el of document.body.querySelectorAll("*")) {
            const box = el.getBoundingClientRect();
            if (box.width > 1 && box.height > 1 && !hidden(el)) check(el, box);
          }
          // Each line of text too: a word too long for its line runs past a box that stays put.
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim() || hidden(node.parentElement)) continue;
            range.selectNodeContents(node);
            for (const line of range.getClientRects()) if (line.width > 1) check(node.parentElement, line);
          }
          const tight = [...document.querySelectorAll("a.subscribe-button, button, input, select, textarea, .postmortem-mark")]
            .filter((el) => !hidden(el))
            .map((el) => ({ el, box: el.getBoundingClientRect() }))
            .filter(({ box }) => box.width > 1 && Math.min(box.left, width - box.right) < margin)
            .map(({ el, box }) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ${Math.round(box.left)} px from the left, ${Math.round(width - box.right)} px from the right: ${el.textContent.trim().slice(0, 30)}`);
          return {
            offenders, tight, scrollWidth: document.documentElement.scrollWidth, innerWidth,
            elements: document.body.querySelectorAll("*").length,
          };
        }, [MARGIN, width])),
      });
    }
    await context.close();
  }
  return results;
}

// What each mark of the colour scale is drawn in, as the reader sees it: card edges, icons,
// day bars, chart bars and legend keys, the banner and the impact dots. Each mark comes with
// the classes that could choose its colour (its own, and those of its status badge and
// incident or card around it), and the card it belongs to, if any.
async function colours(browser, base, paths) {
  const results = [];
  for (const scheme of SCHEMES) {
    const page = await openPage(browser, { width: "desktop", scheme });
    for (const p of paths) {
      await page.goto(new URL(p, base).href, { waitUntil: "load" });
      const marks = await page.evaluate(() => {
        const CARDS = ".incident, .incident-page, .day-list > li, .history-list > li";
        const classes = (el) => [...el.classList].filter((c) => /^[smbdc]-/.test(c));
        const cards = [...document.querySelectorAll(CARDS)];
        const mark = (el, kind, colour, scale) => ({
          kind, colour, scale,
          card: el.closest(CARDS) ? cards.indexOf(el.closest(CARDS)) : null,
          text: (el.closest(".status, li, article, figure, section") || el).textContent.trim().replace(/\s+/g, " ").slice(0, 50),
        });
        const out = [];
        for (const el of cards) {
          const style = getComputedStyle(el);
          if (style.borderInlineStartStyle === "none") continue; // a page: its marks are in it
          out.push(mark(el, "card edge", style.borderInlineStartColor, classes(el)));
        }
        for (const el of document.querySelectorAll(".banner")) {
          out.push(mark(el, "banner edge", getComputedStyle(el).borderInlineStartColor, classes(el)));
        }
        for (const el of document.querySelectorAll(".icon .i-bg")) {
          const badge = el.closest(".status, .banner, .widget");
          const card = el.closest(CARDS);
          // An incident's progress (s-investigating...) has no colour of its own: its card's counts.
          const own = badge ? classes(badge) : [];
          out.push(mark(el, "icon", getComputedStyle(el).fill, [...own, ...(card ? classes(card) : [])]));
        }
        for (const el of document.querySelectorAll(".impact")) {
          out.push(mark(el, "impact dot", getComputedStyle(el, "::before").backgroundColor, classes(el)));
        }
        for (const el of document.querySelectorAll(".bars > li")) {
          const fill = getComputedStyle(el).backgroundImage.match(/rgb\([^)]*\)/);
          out.push(mark(el, "day bar", fill && fill[0], classes(el)));
        }
        for (const el of document.querySelectorAll(".chart-svg rect")) {
          out.push(mark(el, "chart bar", getComputedStyle(el).fill, classes(el)));
        }
        for (const el of document.querySelectorAll(".chart-legend .key")) {
          out.push(mark(el, "legend key", getComputedStyle(el, "::before").backgroundColor, classes(el)));
        }
        return out;
      });
      results.push({ path: p, scheme, marks });
    }
    await page.context().close();
  }
  return results;
}

(async () => {
  const [mode, base, ...paths] = process.argv.slice(2);
  const checks = { axe, keyboard, nocss, overflow, colours, phones };
  if (!checks[mode]) throw new Error(`unknown check ${mode}`);
  const browser = await launch();
  try {
    process.stdout.write(JSON.stringify(await checks[mode](browser, base, paths), null, 1));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
