#!/usr/bin/env bash
# The test command: sets everything up on a fresh Debian machine, then runs every test,
# including full-MNIST training (profile real-data) and OpenCL on PoCL.
# Then a project outside the reactor builds against the installed jars and trains (scripts/consumer),
# and the fixture suite runs through spark-submit on local[2] and matches a local run (scripts/spark-check.sh).
# Then the fuzz run (scripts/fuzz.sh: 10^5 inputs per reader, under -Xmx512m; one to two minutes).
# On a machine that also has JDK 25 (Temurin), the fast tests run again on it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# install, not just verify: the consumer project below takes the jars from the local repository.
# A test JVM that crashed leaves only "The forked VM terminated" in Maven's log: show what it left.
mvn -B -ntp -Preal-data install || { tail -n 60 ./*/hs_err_pid*.log ./*/target/surefire-reports/*.dumpstream 2>/dev/null; exit 1; }
scripts/consumer-check.sh
scripts/spark-check.sh
scripts/fuzz.sh "${EXPANSE_FUZZ_INPUTS:-100000}" 0

jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
if [[ -x $jdk25/bin/java ]]; then
    echo "the same Java 17 bytecode, tested again on JDK 25 (without the real-data training)"
    JAVA_HOME=$jdk25 mvn -B -ntp -o jar:jar jar:test-jar surefire:test -pl kernels,engine,expanse,spark \
        -Dtest='!RealData*,!OpenClMnistTest' -Dsurefire.failIfNoSpecifiedTests=false
fi
