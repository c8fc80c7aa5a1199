#!/usr/bin/env bash
# The fuzz run, under -Xmx512m: mutated IDX files and random command lines (10^5 each by
# default), and kill -9 during saves (100 by default; 0 skips them); prints the tables of
# outcomes that docs/hardening.md quotes. Any outcome other than success or the documented
# error fails it. Usage: scripts/fuzz.sh [INPUTS [KILLS]]
# CI (scripts/test.sh) runs it with KILLS=0: the ordinary test suite has already killed 60 saves.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=${1:-100000}
kills=${2:-100}
tests='*FuzzTest,AtomicFileKillTest'
[[ $kills == 0 ]] && tests='*FuzzTest'
rm -rf target/fuzz
mvn -B -ntp -q ${MAVEN_FLAGS:-} -Pfuzz -Dfuzz.inputs="$inputs" -Dfuzz.kills="$kills" -Dfuzz.tests="$tests" \
    test -pl kernels,engine,expanse
cat target/fuzz/*.md
