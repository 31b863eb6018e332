#!/usr/bin/env bash
# Installs dynalite (a DynamoDB-compatible server, pinned in tools/dynalite/package-lock.json)
# that the DynamoStore tests start on 127.0.0.1. Needs Node 20+ and the npm registry.
# Reinstalled only when the lockfile changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../tools/dynalite"
stamp=node_modules/.setup-stamp
if ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund >/dev/null
  cp package-lock.json "$stamp"
fi
