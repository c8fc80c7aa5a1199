#!/usr/bin/env bash
# Throughput on Spark: local[1] against local[2], one compute thread per task (spark.task.cpus=1),
# interleaved rounds (local[1], then local[2], repeated), medians with min and max of the job's
# wall time (units submitted to results gathered) and of the whole command. Two workloads on the
# fixtures: the scenario suite (6 units of unequal size) and the stream suite (4 equal units).
# Prints a table and appends it to bench/RESULTS.md.
#   bench/spark-throughput.sh [ROUNDS] [EPOCHS]    # default 3 rounds, 1 epoch per phase
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
epochs="${2:-1}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--fixtures --seeds 1,2 --epochs-basics "$epochs" --epochs-source "$epochs" --epochs-target "$epochs" -q)
workloads=("suite" "suite --streams --strategy frozen-expanse,fine-tune,naive")
scripts/spark-submit.sh --master 'local[1]' stream "${common[@]}" --out "$work/warm" >/dev/null 2>&1   # builds, warms the caches
for w in 0 1; do
    read -r -a cmd <<<"${workloads[$w]}"
    for r in $(seq "$rounds"); do
        for m in 1 2; do
            t0=$(date +%s.%N)
            scripts/spark-submit.sh --master "local[$m]" "${cmd[@]}" "${common[@]}" --out "$work/out" >"$work/log$w-$m" 2>&1 \
                || { tail -20 "$work/log$w-$m"; exit 1; }
            t1=$(date +%s.%N)
            job=$(sed -n 's/^expanse-spark: [0-9]* units in \([0-9.]*\)s.*/\1/p' "$work/log$w-$m")
            echo "$w $m $job $t0 $t1" >>"$work/times"
            echo "${workloads[$w]}, round $r, local[$m]: job ${job}s" >&2
        done
    done
done
table=$(python3 - "$work" "$rounds" "$epochs" "$(java -version 2>&1 | head -1)" "$(nproc)" "${workloads[@]}" <<'PY'
import re, statistics, sys
work, rounds, epochs, jvm, cores, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
rows = [l.split() for l in open(f"{work}/times")]
fmt = lambda v: f"{statistics.median(v):.1f} ({min(v):.1f}-{max(v):.1f})"
print(f"Fixtures, `--seeds 1,2`, {epochs} epoch(s) per phase, spark.task.cpus=1, {rounds} interleaved rounds, "
      f"{cores} cores; {jvm}. Job: units submitted to results gathered; whole command: JVM and Spark start included. "
      "Balance bound: the local[2] speed-up if the units packed perfectly, sum / max(longest unit, sum / 2), "
      "from the unit times of the last local[1] run.\n")
print("| workload | units | master | job s, median (min-max) | whole command s | job speed-up | balance bound |")
print("|---|---|---|---|---|---|---|")
for w, name in enumerate(names):
    log = open(f"{work}/log{w}-1").read()
    secs = [float(m) for m in re.findall(r"^\| \d+ \| [^|]+ \| [^|]+ \| ([0-9.]+) \| \d+ \|$", log, re.M)]
    bound = sum(secs) / max(max(secs), sum(secs) / 2)
    job = {m: [float(r[2]) for r in rows if r[0] == str(w) and r[1] == m] for m in ("1", "2")}
    cmd = {m: [float(r[4]) - float(r[3]) for r in rows if r[0] == str(w) and r[1] == m] for m in ("1", "2")}
    for m in ("1", "2"):
        up = statistics.median(job["1"]) / statistics.median(job[m])
        print(f"| `{name}` | {len(secs)} | local[{m}] | {fmt(job[m])} | {fmt(cmd[m])} | {up:.2f}x | "
              + (f"{bound:.2f}x" if m == "2" else "") + " |")
PY
)
echo "$table"
{ echo; echo "## Suite and streams on Spark: local[1] against local[2] ($(date -u +%Y-%m-%d), bench/spark-throughput.sh $rounds $epochs)"; echo; echo "$table"; } >>bench/RESULTS.md
