#!/usr/bin/env bash
# The OpenCL backend on a GPU machine that has no network, no JDK and no Maven: a self-contained
# bundle, packed here, that runs the OpenCL equivalence tests, the engine's OpenCL tests and the
# GEMM/convolution benchmarks on the GPU and prints a short table.
#
# On the development machine (needs the JDK, Maven with access to Maven Central once, ocl-icd;
# gcc and libclblast-dev optionally, for the CLBlast column):
#   bench/gpu-check.sh --pack DIR [--jdk JAVA_HOME]
#       builds the project, links a small Java runtime (jlink) from JAVA_HOME (default: the JDK of
#       `java` on PATH) and copies into DIR: the runtime, the benchmark jar (every project module
#       and JOCL), the test classes, the JUnit console launcher, the OpenCL ICD loader
#       libOpenCL.so.1 of this machine, the CLBlast peer, and this script as DIR/run.sh.
#
# On the GPU machine (copy DIR there):
#   DIR/run.sh [--device TEXT] [--sizes 256,512,1024,2048] [--quick | --tests-only] [--logs LOGDIR]
#       points the carried loader at the device's OpenCL driver (for nvidia: libnvidia-opencl.so.1,
#       found through ldconfig or the usual driver directories; for pocl: libpocl.so.2; any other
#       TEXT: the /etc/OpenCL/vendors/*TEXT*.icd file; `any`: the system's ICD files as they
#       are), then runs the tests with CI=true (a missing device fails instead of skipping) and
#       -Dexpanse.backend=opencl:TEXT, the benchmarks, and prints the table. Default device: nvidia.
#   (bench/gpu-check.sh --run DIR [options] is the same.)
#
# The bundle's runtime and loader come from this machine, so the GPU machine needs a glibc at
# least as new as the one here (2.34 with Debian 12's loader: Ubuntu 22.04, RHEL 9 or later).
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# ------------------------------------------------------------------------------------ pack

# Modules of the runtime. jdeps --print-module-deps on the jars and test classes also lists
# java.desktop (commons-math3 geometry, which JMH never loads) and java.compiler (error-prone
# annotations, compile-time only); leaving them out keeps the runtime about 10 MB smaller.
# jdk.zipfs is not in that list but JUnit needs it to scan packages inside jars.
MODULES=java.base,java.logging,java.management,java.sql,jdk.unsupported,jdk.zipfs,jdk.incubator.vector

pack() {
    local dir="$1" jdk="$2" root
    root="$(cd "$(dirname "$0")/.." && pwd)"
    [[ -e "$dir" ]] && { echo "gpu-check: $dir exists; give a new directory" >&2; exit 1; }
    local junit
    junit="1.$(sed -n 's:.*<junit.version>5\.\([0-9.]*\)</junit.version>.*:\1:p' "$root/pom.xml")"

    echo "gpu-check: building the project (tests compiled, not run)"
    (cd "$root" && mvn -B -q -ntp -Dstyle.color=never package -pl bench -am -DskipTests)
    mkdir -p "$dir/jars" "$dir/lib" "$dir/test-classes" "$dir/clblast"
    (cd "$root" && mvn -B -q -ntp -Dstyle.color=never -N dependency:copy \
        -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit" -DoutputDirectory="$dir/jars")
    cp "$root/bench/target/benchmarks.jar" "$dir/jars/"
    cp -r "$root/kernels/target/test-classes" "$dir/test-classes/kernels"
    cp -r "$root/engine/target/test-classes" "$dir/test-classes/engine"

    echo "gpu-check: linking a runtime from $jdk"
    local compress=zip-9  # JDK 21 and later; 17 knows only the levels 0, 1, 2
    "$jdk/bin/jlink" --version | grep -q '^1[0-9]\.' && compress=2
    "$jdk/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
        --compress="$compress" --output "$dir/runtime" 2> >(grep -v 'incubator modules' >&2)
    # Links (the licence files of some JDKs) become copies, so that link-dropping copies lose nothing.
    find "$dir/runtime" -type l -exec sh -c 'cp --remove-destination "$(readlink -f "$1")" "$1"' _ {} \;
    # Native symbol tables are a quarter of the runtime; nothing here needs them.
    if command -v strip >/dev/null; then
        find "$dir/runtime" -name '*.so' -exec strip --strip-unneeded {} +
        strip --strip-unneeded "$dir/runtime/bin/"* 2>/dev/null || true
    fi

    # The ICD loader, under both names: JOCL opens exactly libOpenCL.so. Copies, not links, so
    # that the bundle survives copying tools that drop links.
    local loader
    loader="$(ldconfig -p | awk '/libOpenCL\.so\.1 .*x86-64/ {print $NF; exit}')"
    [[ -n "$loader" ]] || { echo "gpu-check: no libOpenCL.so.1 here (install ocl-icd-libopencl1)" >&2; exit 1; }
    cp -L "$loader" "$dir/lib/libOpenCL.so.1"
    cp -L "$loader" "$dir/lib/libOpenCL.so"

    if "$root/bench/clblast/build.sh" 2>/dev/null; then
        cp "$root/bench/clblast/target/sgemm_bench" "$dir/clblast/"
        cp -L "$(ldconfig -p | awk '/libclblast\.so\.1 .*x86-64/ {print $NF; exit}')" "$dir/lib/libclblast.so.1"
    else
        echo "gpu-check: CLBlast peer not built (needs gcc and libclblast-dev); the bundle runs without it"
    fi
    cp "$0" "$dir/run.sh"
    chmod +x "$dir/run.sh"
    echo "gpu-check: packed $dir, $(du -sh "$dir" | cut -f1) ($(du -sb "$dir" | cut -f1) bytes)"
    echo "gpu-check: on the GPU machine run: $dir/run.sh [--device nvidia]"
}

# ------------------------------------------------------------------------------------- run

# The OpenCL driver library for a device name, or nothing.
find_driver() {
    local want="$1" lib="" arch
    arch="$(uname -m)-linux-gnu"
    case "$want" in
        nvidia) lib=libnvidia-opencl.so.1 ;;
        pocl) lib=libpocl.so.2 ;;
    esac
    if [[ -n "$lib" ]]; then
        local hit
        hit="$(ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l && /x86-64|64bit|AArch64/ {print $NF; exit}')"
        [[ -n "$hit" && -e "$hit" ]] && { echo "$hit"; return; }
        local d
        for d in "/usr/lib/$arch" "/lib/$arch" /usr/lib64 /usr/local/nvidia/lib64 /usr/local/nvidia/lib \
                 /usr/lib/nvidia /usr/lib64/nvidia /usr/local/cuda/lib64 /usr/lib/wsl/lib; do
            [[ -e "$d/$lib" ]] && { echo "$d/$lib"; return; }
        done
        # A driver installed without its .so.1 link: libnvidia-opencl.so.550.54.15 and the like.
        for d in "/usr/lib/$arch" /usr/lib64 /usr/local/nvidia/lib64; do
            for hit in "$d/${lib%.1}".*; do
                [[ -e "$hit" ]] && { echo "$hit"; return; }
            done
        done
        return
    fi
    local icd
    for icd in "${OPENCL_VENDOR_PATH:-/etc/OpenCL/vendors}"/*"$want"*.icd; do
        [[ -e "$icd" ]] && { head -n1 "$icd"; return; }
    done
}

run() {
    local dir="$1"; shift
    local device=nvidia sizes=256,512,1024,2048 warmup=3 iterations=3 logs="" bench=1
    while (($#)); do
        case "$1" in
            --device) device="$2"; shift 2 ;;
            --sizes) sizes="$2"; shift 2 ;;
            --quick) warmup=2 iterations=2; shift ;;
            --tests-only) bench=0; shift ;;
            --logs) logs="$2"; shift 2 ;;
            *) usage ;;
        esac
    done
    dir="$(cd "$dir" && pwd)"
    [[ -x "$dir/runtime/bin/java" ]] || { echo "gpu-check: $dir is not a packed bundle (no runtime/bin/java)" >&2; exit 1; }
    [[ -n "$logs" ]] || logs="$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")"
    mkdir -p "$logs"

    local glibc
    glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
    if [[ -n "$glibc" ]] && [[ "$(printf '%s\n2.34\n' "$glibc" | sort -V | head -n1)" != 2.34 ]]; then
        echo "gpu-check: warning: glibc $glibc here; the bundled loader was built for 2.34 or later" >&2
    fi

    export LD_LIBRARY_PATH="$dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    local choice=opencl driver=""
    if [[ "$device" != any ]]; then
        choice="opencl:$device"
        driver="$(find_driver "$device")"
        if [[ -z "$driver" ]]; then
            echo "gpu-check: no OpenCL driver found for '$device' (looked through ldconfig, the usual driver" \
                 "directories and /etc/OpenCL/vendors/*$device*.icd); --device any uses the system's ICD files" >&2
            exit 1
        fi
        # ocl-icd loads exactly this library when OCL_ICD_VENDORS names one, whatever /etc/OpenCL
        # holds, so the tests (which take the first device) see only this driver.
        export OCL_ICD_VENDORS="$driver"
        [[ "$driver" == /* ]] && export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$(dirname "$driver")"
    fi
    local java="$dir/runtime/bin/java"
    # The JVM's signal handlers stay in front of the driver's (scripts/libjsig.sh says why).
    [[ -f $dir/runtime/lib/libjsig.so ]] && export LD_PRELOAD="$dir/runtime/lib/libjsig.so"
    local jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g -Dexpanse.log=warn)
    local cp="$dir/jars/benchmarks.jar"
    local layers=n64c1h28f16k5p0,n64c16h12f32k5p0,n32c64h16f64k3p1,n64c1h28f32k5p0,n64c32h14f64k3p1,n64c64h8f64k3p1

    echo "gpu-check: device '$device', driver ${driver:-from /etc/OpenCL/vendors}; logs in $logs"
    local tests_rc=0
    CI=true "$java" "${jvm[@]}" -D"expanse.backend=$choice" -jar "$dir"/jars/junit-platform-console-standalone-*.jar \
        execute --disable-banner --disable-ansi-colors --details=summary \
        --class-path "$cp:$dir/test-classes/kernels:$dir/test-classes/engine" \
        --select-package dev.expanse.kernels.opencl --select-class dev.expanse.engine.OpenClEngineTest \
        >"$logs/tests.log" 2>&1 || tests_rc=$?

    local peer=() peer_note="" bench_rc=0
    if ((bench)) && [[ -x "$dir/clblast/sgemm_bench" ]]; then
        if "$dir/clblast/sgemm_bench" -d "$device" -t 1 ${sizes//,/ } ${layers//,/ } >"$logs/clblast.txt" 2>"$logs/clblast.log"; then
            peer=(--peer "$logs/clblast.txt")
        else
            peer_note="CLBlast peer failed (see $logs/clblast.log)"
        fi
    fi
    if ((bench)); then
        "$java" "${jvm[@]}" -Djmh.ignoreLock=true -cp "$cp" dev.expanse.bench.OpenClReport --backend "$choice" --sizes "$sizes" \
            --layers "$layers" --warmup "$warmup" --iterations "$iterations" ${peer[@]+"${peer[@]}"} --log "$logs/jmh.log" \
            >"$logs/bench.md" 2>"$logs/bench.err" || bench_rc=$?
    fi

    echo
    echo "| check | result |"
    echo "|---|---|"
    echo "| OpenCL tests (kernels equivalence + OpenClEngineTest) | $(summary "$logs/tests.log") (exit $tests_rc) |"
    if ((bench)); then
        echo "| benchmarks | $( ((bench_rc == 0)) && echo ok || echo "failed (exit $bench_rc, see $logs/bench.err and jmh.log)") |"
        [[ -n "$peer_note" ]] && echo "| CLBlast | $peer_note |"
        echo
        cat "$logs/bench.md"
    fi
    if ((tests_rc != 0)); then
        echo; echo "Failed tests:"; sed -n '/Failures (/,/Test run finished/p' "$logs/tests.log" | head -60
    fi
    ((tests_rc == 0 && bench_rc == 0))
}

# "12 passed, 0 failed, 0 skipped" from the JUnit console summary.
summary() {
    awk '/tests successful/ {ok=$2} /tests failed/ {bad=$2} /tests skipped/ {sk=$2} /tests aborted/ {ab=$2}
         END {printf "%d passed, %d failed, %d skipped, %d aborted", ok, bad, sk, ab}' "$1"
}

here="$(cd "$(dirname "$0")" && pwd)"
case "${1:-}" in
    --pack)
        [[ $# -ge 2 ]] || usage
        dir="$2" jdk=""
        [[ "${3:-}" == --jdk ]] && jdk="${4:-}"
        [[ -n "$jdk" ]] || jdk="$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ {print $2}')"
        pack "$(mkdir -p "$(dirname "$2")" && cd "$(dirname "$2")" && pwd)/$(basename "$2")" "$jdk" ;;
    --run)
        [[ $# -ge 2 ]] || usage
        dir="$2"; shift 2
        run "$dir" "$@" ;;
    -h|--help) usage ;;
    *)
        # Inside a bundle, run.sh with no mode runs it.
        [[ -x "$here/runtime/bin/java" ]] || usage
        run "$here" "$@" ;;
esac
