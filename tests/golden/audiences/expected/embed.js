/* Status banner for other sites, served by the status site itself:
 *   <script src="https://status.example.com/embed.js" async></script>
 * It reads api/v2/summary.json beside itself (so it works under any sub-path) and shows
 * a small dismissible banner only while an incident is open or maintenance is under way,
 * coloured by what is broken now, as the page's headline is.
 * Options: data-position="top" (default bottom), data-components="api,db" (default all).
 * No globals, no cookies, no requests but that one; titles are set as text, never HTML.
 * ASCII only (other characters as \u escapes): hosts often serve .js without a charset. */
(() => {
  "use strict";
  const me = document.currentScript;
  if (!me || !me.src) return;
  const base = new URL(".", me.src);
  const only = (me.dataset.components || "").split(/[\s,]+/).filter(Boolean);
  const edge = me.dataset.position === "top" ? "top" : "bottom";
  const words = {
    investigating: "Investigating", identified: "Identified", monitoring: "Monitoring",
    in_progress: "Maintenance in progress", verifying: "Verifying",
  };
  const css = `:host{all:initial;position:fixed;${edge}:0;left:0;right:0;z-index:2147483647}
.bar{--c:#6e7781;display:flex;align-items:center;gap:10px;margin:8px;padding:8px 10px 8px 14px;
border:1px solid var(--c);border-inline-start-width:6px;border-radius:8px;background:#fff;color:#1f2328;
font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-shadow:0 2px 10px #0003}
.none{--c:#1a7f37}.minor{--c:#d4a72c}.major{--c:#e8590c}.critical{--c:#cf222e}.maintenance{--c:#0969da}
ul{flex:1;min-width:0;margin:0;padding:0;list-style:none}
li{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
a{color:inherit;font-weight:600}a:focus-visible,button:focus-visible{outline:3px solid var(--c);outline-offset:2px}
button{flex:none;border:0;background:none;color:inherit;font-size:20px;line-height:1;cursor:pointer;padding:4px 8px}
@media (prefers-color-scheme:dark){.bar{--c:#9198a1;background:#151b23;color:#e6edf3;box-shadow:0 2px 10px #000a}
.none{--c:#3fb950}.minor{--c:#d29922}.major{--c:#f0883e}.critical{--c:#f85149}.maintenance{--c:#4493f8}}
@media (prefers-reduced-motion:no-preference){.bar{animation:in .25s ease-out}
@keyframes in{from{opacity:0;transform:translateY(${edge === "top" ? "-" : ""}12px)}}}`;
  const rank = ["none", "maintenance", "minor", "major", "critical"]; // colours: the page's scale
  const level = { under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };
  // The worst status now of the components it names (all working again: "none"), else its impact.
  const now = (i) => (i.components || []).length
    ? i.components.reduce((w, c) => Math.max(w, level[c.status] || 0), 0)
    : Math.max(0, rank.indexOf(i.impact));

  const el = (tag, parent, text) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return parent.appendChild(node);
  };

  const show = (open) => {
    const host = document.createElement("div");
    const root = host.attachShadow({ mode: "open" });
    if (root.adoptedStyleSheets && typeof CSSStyleSheet.prototype.replaceSync === "function") {
      const sheet = new CSSStyleSheet(); // not subject to the host's style-src, unlike <style>
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      el("style", root, css);
    }
    const worst = open.reduce((w, i) => Math.max(w, now(i)), 0);
    const bar = el("div", root);
    bar.className = `bar ${rank[worst]}`;
    bar.setAttribute("role", "status");
    const list = el("ul", bar);
    for (const item of open.slice(0, 3)) {
      const line = el("li", list);
      const link = el("a", line, item.name);
      link.href = new URL(`incidents/${encodeURIComponent(item.id)}/`, base).href;
      line.append(` \u00b7 ${words[item.status] || item.status}`);
    }
    if (open.length > 3) el("a", el("li", list), `+${open.length - 3} more`).href = base.href;
    const close = el("button", bar, "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.addEventListener("click", () => host.remove());
    (document.body || document.documentElement).appendChild(host);
  };

  const concerns = (item) => !only.length || (item.components || []).some((c) => only.includes(c.id));
  fetch(new URL("api/v2/summary.json", base), { credentials: "omit" })
    .then((response) => (response.ok ? response.json() : {}))
    .then((summary) => {
      const incidents = (summary.incidents || []).filter((i) => !["resolved", "postmortem"].includes(i.status));
      const works = (summary.scheduled_maintenances || []).filter((m) => m.status === "in_progress");
      const open = [...incidents, ...works].filter(concerns);
      if (open.length) show(open);
    })
    .catch(() => {}); // unreachable, blocked or not JSON: the host page stays as it was
})();
