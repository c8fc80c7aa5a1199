package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Embedding the library must not need a JVM flag: a JVM started without
 * {@code --add-modules jdk.incubator.vector} gets the scalar kernels, says so in the backend's
 * name, and trains.
 */
class TrainingWithoutVectorModuleTest {

    /** Run in the forked JVM: one epoch of a small CNN and MLP on random data, then prints the backend and the loss. */
    public static void main(String[] args) {
        try (Backend be = CpuBackend.fromProperties()) {
            Rng rng = new Rng(1);
            float[] x = new float[32 * 256];
            int[] y = new int[32];
            for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat();
            for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(3);
            Dataset data = Dataset.of(x, y, 1, 16, 16, 3);
            Sequential mlp = Architectures.mlp(be, rng, 256, new int[] {16}, 3);
            Sequential cnn = Architectures.lenet(be, rng, 1, 16, 16, 2, 2, 3);
            double loss = 0;
            for (Sequential net : List.of(mlp, cnn)) {
                loss += Trainer.epoch(net, new Adam(net::parameters, 1e-2f), data, 8, rng, Progress.silent(), "e").loss();
            }
            System.out.println("backend: " + be.name());
            System.out.println("loss: " + loss);
        }
    }

    @Test
    void aJvmWithoutTheIncubatorModuleTrainsOnTheScalarKernels() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TrainingWithoutVectorModuleTest.class.getName()).redirectErrorStream(true);
        pb.environment().remove("JDK_JAVA_OPTIONS"); // they could add the module back
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the forked JVM did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("NoClassDefFoundError"), out);
        assertTrue(out.contains("backend: cpu-scalar") && out.contains("jdk.incubator.vector"), out);
        String loss = out.lines().filter(l -> l.startsWith("loss: ")).findFirst().orElseThrow().substring(6);
        assertTrue(Double.isFinite(Double.parseDouble(loss)), out);
    }
}
