#!/usr/bin/env bash
# Installs everything minmax needs on a fresh Debian/Ubuntu machine with Node.js ≥ 20.19, then builds.
# Idempotent: re-running only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pnpm >/dev/null 2>&1; then
  npm install -g pnpm@10 >/dev/null
fi

# Chromium drives the web package's end-to-end tests (playwright-core, no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium not found; install it (e.g. 'sudo apt-get install chromium') for the browser tests" >&2
  fi
fi

pnpm install --frozen-lockfile
pnpm build
