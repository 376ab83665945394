#!/usr/bin/env bash
# Regenerate docs/screenshots/{index,incident,component,history}-{desktop,phone}-{light,dark}.png from the
# example site at a fixed instant. Needs Node.js, Debian's chromium and the npm tools:
#   npm ci --prefix tests/browser --ignore-scripts
set -euo pipefail
cd "$(dirname "$0")/.."

site="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server"; rm -rf "$site"; }
trap cleanup EXIT

python -m statuspage build --now "2026-11-26 10:00" --out "$site/_site" >/dev/null
port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python -m http.server --bind 127.0.0.1 --directory "$site/_site" "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done

node tests/browser/screenshots.cjs "http://127.0.0.1:$port/" docs/screenshots \
  index=index.html incident=incidents/2026-11-20-api-errors/ component=components/api/ history=history/
