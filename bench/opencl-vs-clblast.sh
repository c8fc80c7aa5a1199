#!/usr/bin/env bash
# Our OpenCL GEMM and convolution against CLBlast (default, untuned parameters) on the same OpenCL
# device, and against our CPU backend (Vector API kernels, every core), in one run. Prints
# markdown tables of medians (JMH sample-mode p50; the median of timed calls for CLBlast) and the
# machine load before and after, since a shared machine makes every figure noisy.
#
#   bench/opencl-vs-clblast.sh [--device TEXT] [--quick] [--rounds N] [--no-build] [--java JAVA]
#     --device TEXT  OpenCL device for both sides, as in -Dexpanse.backend=opencl:TEXT (default pocl)
#     --quick        shorter JMH runs (2 warm-up and 3 measured iterations of 1 s instead of 5 and 5)
#     --rounds N     N rounds, each running every size and layer on both backends (default 1); each
#                    figure is the median of its rounds, each ratio the median of the rounds' ratios
#     --no-build     use bench/target/benchmarks.jar and bench/clblast/target/sgemm_bench as they are
#
# Needs gcc, libclblast-dev (CLBlast >= 1.5), ocl-icd-opencl-dev and an OpenCL driver such as
# pocl-opencl-icd: for benchmarks only, not for the build or the tests.
# Targets (OpenCL on PoCL): GEMM >= 3x CLBlast's, and >= 0.8x our CPU backend's.
set -euo pipefail
cd "$(dirname "$0")/.."

device=pocl java=java build=1 warmup=5 iterations=5 rounds=1
while (($#)); do
    case "$1" in
        --device) device="$2"; shift 2 ;;
        --quick) warmup=2 iterations=3; shift ;;
        --rounds) rounds="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --java) java="$2"; shift 2 ;;
        *) echo "usage: $0 [--device TEXT] [--quick] [--rounds N] [--no-build] [--java JAVA]" >&2; exit 2 ;;
    esac
done

sizes=256,512,1024
layers=n64c1h28f16k5p0,n64c16h12f32k5p0,n32c64h16f64k3p1,n64c1h28f32k5p0,n64c32h14f64k3p1,n64c64h8f64k3p1
if ((build)); then
    mvn -B -q -ntp -Dstyle.color=never package -pl bench -am -DskipTests
    bench/clblast/build.sh
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "load before: $(uptime)"
# The first call of each CLBlast routine compiles its kernels (a minute on a busy PoCL); sgemm_bench
# warms up untimed.
bench/clblast/target/sgemm_bench -d "$device" ${sizes//,/ } ${layers//,/ } >"$out/clblast.txt" 2>"$out/clblast.log" \
    || { cat "$out/clblast.log" >&2; exit 1; }
echo "load between CLBlast and JMH: $(uptime)"
source scripts/libjsig.sh
preload_libjsig "$java"
"$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dexpanse.log=warn -Djmh.ignoreLock=true -cp bench/target/benchmarks.jar dev.expanse.bench.OpenClReport \
    --backend "opencl:$device" --sizes "$sizes" --layers "$layers" --warmup "$warmup" --iterations "$iterations" --rounds "$rounds" \
    --peer "$out/clblast.txt" --log "$out/jmh.log" 2>"$out/report.err" \
    || { tail -40 "$out/jmh.log" "$out/report.err" >&2; exit 1; }
echo "load after: $(uptime)"
echo "JVM: $("$java" -version 2>&1 | head -1)"
