package dev.expanse.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Batch;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Training on the committed MNIST fixture: it learns, and a seed reproduces a run bit for bit. */
class TrainerTest {

    private static float[][] trainMlp(CpuBackend be, long seed, Dataset train) {
        Sequential net = Architectures.mlp(be, new Rng(seed).fork("init"), 784, new int[] {64}, 10);
        Adam adam = new Adam(net::parameters, 2e-3f);
        Rng shuffle = new Rng(seed).fork("shuffle");
        for (int e = 0; e < 5; e++) Trainer.epoch(net, adam, train, 32, shuffle, Progress.silent(), "e");
        return net.parameters().stream().map(Parameter::toArray).toArray(float[][]::new);
    }

    @Test
    void mlpLearnsTheFixtureAndBeatsChance() throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        Dataset test = Datasets.fixture("mnist", Datasets.Part.TEST);
        try (CpuBackend be = CpuBackend.vector(2)) {
            Sequential net = Architectures.mlp(be, new Rng(1), 784, new int[] {64}, 10);
            double before = Trainer.accuracy(net, test, 50);
            Adam adam = new Adam(net::parameters, 2e-3f);
            Rng shuffle = new Rng(2);
            Trainer.EpochStats first = null, last = null;
            for (int e = 0; e < 8; e++) {
                last = Trainer.epoch(net, adam, train, 32, shuffle, Progress.silent(), "e");
                if (first == null) first = last;
            }
            double after = Trainer.accuracy(net, test, 50);
            assertTrue(last.loss() < first.loss() / 2, "loss " + first.loss() + " -> " + last.loss());
            assertTrue(after > 0.75 && after > before + 0.4, "accuracy " + before + " -> " + after);
            assertEquals(test.size(), Trainer.predict(net, test, 64).length);
        }
    }

    @Test
    void sameSeedAndThreadsReproduceBitForBit() throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        try (CpuBackend a = CpuBackend.vector(2); CpuBackend b = CpuBackend.vector(2)) {
            float[][] w1 = trainMlp(a, 7, train), w2 = trainMlp(b, 7, train), w3 = trainMlp(b, 8, train);
            for (int i = 0; i < w1.length; i++) assertArrayEquals(w1[i], w2[i], "parameter " + i);
            assertTrue(!java.util.Arrays.equals(w1[0], w3[0]), "another seed should give other weights");
        }
    }

    @Test
    void aStepReportsItsForwardPassAndUpdatesTheWeights() throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        try (CpuBackend be = CpuBackend.scalar()) {
            Sequential net = Architectures.mlp(be, new Rng(3), 784, new int[] {16}, 10);
            Adam adam = new Adam(net::parameters, 1e-2f);
            Batch batch = train.batches(50, null).iterator().next();
            Dataset same = train.select(batch.indices());
            int[] before = Trainer.predict(net, same, 50);
            int expected = 0;
            for (int i = 0; i < before.length; i++) if (before[i] == batch.labels()[i]) expected++;
            float[] w0 = net.parameters().get(0).toArray();

            Trainer.StepStats first = Trainer.step(net, adam, batch);
            assertEquals(50, first.examples());
            assertEquals(expected, first.correct(), "counted on the logits before the update");
            assertTrue(first.loss() > 0 && Float.isFinite(first.loss()), "loss " + first.loss());
            assertTrue(!java.util.Arrays.equals(w0, net.parameters().get(0).toArray()), "the optimizer stepped");
            Trainer.StepStats later = first;
            for (int i = 0; i < 20; i++) later = Trainer.step(net, adam, batch);
            assertTrue(later.loss() < first.loss() / 2, "loss " + first.loss() + " -> " + later.loss());
        }
    }

    @Test
    void epochStatsWeighStepsByTheirExamples() {
        Trainer.EpochStats s = Trainer.EpochStats.of(java.util.List.of(
                new Trainer.StepStats(1f, 3, 4), new Trainer.StepStats(4f, 1, 2)), 1.5);
        assertEquals((1.0 * 4 + 4.0 * 2) / 6, s.loss());
        assertEquals(4.0 / 6, s.accuracy());
        assertEquals(1.5, s.seconds());
        assertEquals(new Trainer.EpochStats(0, 0, 0), Trainer.EpochStats.of(java.util.List.of(), 0));
    }

    @Test
    void wrongInputSizeIsAClearError() throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        try (CpuBackend be = CpuBackend.scalar()) {
            Sequential net = Architectures.mlp(be, new Rng(1), 100, new int[] {8}, 10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.accuracy(net, train, 10));
            assertTrue(e.getMessage().contains("784"), e.getMessage());
        }
    }
}
