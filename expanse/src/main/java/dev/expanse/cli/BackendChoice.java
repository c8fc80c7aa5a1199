package dev.expanse.cli;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;

/** Opens the backend named on the command line. */
final class BackendChoice {
    private BackendChoice() {
    }

    static Backend open(String name) {
        if (name.equals("cpu") || name.equals("auto")) return CpuBackend.fromProperties();
        throw new IllegalArgumentException("unknown backend '" + name + "' (cpu, auto)");
    }
}
