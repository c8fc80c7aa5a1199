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
exec "$JAVA" --add-modules jdk.incubator.vector bench/InProcessAB.java "$old" "$PWD" "$threads" "$seconds" "${workloads[@]}"
