package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Backends;
import dev.expanse.kernels.cpu.CpuBackend;
import java.lang.reflect.Proxy;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * The backends every engine test runs on: the scalar and vector CPU kernels, and OpenCL (PoCL in
 * CI). A test that takes its backend from {@link #all()} runs on each by itself; nothing lists
 * tests per backend.
 *
 * <p>Where OpenCL is unavailable, {@link #all()} yields, in its place, a backend whose every call
 * aborts the test with the reason, so JUnit reports it as skipped and says why; when the
 * environment variable CI is "true", a missing OpenCL fails instead.
 */
public final class TestBackends {
    private TestBackends() {
    }

    public static final Backend SCALAR = CpuBackend.scalar();
    public static final Backend VECTOR = CpuBackend.vector(2);
    private static Backend openCl;

    /** The CPU backends: scalar reference and Vector API. */
    public static Stream<Backend> cpu() {
        return Stream.of(SCALAR, VECTOR);
    }

    /** Every backend: {@link #cpu()} and OpenCL (or its skip, see the class comment). */
    public static Stream<Backend> all() {
        return Stream.of(SCALAR, VECTOR, openCl());
    }

    /** The shared OpenCL backend for tests, opened on first use and closed at JVM exit. */
    public static synchronized Backend openCl() {
        if (openCl == null) {
            String why = Backends.openClUnavailableReason();
            if (why != null) {
                if ("true".equals(System.getenv("CI"))) fail("OpenCL is required in CI but unavailable: " + why);
                openCl = skipping("OpenCL tests skipped outside CI: " + why);
            } else {
                Backend cl = Backends.select("opencl");
                Runtime.getRuntime().addShutdownHook(new Thread(cl::close));
                openCl = cl;
            }
        }
        return openCl;
    }

    /** A backend named "opencl (unavailable)" whose every other call aborts the calling test with {@code reason}. */
    private static Backend skipping(String reason) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name", "toString" -> "opencl (unavailable)";
                    case "close" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new TestAbortedException(reason);
                });
    }
}
