#!/usr/bin/env bash
# Fetches the Kafka broker jars (version pinned in infra/kafka/VERSION) from Maven Central with mvn
# into .cache/kafka/<version>/libs. Skipped when that folder is already complete.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(tr -d '[:space:]' < "$here/VERSION")"
dest="${SHOPFLOOR_KAFKA_CACHE:-$root/.cache/kafka}/$version"
if [[ -f "$dest/.complete" ]]; then
  exit 0
fi
echo "fetch-kafka: downloading Apache Kafka $version jars from Maven Central (~110 MB, once)"
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp/libs"
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
  -Dkafka.version="$version" -DincludeScope=runtime -DoutputDirectory="$dest.tmp/libs"
touch "$dest.tmp/.complete"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "fetch-kafka: $(ls "$dest/libs" | wc -l) jars in $dest/libs"
