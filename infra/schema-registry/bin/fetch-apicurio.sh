#!/usr/bin/env bash
# Fetches Apicurio Registry (version pinned in infra/schema-registry/VERSION) from Maven Central with
# mvn and unpacks it into .cache/apicurio/<version> (quarkus-run.jar + lib/). Skipped when that
# folder is already complete. Maven keeps the tar.gz in ~/.m2, so a wiped cache re-unpacks offline.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(tr -d '[:space:]' < "$here/VERSION")"
dest="${SHOPFLOOR_APICURIO_CACHE:-$root/.cache/apicurio}/$version"
if [[ -f "$dest/.complete" ]]; then
  exit 0
fi
echo "fetch-apicurio: downloading Apicurio Registry $version from Maven Central (~160 MB, once)"
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp/dl"
# The runnable form is the tar.gz classifier "all" (the zip form is not served).
mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
  -Dartifact="io.apicurio:apicurio-registry-app:$version:tar.gz:all" -DoutputDirectory="$dest.tmp/dl"
tar -xzf "$dest.tmp/dl/apicurio-registry-app-$version-all.tar.gz" -C "$dest.tmp"
rm -rf "$dest.tmp/dl"
if [[ ! -f "$dest.tmp/quarkus-run.jar" ]]; then
  echo "fetch-apicurio: quarkus-run.jar missing from the archive" >&2
  exit 1
fi
touch "$dest.tmp/.complete"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "fetch-apicurio: Apicurio Registry $version in $dest"
