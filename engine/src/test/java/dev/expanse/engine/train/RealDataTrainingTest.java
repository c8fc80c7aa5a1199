package dev.expanse.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's proof on real data: full MNIST (60k/10k), 3 epochs each. Runs with
 * {@code -Dexpanse.realData=true} (the {@code real-data} Maven profile, which CI uses) after
 * {@code scripts/fetch-data.sh}; skipped otherwise, with the reason. Fashion-MNIST accuracies are
 * measured by the same code through the command-line tool and reported, not asserted.
 */
class RealDataTrainingTest {

    @BeforeAll
    static void needsRealData() {
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(ci || Boolean.getBoolean("expanse.realData"),
                "real-data training skipped: run with -Preal-data (or -Dexpanse.realData=true) after scripts/fetch-data.sh");
    }

    private static double train(Sequential model, int epochs, float lr, long seed) throws IOException {
        Dataset train = Datasets.mnist(Datasets.Part.TRAIN);
        Dataset test = Datasets.mnist(Datasets.Part.TEST);
        Adam adam = new Adam(model::parameters, lr);
        Rng shuffle = new Rng(seed).fork("shuffle");
        for (int e = 0; e < epochs; e++) {
            Trainer.epoch(model, adam, train, 64, shuffle, Progress.silent(), "epoch");
            adam.setLearningRate(adam.learningRate() / 2); // halve per epoch: the usual step decay
        }
        return Trainer.accuracy(model, test, 500);
    }

    @Test
    void mlpReaches97point5PercentOnMnistIn3Epochs() throws IOException {
        try (CpuBackend be = CpuBackend.fromProperties()) {
            Sequential mlp = Architectures.mlp(be, new Rng(1), 784, new int[] {300, 200}, 10);
            double acc = train(mlp, 3, 1e-3f, 1);
            assertTrue(acc >= 0.975, "MLP 784-300-200-10 test accuracy " + acc);
        }
    }

    @Test
    void lenetReaches98point5PercentOnMnistIn3Epochs() throws IOException {
        try (CpuBackend be = CpuBackend.fromProperties()) {
            Sequential cnn = Architectures.lenet(be, new Rng(2), 1, 28, 28, 16, 32, 10);
            double acc = train(cnn, 3, 1e-3f, 2);
            assertTrue(acc >= 0.985, "LeNet-style CNN test accuracy " + acc);
        }
    }
}
