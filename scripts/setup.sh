#!/usr/bin/env bash
# Installs what the tests need on a fresh machine. Idempotent: a second run
# only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Deno itself comes from npm, pinned; warm its cache and the project's npm dependencies.
npx -y deno@2.9.6 --version >/dev/null
npx -y deno@2.9.6 install --frozen >/dev/null
