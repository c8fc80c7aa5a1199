package dev.expanse.cli;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Backends;

/** Opens the backend named on the command line ({@code --backend}), see {@link Backends#select(String)}. */
final class BackendChoice {
    private BackendChoice() {
    }

    static Backend open(String name) {
        return Backends.select(name);
    }
}
