#!/usr/bin/env bash
# Growth in place against rebuild-and-copy, and the training step of an expanded, partly frozen
# net against a plain one of the same size. Medians (p50 of JMH sample mode) and their ratios.
#   bench/expansion-vs-rebuild.sh [java]     # default: java on PATH
set -euo pipefail
cd "$(dirname "$0")/.."
java="${1:-java}"
mvn -B -q -ntp package -pl bench -am -DskipTests
out=$(mktemp -d)
"$java" -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar 'ExpansionBench|TrainStepBench' -wi 3 -i 8 -w 1 -r 1 -f 1 \
    -rf json -rff "$out/result.json" >"$out/log.txt" 2>&1 || { tail -40 "$out/log.txt"; exit 1; }
python3 - "$out/result.json" "$("$java" -version 2>&1 | head -1)" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
med = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 2)
    key = (name[-2], name[-1], next(iter(r.get("params", {}).values()), ""))
    med[key] = (r["primaryMetric"]["scorePercentiles"]["50.0"], r["primaryMetric"]["scoreUnit"])
print(f"JVM: {sys.argv[2]}\n")
print("| layer | in place (us) | past capacity (us) | rebuild + copy (us) | rebuild / in place |")
print("|---|---|---|---|---|")
for layer in ("dense", "conv"):
    a = med[("ExpansionBench", "inPlace", layer)][0]
    b = med[("ExpansionBench", "inPlacePastCapacity", layer)][0]
    c = med[("ExpansionBench", "rebuildAndCopy", layer)][0]
    print(f"| {layer} | {a:.0f} | {b:.0f} | {c:.0f} | {c / a:.1f}x |")
print("\n| net (784-500-300-10, batch 128) | step median (ms) | / plain |")
print("|---|---|---|")
plain = med[("TrainStepBench", "step", "plain")][0]
for net in ("plain", "frozenExpanse", "publishedExpanse"):
    v = med[("TrainStepBench", "step", net)][0]
    print(f"| {net} | {v:.2f} | {v / plain:.2f}x |")
PY
