#!/usr/bin/env bash
# Runs the full test suite: installs what it needs, then type-checks, lints and runs every vitest
# project (unit tests, integration tests against a real local Kafka broker and embedded ClickHouse,
# end-to-end tests over HTTP). Every server a test starts is stopped by the tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh
export PATH="$root/.tools/node_modules/.bin:$root/node_modules/.bin:$PATH"
echo "test: typecheck"
turbo run typecheck --output-logs=errors-only
echo "test: lint"
biome check .
echo "test: vitest"
vitest run "$@"
