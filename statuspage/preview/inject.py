"""What the browser gets from the preview: each page with the reload script, the error
banner when the last build failed, and a Content-Security-Policy widened for both.
The built files never contain them."""

from __future__ import annotations

import html
import re
import secrets

EVENTS_PATH = "/__statuspage__/events"
CSP_META = re.compile(
    r'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE
)
BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)

RELOAD_SCRIPT = """\
(function () {
  var shown = "%(generation)s";
  var events = new EventSource("%(events)s");
  events.onmessage = function (e) { if (e.data !== shown) location.reload(); };
})();"""

BANNER_STYLE = """\
.statuspage-serve-error{position:sticky;top:0;z-index:1000;margin:0;padding:1rem 1.25rem;
background:#b00020;color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.statuspage-serve-error strong{display:block;font:600 15px/1.4 system-ui,sans-serif;
margin-bottom:.25rem}
.statuspage-serve-error pre{margin:0;padding:0;border:0;border-radius:0;background:none;
color:inherit;white-space:pre-wrap;font:inherit}"""
# The site's own `pre` rule (a card-coloured box) must not reach the banner's text:
# every property it sets is reset above, so the banner reads white on red in either theme.


def widen_csp(policy: str, nonce: str) -> str:
    """The page's own policy, plus our one script and style (by nonce) and the reload stream."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    default = [s for s in directives.get("default-src", []) if s != "'none'"]
    for name, source in (
        ("script-src", f"'nonce-{nonce}'"),
        ("style-src", f"'nonce-{nonce}'"),
        ("connect-src", "'self'"),
    ):
        sources = directives.get(name)
        sources = list(default) if sources is None else [s for s in sources if s != "'none'"]
        if source not in sources:
            sources.append(source)
        directives[name] = sources
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def error_banner(errors: list[str], nonce: str, has_site: bool) -> str:
    """The red banner listing why the last build failed (each line escaped)."""
    kept = (
        "The last good version of this page is shown below."
        if has_site
        else "Nothing could be built yet."
    )
    lines = "\n".join(html.escape(e) for e in errors)
    return (
        f'<style nonce="{nonce}">{BANNER_STYLE}</style>'
        '<div class="statuspage-serve-error" role="alert"><strong>statuspage serve: the build '
        f"failed. {kept}</strong>"
        f"<pre>{lines}</pre></div>"
    )


def served_html(page: str, *, generation: str, errors: list[str], has_site: bool = True) -> str:
    """*page* as the preview serves it: reload script, and the error banner if the build failed."""
    nonce = secrets.token_urlsafe(16)
    page = CSP_META.sub(
        lambda m: m.group(1) + _attribute(widen_csp(html.unescape(m.group(2)), nonce)) + m.group(3),
        page,
        count=1,
    )
    if errors:
        banner = error_banner(errors, nonce, has_site)
        body = BODY_OPEN.search(page)
        page = page[: body.end()] + banner + page[body.end() :] if body else banner + page
    script = RELOAD_SCRIPT % {"generation": generation, "events": EVENTS_PATH}
    tag = f'<script nonce="{nonce}">\n{script}\n</script>\n'
    end = page.lower().rfind("</body>")
    return page[:end] + tag + page[end:] if end >= 0 else page + tag


def _attribute(value: str) -> str:
    return html.escape(value, quote=False).replace('"', "&quot;")


NOTHING_BUILT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>statuspage serve: build failed</title></head>
<body></body></html>
"""
