#!/usr/bin/env bash
# Two builds of Expanse, their training steps interleaved in one JVM (bench/InProcessAB.java):
# the A/B behind the in-process ratios of bench/RESULTS.md. Prints one CSV line per workload:
# medians and minima of A and B in ms, and B/A.
#
#   bench/ab.sh OLD_REV [THREADS [SECONDS [WORKLOAD...]]]      # OLD_REV against the working tree
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/ab.sh HEAD~1 2 8 lenet:32-64:b128
#
# OLD_REV is checked out into a git worktree under bench/target/ab/ (`git worktree prune` forgets it
# after a `mvn clean`) and compiled there; the working tree is compiled in place (mvn compile). Workloads are TrainSteps's (see its Javadoc);
# the default is the MLP and LeNet steps. JAVA defaults to java on PATH. Even interleaved, a run of
# a few seconds on a shared machine can put identical code 15% apart: measure 8 s or more, and
# repeat before believing a change of less than 5%.
#
#   PROCESSES=3 bench/ab.sh OLD_REV 1 2 conv-fwd:n64c64h8f64k3p1   # separate processes instead
#
# With PROCESSES=N the builds run in separate TrainSteps processes, old then new, N rounds (a 2 s
# warm-up, then SECONDS of timed steps each); a line gives the medians over rounds of each
# process's median. Use it when a build adds a vector species: two builds in one JVM share
# jdk.incubator.vector and the JIT's type profiles of its classes, and one build's kernels then
# ran up to 6x slower beside the other's 256-bit vectors (JDK 25 on AVX-512; see RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/ab.sh OLD_REV [THREADS [SECONDS [WORKLOAD...]]]}
threads=${2:-1}
seconds=${3:-8}
shift $(( $# < 3 ? $# : 3 ))
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(mlp:784-500-300-10:b128 lenet:32-64:b128)
JAVA=${JAVA:-java}
old=bench/target/ab/$(git rev-parse --short "$rev")
if [ ! -d "$old" ]; then
    git worktree add --detach "$old" "$rev" >&2
fi
(cd "$old" && mvn -B -q -ntp compile -pl bench -am) >&2
mvn -B -q -ntp compile -pl bench -am >&2
if [ -z "${PROCESSES:-}" ]; then
    exec "$JAVA" --add-modules jdk.incubator.vector bench/InProcessAB.java "$old" "$PWD" "$threads" "$seconds" "${workloads[@]}"
fi
list=$(IFS=,; echo "${workloads[*]}")
for round in $(seq "$PROCESSES"); do
    for side in A B; do
        dir=$old; [ "$side" = B ] && dir=$PWD
        "$JAVA" --add-modules jdk.incubator.vector -cp "$dir/kernels/target/classes:$dir/engine/target/classes:$dir/bench/target/classes" \
            dev.expanse.bench.TrainSteps --threads "$threads" --warmup 2 --measure "$seconds" --workloads "$list" 2>/dev/null \
            | grep '^expanse,' | sed "s/^/$side,/"
    done
done | python3 -c '
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in sys.stdin:
    side, _, threads, workload, median = line.strip().split(",")[:5]
    runs[(workload, side)].append(float(median))
print("workload,threads,A median ms,B median ms,B/A,A per process,B per process")
for w in dict.fromkeys(k[0] for k in runs):
    a, b = runs[(w, "A")], runs[(w, "B")]
    print("%s,%s,%.3f,%.3f,%.3f,%s,%s" % (w, sys.argv[1], statistics.median(a), statistics.median(b),
          statistics.median(b) / statistics.median(a), "/".join("%.3f" % v for v in a), "/".join("%.3f" % v for v in b)))
' "$threads"
