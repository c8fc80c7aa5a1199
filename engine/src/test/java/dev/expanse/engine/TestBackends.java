package dev.expanse.engine;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.util.stream.Stream;

/** The backends every engine test runs on. */
final class TestBackends {
    private TestBackends() {
    }

    static final Backend SCALAR = new CpuBackend(false, 1);
    static final Backend VECTOR = new CpuBackend(true, 2);

    static Stream<Backend> cpu() {
        return Stream.of(SCALAR, VECTOR);
    }
}
