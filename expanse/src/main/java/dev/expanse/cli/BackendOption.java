package dev.expanse.cli;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Backends;
import picocli.CommandLine.Option;

/** {@code --backend}: where every network of a command lives. */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "cpu, opencl, opencl:<device>, or auto (OpenCL on a GPU if there is one, else cpu). "
                    + "Default: the system property " + Backends.PROPERTY + " when set, else auto.")
    String name;

    /**
     * Opens the backend: the one named by the option, else the one named by the system property
     * {@value Backends#PROPERTY} ({@link Backends#select()}), so that {@code -Dexpanse.backend=...}
     * in {@code EXPANSE_JAVA_OPTS} is not overridden by a default. The caller closes it.
     */
    Backend open() {
        return name == null ? Backends.select() : Args.option("--backend", () -> Backends.select(name));
    }
}
