#!/usr/bin/env bash
# Builds and runs scripts/consumer, a project outside the reactor that depends on the installed
# dev.expanse:expanse-engine: run `mvn install` first. Extra arguments go to Maven (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
if ! out=$(mvn -B -ntp -q -f scripts/consumer/pom.xml -Dexpanse.version="$version" "$@" clean compile exec:exec 2>&1); then
    echo "$out" >&2
    echo "consumer-check: the consumer project failed (is expanse $version installed? mvn install)" >&2
    exit 1
fi
echo "$out"
grep -q "^consumer ok: module dev.expanse.engine," <<<"$out"
