package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.kernels.ChildJvm;
import java.io.IOException;
import java.util.List;
import java.util.Map;
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
        String output = ChildJvm.run(List.of("-Xmx256m"), Map.of(), WithoutVectorModuleMain.class);
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
