package dev.expanse.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.expanse.kernels.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An LLVM-based OpenCL driver (PoCL here) replaces the JVM's SIGSEGV handler when it starts, and
 * the JVM then dies at random ("Segmentation fault", no hs_err file: a CI run of ours did). The
 * JVM's libjsig, preloaded, prevents it: the test JVMs run with it (the surefire configuration),
 * and a JVM without it keeps {@code auto} away from OpenCL. Each case runs a child JVM
 * ({@link SignalHandlersMain}) under {@code -Xcheck:jni}, whose periodic check prints
 * "handler modified" when a signal handler of the JVM's was replaced.
 */
class SignalHandlersTest {
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final Path LIBJSIG = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");

    @BeforeAll
    static void linuxWithOpenCl() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"), "the hazard and libjsig's cure are Linux's");
        Equivalence.skipUnlessAvailable(Equivalence.deviceOrNull());
    }

    @Test
    void theTestJvmRunsWithLibjsig() {
        if (!CI) {
            assumeTrue(OpenClLibrary.signalHazard() == null, "run outside Maven without LD_PRELOAD=" + LIBJSIG + "; checked in CI");
        }
        assertNull(OpenClLibrary.signalHazard(), "surefire sets LD_PRELOAD=" + LIBJSIG);
    }

    @Test
    void withLibjsigTheDriversLeaveTheJvmsHandlersInPlace() throws Exception {
        String out = child(true, "devices");
        assertTrue(out.contains("hazard: null"), out);
        assertFalse(out.contains("handler modified"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("devices: [1-9]\\d*")), out);
    }

    @Test
    void withoutLibjsigTheDriversReplaceThemAndAutoStaysOnTheCpu() throws Exception {
        // What the guard is for: if this stops holding, a newer driver no longer takes the handlers over.
        String out = child(false, "devices");
        assertTrue(out.contains("Warning: SIGSEGV handler modified!"), out);

        out = child(false, "auto");
        assertFalse(out.contains("handler modified"), "auto must not start a driver here: " + out);
        assertTrue(out.contains("auto: OpenCL not probed: the JVM runs without libjsig"), out);
        assertTrue(out.contains("LD_PRELOAD=" + LIBJSIG), out);
        assertTrue(out.contains("backend: cpu-"), out);
    }

    /** Runs {@link SignalHandlersMain} under -Xcheck:jni, with or without libjsig preloaded; its output. */
    private static String child(boolean libjsig, String mode) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("LD_PRELOAD", libjsig ? LIBJSIG.toString() : null);
        String out = ChildJvm.run(List.of("-Xcheck:jni", "-Xmx256m", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED"), env, SignalHandlersMain.class, mode, "500");
        assertTrue(out.contains("done"), out);
        return out;
    }
}
