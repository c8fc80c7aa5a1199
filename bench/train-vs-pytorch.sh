#!/usr/bin/env bash
# Training steps and conv layers on the CPU: Expanse (Vector API backend, JDK 17 and JDK 25)
# against PyTorch (Debian's python3-torch: OpenBLAS GEMMs, oneDNN convolutions), 1 and 2 threads,
# side by side in one run. Prints a markdown table and appends it to bench/RESULTS.md.
#
#   bench/train-vs-pytorch.sh                       # ~13 minutes: 3 rounds
#   ROUNDS=1 WARMUP=1 MEASURE=0.5 bench/train-vs-pytorch.sh          # a quick try, ~3 minutes
#   WORKLOADS=lenet:32-64:b128 THREADS=2 APPEND=0 bench/train-vs-pytorch.sh
#   WORKLOADS=conv-fwd:n64c64h8f64k3p1,conv-bwd-data:n64c64h8f64k3p1,conv-bwd-weights:n64c64h8f64k3p1 \
#       APPEND=0 bench/train-vs-pytorch.sh                                 # one layer's three kernels apart
#   JAR=/elsewhere/benchmarks.jar BUILD=0 bench/train-vs-pytorch.sh  # another build of TrainSteps (e.g. an older commit)
#
# Method. One round runs, for each thread count, Expanse on JDK 17, Expanse on JDK 25, PyTorch
# with the environment's OpenBLAS core type, PyTorch with OPENBLAS_CORETYPE=Cooperlake and
# OPENBLAS_L2_SIZE unset: eight processes, one after the other, so every side sees the same load.
# In each process every workload is built and warmed up for $WARMUP seconds, then each has every
# step of a $MEASURE-second window timed on its own (dev.expanse.bench.TrainSteps and
# bench/train_pytorch.py do exactly the same). A cell of the table is the median over the rounds
# of those per-round medians, with their min and max. The load average is logged before every
# process. PyTorch runs with glibc's malloc tuned for it (no trimming, large mmap threshold, one
# arena) and with OMP and OpenBLAS threads both set to the thread count; the script reports the
# OpenBLAS core type each PyTorch process actually ran (threadpoolctl).
#
# Needs: java 17 on PATH, JDK 25 at $JDK25 (skipped when absent), Maven, Debian's /usr/bin/python3.
# Installs python3-torch, libopenblas0-pthread and python3-threadpoolctl with apt-get when missing.
# Raw results land in bench/target/train/.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-1.5}
MEASURE=${MEASURE:-1.2}
THREADS=${THREADS:-1,2}
APPEND=${APPEND:-1}
JDK17=${JDK17:-java}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORKLOADS=${WORKLOADS:-gemm:n256,mlp:784-500-300-10:b128,frozen-mlp:784-500-300-10:old300-200-5:b128,lenet:32-64:b128,lenet:16-32:b64,conv-fwd:n64c1h28f32k5p0,conv-fwdbwd:n64c1h28f32k5p0,conv-fwd:n64c32h14f64k3p1,conv-fwdbwd:n64c32h14f64k3p1,conv-fwd:n64c64h8f64k3p1,conv-fwdbwd:n64c64h8f64k3p1}
PY=/usr/bin/python3
OUT=bench/target/train
JAR=${JAR:-bench/target/benchmarks.jar}
BUILD=${BUILD:-1}
VECTOR="--add-modules jdk.incubator.vector"
MALLOC=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_ARENA_MAX=1)

load() { echo "$(date +%H:%M:%S) load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }

if ! "$PY" -c 'import torch, threadpoolctl' 2>/dev/null; then
    echo "installing the PyTorch peer: python3-torch libopenblas0-pthread python3-threadpoolctl" >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q python3-torch libopenblas0-pthread python3-threadpoolctl >&2
fi

if [ "$BUILD" = 1 ]; then
    echo "building $JAR" >&2
    mvn -B -q -ntp package -pl bench -am -DskipTests
fi
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT"/load.txt

ours() {  # java label threads round
    echo "$4 $2 x$3 $(load)" >> "$OUT/load.txt"
    "$1" $VECTOR -cp "$JAR" dev.expanse.bench.TrainSteps --threads "$3" --warmup "$WARMUP" --measure "$MEASURE" \
        --workloads "$WORKLOADS" > "$OUT/r$4-$2-t$3.csv" 2> "$OUT/r$4-$2-t$3.log"
}

pytorch() {  # coretype(env|NAME) threads round
    echo "$3 pytorch-$1 x$2 $(load)" >> "$OUT/load.txt"
    local core=()
    [ "$1" = env ] || core=(-u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$1")
    env "${core[@]}" "${MALLOC[@]}" "$PY" bench/train_pytorch.py --threads "$2" --warmup "$WARMUP" \
        --measure "$MEASURE" --workloads "$WORKLOADS" > "$OUT/r$3-pytorch-$1-t$2.csv" 2> "$OUT/r$3-pytorch-$1-t$2.log"
}

started=$(date +%s)
for round in $(seq 1 "$ROUNDS"); do
    for t in ${THREADS//,/ }; do
        echo "round $round/$ROUNDS, $t thread(s)" >&2
        ours "$JDK17" jdk17 "$t" "$round"
        if [ -x "$JDK25" ]; then ours "$JDK25" jdk25 "$t" "$round"; fi
        pytorch env "$t" "$round"
        pytorch Cooperlake "$t" "$round"
    done
done
echo "end $(load)" >> "$OUT/load.txt"
echo "took $(( $(date +%s) - started )) s" >&2

table=$("$PY" bench/train_table.py "$OUT" "$("$JDK17" -version 2>&1 | head -1)" \
    "$([ -x "$JDK25" ] && "$JDK25" -version 2>&1 | head -1)" "$ROUNDS" "$WARMUP" "$MEASURE")
echo "$table"
if [ "$APPEND" = 1 ]; then
    # before the first write: RESULTS.md is itself under bench/
    what=$([ "$BUILD" = 1 ] && echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- kernels engine bench || echo ' (with uncommitted changes)')" || echo "jar $JAR")
    {
        echo
        echo "### Run of $(date -u '+%Y-%m-%d %H:%M') UTC, $what"
        echo
        echo "Command: \`ROUNDS=$ROUNDS WARMUP=$WARMUP MEASURE=$MEASURE THREADS=$THREADS bench/train-vs-pytorch.sh\`"
        echo
        echo "$table"
    } >> bench/RESULTS.md
    echo "appended to bench/RESULTS.md" >&2
fi
