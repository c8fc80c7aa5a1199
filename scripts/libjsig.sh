# Sourced by the scripts that start a JVM which may open OpenCL: `preload_libjsig JAVA` puts the
# JDK's signal-chaining library of that java binary in front of LD_PRELOAD, when it has one. Without
# it an LLVM-based OpenCL driver (PoCL, Mesa) replaces the JVM's SIGSEGV handler and the JVM can die
# at random; see OpenClLibrary.signalHazard in the kernels module.
preload_libjsig() {
    local bin
    bin="$(readlink -f "$(command -v "$1")")" || return 0
    local lib="$(dirname "$(dirname "$bin")")/lib/libjsig.so"
    if [[ -f $lib ]]; then
        export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
    fi
}
