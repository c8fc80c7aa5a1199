#!/usr/bin/env bash
# spark-submit from Spark's own jars (the ones Maven fetched for the spark module), for a laptop
# or CI: runs `expanse suite` or `expanse stream` through Spark, one task per unit of work.
#   scripts/spark-submit.sh [--master local[2]] [--conf k=v ...] suite|stream OPTIONS
# Builds the application jar and the class path when missing or older than the sources. A real
# cluster uses its own spark-submit instead (see README.md, "On a Spark cluster").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/spark/target/expanse-spark.jar"
cp_file="$root/spark/target/spark-classpath.txt"
if [[ ! -f $jar || ! -f $cp_file ]] || [[ -n $(find "$root"/{kernels,engine,expanse,spark}/src "$root"/pom.xml "$root"/spark/pom.xml -newer "$jar" -type f -print -quit) ]]; then
    echo "building $jar ..." >&2
    (cd "$root" && mvn -B -q -ntp package -pl spark -am -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip) >&2
fi
spark_args=()
while [[ $# -gt 0 && $1 == --* ]]; do
    [[ $# -ge 2 ]] || { echo "spark-submit.sh: $1 needs a value" >&2; exit 2; }
    spark_args+=("$1" "$2"); shift 2
done
[[ " ${spark_args[*]:-} " == *" --master "* ]] || spark_args+=(--master "local[2]")
# In local mode the driver binds to loopback: a machine whose host name does not resolve still runs.
if [[ " ${spark_args[*]} " == *" --master local"* && " ${spark_args[*]} " != *"spark.driver.host"* ]]; then
    spark_args+=(--conf spark.driver.bindAddress=127.0.0.1 --conf spark.driver.host=127.0.0.1)
    export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
fi
# The options Spark's own launcher adds on JDK 17 and later, read from the module's pom so the
# tests and this script open the same packages; the Vector API module for the kernels.
opens=$(sed -n 's:.*<spark.opens>\(.*\)</spark.opens>.*:\1:p' "$root/spark/pom.xml")
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck disable=SC2086
exec "$java" $opens --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$root/spark/conf/log4j2.properties" ${EXPANSE_JAVA_OPTS:-} \
    -cp "$(cat "$cp_file")" org.apache.spark.deploy.SparkSubmit --class dev.expanse.spark.SparkMain \
    --conf spark.ui.enabled=false "${spark_args[@]}" "$jar" "$@" \
    2> >(grep -v --line-buffered "^WARNING: Using incubator modules" >&2)
