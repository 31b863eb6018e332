#!/usr/bin/env bash
# Installs dynalite (a DynamoDB-compatible server, pinned in tools/dynalite/package-lock.json)
# that the DynamoStore tests start on 127.0.0.1. Needs Node 20+ and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/../tools/dynalite"
npm ci --no-audit --no-fund
