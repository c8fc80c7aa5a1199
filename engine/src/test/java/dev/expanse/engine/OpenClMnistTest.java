package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * One epoch of the MLP 784-300-200-10 on full MNIST, on OpenCL and on the CPU, from the same seed:
 * the test accuracies agree within 0.3 points. Needs the real data (-Preal-data, or CI).
 */
class OpenClMnistTest {

    private static double oneEpoch(Backend be, Dataset train, Dataset test) {
        Sequential mlp = Architectures.mlp(be, new Rng(5).fork("init"), 784, new int[] {300, 200}, 10);
        Adam adam = new Adam(mlp::parameters, 1e-3f);
        Trainer.epoch(mlp, adam, train, 64, new Rng(5).fork("shuffle"), Progress.silent(), "epoch");
        return Trainer.accuracy(mlp, test, 500);
    }

    @Test
    void oneEpochOnOpenClMatchesTheCpuWithinAThirdOfAPoint() throws IOException {
        assumeTrue("true".equals(System.getenv("CI")) || Boolean.getBoolean("expanse.realData"),
                "real-data OpenCL training skipped: run with -Preal-data after scripts/fetch-data.sh");
        Backend cl = TestBackends.openCl();
        Dataset train = Datasets.mnist(Datasets.Part.TRAIN), test = Datasets.mnist(Datasets.Part.TEST);
        try (CpuBackend cpu = CpuBackend.vector(2)) {
            double onCl = oneEpoch(cl, train, test), onCpu = oneEpoch(cpu, train, test);
            assertTrue(Math.abs(onCl - onCpu) <= 0.003, "OpenCL " + onCl + " vs CPU " + onCpu);
            assertTrue(onCpu > 0.95, "one epoch should reach 95%: " + onCpu);
        }
    }
}
