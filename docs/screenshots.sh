#!/usr/bin/env bash
# Regenerate docs/screenshots/{index,incident,component,history,subscribe}-{desktop,phone}-{light,dark}.png
# and embed-{light,dark}.png (a page on another site with both widgets) from the example site
# at a fixed instant, served under a sub-path as on a GitHub Pages project site. Needs Node.js,
# Debian's chromium and the npm tools:
#   npm ci --prefix tests/browser --ignore-scripts
set -euo pipefail
cd "$(dirname "$0")/.."

site="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server"; rm -rf "$site"; }
trap cleanup EXIT

python -m statuspage build --now "2026-11-26 10:00" --out "$site/_site/status" >/dev/null
port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python -m http.server --bind 127.0.0.1 --directory "$site/_site" "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done

node tests/browser/screenshots.cjs "http://127.0.0.1:$port/status/" docs/screenshots \
  index=index.html incident=incidents/2026-11-20-api-errors/ component=components/api/ \
  history=history/ subscribe=subscribe/

# The manual's two embedding snippets on a page of another site (here the same server, outside status/).
cat > "$site/_site/docs.html" <<HTML
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Docs</title><link rel="icon" href="data:,">
<meta name="color-scheme" content="light dark">
<style>body { font: 16px/1.5 system-ui, sans-serif; margin: 24px 32px; }</style>
<script src="http://127.0.0.1:$port/status/embed.js" async></script></head>
<body><h1>Acme Docs</h1><p>Our API status, in an iframe:</p>
<iframe src="http://127.0.0.1:$port/status/embed/" title="Acme Status" width="360" height="48" style="border:0"></iframe>
<p>embed.js adds the banner below while an incident is open.</p></body></html>
HTML
node tests/browser/embed-screenshots.cjs "http://127.0.0.1:$port/docs.html" docs/screenshots

# The manual's `statuspage diff` example as a pull request's job summary shows it: rendered by
# cmark-gfm (GitHub's own Markdown renderer, `pip install cmarkgfm`) in a GitHub-like page.
python -m tests.test_diff > "$site/diff.md"
python - "$site/diff.md" "$site/diff.html" <<'PY'
import sys
from pathlib import Path

import cmarkgfm

body = cmarkgfm.github_flavored_markdown_to_html(Path(sys.argv[1]).read_text(encoding="utf-8"))
style = """
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans",
  Helvetica, Arial, sans-serif; color: #1f2328; }
main { max-width: 860px; margin: 16px; padding: 16px 24px; background: #fff;
  border: 1px solid #d1d9e0; border-radius: 6px; }
h3 { font-size: 1.25em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
h4 { font-size: 1em; margin: 20px 0 8px; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: #818b981f;
  padding: .2em .4em; border-radius: 6px; }
blockquote { margin: 0; padding: 8px 16px; border-left: .25em solid #9a6700; color: #1f2328; }
blockquote p:first-child strong { color: #9a6700; }
ul { padding-left: 2em; }
"""
page = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{style}</style></head>'
Path(sys.argv[2]).write_text(page + f"<body><main>{body}</main></body></html>", encoding="utf-8")
PY
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$site/chromium" --hide-scrollbars --window-size=900,1100 \
  --screenshot=docs/screenshots/diff-summary.png "file://$site/diff.html" 2>/dev/null
