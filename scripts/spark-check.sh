#!/usr/bin/env bash
# The fixture suite through spark-submit on local[2] against the same suite run locally at one
# compute thread (what each Spark task has): results.csv must be equal in every column but
# seconds. Part of the test command (scripts/test.sh); about a minute on 2 cores.
#   scripts/spark-check.sh [OUT]     # default OUT: target/spark-check
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/spark-check}"
rm -rf "$out" && mkdir -p "$out"
args=(suite --fixtures --seeds 1,2 --epochs-basics 1 --epochs-source 1 --epochs-target 1 -q)

EXPANSE_JAVA_OPTS="-Dexpanse.threads=1" "$root/scripts/expanse" "${args[@]}" --out "$out/local" >/dev/null
"$root/scripts/spark-submit.sh" --master 'local[2]' "${args[@]}" --out "$out/spark" >"$out/spark.log" 2>&1 \
    || { tail -30 "$out/spark.log"; echo "spark-check: spark-submit failed (log: $out/spark.log)" >&2; exit 1; }

# results.csv without its seconds column, found by name.
no_seconds() {
    awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seconds") c = i; if (!c) exit 3 }
                      { $c = ""; print }' "$1"
}
no_seconds "$out/local/results.csv" >"$out/local.csv"
no_seconds "$out/spark/results.csv" >"$out/spark.csv"
rows=$(($(wc -l <"$out/local.csv") - 1))
if [[ $rows -lt 1 ]] || ! cmp -s "$out/local.csv" "$out/spark.csv"; then
    diff "$out/local.csv" "$out/spark.csv" | head -20 >&2 || true
    echo "spark-check: results.csv through Spark differs from the local run ($out)" >&2
    exit 1
fi
[[ $(cd "$out/local" && ls | sort) == "$(cd "$out/spark" && ls | sort)" ]] \
    || { echo "spark-check: the two runs wrote different files" >&2; exit 1; }
grep -E "^expanse-spark: [0-9]+ units on" "$out/spark.log"
echo "spark-check: ok: $rows rows of results.csv equal through spark-submit on local[2] (but for seconds)"
