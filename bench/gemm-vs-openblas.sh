#!/usr/bin/env bash
# Expanse's Vector API GEMM (GemmBench, JMH) against OpenBLAS sgemm (numpy.matmul), square NN
# float32, on JDK 17 and JDK 25, 1 and 2 threads. Prints a markdown table of medians in GFLOP/s.
#
#   bench/gemm-vs-openblas.sh                 # from anywhere; ~5 minutes
#   SIZES=512 THREADS=1 bench/gemm-vs-openblas.sh
#
# Needs: java 17 on PATH, optionally JDK 25 at $JDK25, Debian's /usr/bin/python3 with
# python3-numpy and libopenblas0 (apt-get install -y python3-numpy libopenblas0).
# Raw results land in bench/target/gemm/.
#
# OpenBLAS 0.3.21 picks its kernels from OPENBLAS_CORETYPE. This environment sets Haswell (AVX2)
# and OPENBLAS_L2_SIZE, which on an AVX-512 CPU runs at about half speed; the ratios are taken
# against OPENBLAS_CORETYPE=SkylakeX (AVX-512, OPENBLAS_L2_SIZE unset), the environment's own
# setting is shown for reference. On a CPU without AVX-512 (no avx512f in /proc/cpuinfo), where
# SkylakeX kernels die with SIGILL, the peer runs with OPENBLAS_CORETYPE=Haswell instead.
# The machine may be shared: the OpenBLAS peer runs three times, around the two JMH runs, and
# the ratios use its best median; the load averages are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-256,512,1024}
THREADS=${THREADS:-1,2}
JDK17=${JDK17:-java}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PY=/usr/bin/python3
OUT=bench/target/gemm
JAR=bench/target/benchmarks.jar
VECTOR="--add-modules jdk.incubator.vector"

load() { echo "$(date +%H:%M:%S) load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }

if ! "$PY" -c 'import numpy' 2>/dev/null; then
    echo "needs Debian's numpy: apt-get install -y python3-numpy libopenblas0" >&2
    exit 1
fi

echo "building $JAR" >&2
mvn -q -pl bench -am package -DskipTests
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.csv "$OUT"/load.txt

run_jmh() {  # java-binary label
    echo "JMH on $2: $("$1" -version 2>&1 | head -1)" >&2
    echo "$2 $(load)" >> "$OUT/load.txt"
    "$1" $VECTOR -jar "$JAR" '\.GemmBench\.' -f 1 -wi 3 -i 5 -w 1s -r 1s \
        -p size="$SIZES" -p threads="$THREADS" -jvmArgsAppend "$VECTOR" \
        -rf json -rff "$OUT/$2.json" > "$OUT/$2.log" 2>&1
}

cpu_time() {  # java-binary label: one thread, CPU-time medians (GemmBench$CpuTime)
    echo "CPU-time run on $2" >&2
    echo "$2-cpu $(load)" >> "$OUT/load.txt"
    "$1" $VECTOR -cp "$JAR" 'dev.expanse.bench.GemmBench$CpuTime' "$SIZES" > "$OUT/$2-cpu.csv" 2> /dev/null
}

BEST_CORE=SkylakeX
grep -qw avx512f /proc/cpuinfo || BEST_CORE=Haswell

peer() {  # run-number: OpenBLAS medians with its best core type, interleaved with the JMH runs
    echo "OpenBLAS peer, run $1" >&2
    echo "openblas-$1 $(load)" >> "$OUT/load.txt"
    "$PY" bench/openblas_gemm.py --sizes "$SIZES" --threads "$THREADS" --coretype "$BEST_CORE" \
        > "$OUT/openblas-skylakex-$1.csv"
}

peer 1
run_jmh "$JDK17" jdk17
cpu_time "$JDK17" jdk17
peer 2
if [ -x "$JDK25" ]; then
    run_jmh "$JDK25" jdk25
    cpu_time "$JDK25" jdk25
else
    echo "no JDK 25 at $JDK25: skipped" >&2
fi
peer 3
"$PY" bench/openblas_gemm.py --sizes "$SIZES" --threads "$THREADS" --coretype env > "$OUT/openblas-env.csv"
echo "end $(load)" >> "$OUT/load.txt"

"$PY" - "$OUT" <<'PYEOF'
import json, os, sys

out = sys.argv[1]

def jmh(name):
    """{(size, threads): GFLOP/s of the median sampled call} from a JMH JSON file."""
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        return {}
    result = {}
    for bench in json.load(open(path)):
        n, t = int(bench["params"]["size"]), int(bench["params"]["threads"])
        metric = bench["primaryMetric"]
        assert metric["scoreUnit"] == "us/op" and bench["mode"] == "sample", "expects SampleTime in us"
        us = metric["scorePercentiles"]["50.0"]
        result[(n, t)] = 2.0 * n ** 3 / (us * 1e3)
    return result

def peer(*names):
    """{(size, threads): best of the runs' median GFLOP/s}, core type, config lines."""
    result, configs = {}, []
    for name in names:
        for line in open(os.path.join(out, name + ".csv")):
            if line.startswith("#"):
                configs.append(line[2:].strip())
                continue
            _, core, n, t, gflops, _, cpu = line.strip().split(",")
            key = (int(n), int(t))
            result[key] = max(result.get(key, 0.0), float(gflops))
            if cpu != "-":
                result[(int(n), "cpu")] = max(result.get((int(n), "cpu"), 0.0), float(cpu))
            coretype = core
    return result, coretype, sorted(set(configs))

def cpu_csv(name):
    """{size: GFLOP/s} from GemmBench$CpuTime output."""
    path = os.path.join(out, name + "-cpu.csv")
    if not os.path.exists(path):
        return {}
    return {int(n): float(g) for n, g in (line.strip().split(",") for line in open(path) if line.strip())}

j17, j25 = jmh("jdk17"), jmh("jdk25")
ob, ob_core, ob_configs = peer("openblas-skylakex-1", "openblas-skylakex-2", "openblas-skylakex-3")
env, env_core, env_configs = peer("openblas-env")

def fmt(x):
    return "-" if x is None else f"{x:.0f}"

def ratio(x, y):
    return "-" if x is None or not y else f"{x / y:.2f}"

print(f"| size | threads | ours JDK 17 | ours JDK 25 | OpenBLAS {ob_core} | OpenBLAS {env_core} (env) "
      f"| JDK 17 / OpenBLAS | JDK 25 / OpenBLAS |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for key in sorted(k for k in ob if k[1] != "cpu"):
    n, t = key
    print(f"| {n} | {t} | {fmt(j17.get(key))} | {fmt(j25.get(key))} | {fmt(ob[key])} | {fmt(env.get(key))} "
          f"| {ratio(j17.get(key), ob[key])} | {ratio(j25.get(key), ob[key])} |")
print()
print("GFLOP/s = 2 n^3 / median time of one C = A * B (n x n, float32). OpenBLAS "
      f"{ob_core}: the best of three runs' medians, run before, between and after the JMH runs; "
      "the ratios are against it.")
print()
c17, c25 = cpu_csv("jdk17"), cpu_csv("jdk25")
print("One thread, timed by the thread's CPU clock (time preempted by other processes not counted):")
print()
print(f"| size | ours JDK 17 | ours JDK 25 | OpenBLAS {ob_core} | JDK 17 / OpenBLAS | JDK 25 / OpenBLAS |")
print("|---:|---:|---:|---:|---:|---:|")
for n in sorted(k[0] for k in ob if k[1] == "cpu"):
    peer_cpu = ob[(n, "cpu")]
    print(f"| {n} | {fmt(c17.get(n))} | {fmt(c25.get(n))} | {fmt(peer_cpu)} "
          f"| {ratio(c17.get(n), peer_cpu)} | {ratio(c25.get(n), peer_cpu)} |")
print()
for c in ob_configs + env_configs:
    print("- " + c)
for line in open(os.path.join(out, "load.txt")):
    print("- " + line.strip())
PYEOF
