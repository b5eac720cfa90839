#!/usr/bin/env bash
# Installs frontend/node_modules with `npm ci` when it is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
command -v npm >/dev/null || { echo "Node.js >= 20 with npm is required: https://nodejs.org/" >&2; exit 1; }
stamp=node_modules/.package-lock.json
# @playwright/test drives Debian's chromium: never let an install fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
fi
