package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The library runs without {@code --add-modules jdk.incubator.vector}: a JVM started without it
 * (the same {@code java} binary and class path as this one) runs {@link WithoutVectorModuleMain},
 * which must get the scalar backend, named with the reason, from both factories, and correct
 * results from it, with no {@link NoClassDefFoundError}.
 */
class WithoutVectorModuleTest {

    @Test
    void theFactoriesFallBackToTheScalarBackendAndItComputes() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WithoutVectorModuleMain.class.getName()));
        // the launcher would add options from these to the child, --add-modules among them
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish: " + output);
        assertEquals(0, p.exitValue(), output);
        assertFalse(output.contains("NoClassDefFoundError"), output);
        List<String> names = output.lines().filter(l -> l.startsWith("backend: ")).toList();
        assertEquals(2, names.size(), output);
        for (String line : names) {
            assertTrue(line.startsWith("backend: cpu-scalar (jdk.incubator.vector not present"), line);
            assertTrue(line.contains("--add-modules jdk.incubator.vector"), line);
            assertTrue(line.endsWith("vector=false"), line);
        }
    }
}
