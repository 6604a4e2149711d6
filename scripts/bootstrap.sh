#!/usr/bin/env bash
# Installs everything Shopfloor needs on a machine that has only Node 20 + npm, Java 17 and Maven:
# the pinned pnpm (into .tools/), the workspace packages, the Kafka broker jars (into .cache/kafka) and
# Apicurio Registry (into .cache/apicurio; it runs on the Java 21+ JDK found under /usr/lib/jvm).
# Safe to run any number of times: every step is skipped when its result is already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

pnpm_version="$(node -p "require('./package.json').packageManager.split('@')[1]")"
tools="$root/.tools"
if [[ "$("$tools/node_modules/.bin/pnpm" --version 2>/dev/null || true)" != "$pnpm_version" ]]; then
  echo "bootstrap: installing pnpm $pnpm_version into .tools/"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "pnpm@$pnpm_version" >/dev/null
fi
export PATH="$tools/node_modules/.bin:$root/node_modules/.bin:$PATH"

echo "bootstrap: pnpm install"
CI=true pnpm install --frozen-lockfile --prefer-offline --loglevel=warn

bash "$root/infra/kafka/bin/fetch-kafka.sh"
bash "$root/infra/schema-registry/bin/fetch-apicurio.sh"

# Debian's chromium, for the dashboard's browser test (playwright-core drives /usr/bin/chromium).
# Installed only when missing, so a second run costs one file test. Needs root (or password-less
# sudo) the first time; elsewhere it says what to run and the browser test reports it missing.
chromium_bin="${SHOPFLOOR_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium_bin" ]]; then
  if ! command -v apt-get >/dev/null; then
    echo "bootstrap: $chromium_bin is missing and this is not a Debian-like system: install chromium and set SHOPFLOOR_CHROMIUM" >&2
  else
    as_root=()
    if [[ "$(id -u)" != 0 ]]; then
      if sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(false); fi
    fi
    if [[ "${as_root[0]:-}" == false ]]; then
      echo "bootstrap: chromium is missing; run as root: apt-get update && apt-get install -y chromium" >&2
    else
      echo "bootstrap: installing Debian's chromium (apt-get)"
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
  fi
fi
