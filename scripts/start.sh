#!/usr/bin/env bash
# Starts the whole system on the embedded defaults, in the foreground: a local Kafka broker, the
# schema registry on it (Apicurio, Java 21+), the gateway, a dedupe consumer, the projector with
# embedded ClickHouse and the query API on one port (PORT, default 3000), plus simulated machines
# posting events (SHOPFLOOR_DEMO=0 to leave them out).
# Installs what it needs first. Ctrl-C stops everything, the broker and the registry included.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh
export PATH="$root/.tools/node_modules/.bin:$root/node_modules/.bin:$PATH"
# node itself (not the tsx wrapper) gets this pid, so the broker's and the registry's watchdogs follow
# the process that really runs the system.
exec node --import tsx services/standalone/src/main.ts
