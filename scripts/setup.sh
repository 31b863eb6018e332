#!/usr/bin/env bash
# Installs what the tests need on a fresh machine. Idempotent: a second run
# only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Deno itself comes from npm, pinned; warm its cache and the project's npm dependencies.
npx -y deno@2.9.6 --version >/dev/null
npx -y deno@2.9.6 install --frozen >/dev/null

# npm tools for the runtime conformance suite and the npm build (bun, miniflare/workerd,
# esbuild, @hono/node-server, typescript, publint, attw), pinned in tools/package-lock.json.
# Reinstalled only when the lockfile changed since the last install.
stamp=tools/node_modules/.setup-stamp
if ! cmp -s tools/package-lock.json "$stamp"; then
  npm ci --prefix tools --no-audit --no-fund >/dev/null
  cp tools/package-lock.json "$stamp"
fi

# dynalite, the DynamoDB-compatible server the DynamoDB store's tests start on 127.0.0.1.
bash scripts/setup_dynalite.sh

# End-to-end tests drive Debian's Chromium (tests/e2e/); the colour emoji font
# lets it draw the demo's event icons. The Redis store's tests start Debian's
# redis-server themselves, on a free loopback port. Installed only when missing.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || missing+=(fonts-noto-color-emoji)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo -n)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Benchmarks (deno task bench): the Node side of the browser and bundle-size benchmarks
# (esbuild, playwright-core, React, and the peers: @melloware/react-logviewer, better-sse, the SSE
# readers and the windowing libraries), pinned in bench/browser/package-lock.json. Reinstalled only when that lock file changes.
if ! cmp -s bench/browser/package-lock.json bench/browser/node_modules/.streamator-lock; then
  npm ci --prefix bench/browser --no-audit --no-fund >/dev/null
  cp bench/browser/package-lock.json bench/browser/node_modules/.streamator-lock
fi
