package dev.expanse.method.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.basics.PrototypeBasics;
import dev.expanse.method.train.TwoStep.EpochRecord;
import dev.expanse.method.train.TwoStep.Phase;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TwoStepTest {
    private static final Backend BE = CpuBackend.vector(2);
    private static Dataset train;
    private static Dataset val;
    private static Dataset basics;

    @BeforeAll
    static void data() throws IOException {
        Dataset.Split s = Datasets.fixture("mnist", Datasets.Part.TRAIN).split(0.9, new Rng(1));
        train = s.first(); // 540
        val = s.second(); // 60
        basics = PrototypeBasics.select(train, 5, PrototypeBasics.Rule.NEAREST_MEAN, new Rng(1), null);
    }

    @AfterAll
    static void close() {
        BE.close();
    }

    private static Sequential mlp(long seed) {
        return Architectures.mlp(BE, new Rng(seed), 784, new int[] {32}, 10);
    }

    @Test
    void twoStepRunsBothPhasesWithTheirEpochCounts() throws IOException {
        Phase step1 = new Phase(2, 3e-3f, 16);
        Phase step2 = new Phase(3, 1e-3f, 64);
        Sequential net = mlp(1);
        List<EpochRecord> r = TwoStep.train(net, basics, train, val, step1, step2, new Rng(2),
                Progress.silent());
        assertEquals(5, r.size());
        String[] phases = {"step1", "step1", "step2", "step2", "step2"};
        int[] epochs = {1, 2, 1, 2, 3};
        // 50 basics in batches of 16: 4 steps; 50 + 540 in batches of 64: 10 steps
        long[] steps = {4, 4, 10, 10, 10};
        for (int i = 0; i < r.size(); i++) {
            EpochRecord e = r.get(i);
            assertEquals(phases[i], e.phase(), "record " + i);
            assertEquals(epochs[i], e.epoch(), "record " + i);
            assertEquals(steps[i], e.steps(), "record " + i);
            assertTrue(e.trainLoss() > 0 && Double.isFinite(e.trainLoss()), "record " + i);
            assertTrue(e.valAccuracy() >= 0 && e.valAccuracy() <= 1, "record " + i);
            assertTrue(e.seconds() >= 0, "record " + i);
        }
        assertEquals(TwoStep.steps(step1, step2, basics.size(), train.size()), TwoStep.steps(r));
        // it learned: well above the 10% of chance on the held-out fixture test set
        double acc = Trainer.accuracy(net, Datasets.fixture("mnist", Datasets.Part.TEST), 100);
        assertTrue(acc > 0.5, "test accuracy " + acc);
        // step 1 fits its basics: the second epoch has a lower loss than the first
        assertTrue(r.get(1).trainLoss() < r.get(0).trainLoss(), "step 1 loss falls");
    }

    @Test
    void twoStepIsReproducible() {
        Phase step1 = new Phase(1, 3e-3f, 16);
        Phase step2 = new Phase(1, 1e-3f, 64);
        List<EpochRecord> a = TwoStep.train(mlp(3), basics, train, null, step1, step2,
                new Rng(5), Progress.silent());
        List<EpochRecord> b = TwoStep.train(mlp(3), basics, train, null, step1, step2,
                new Rng(5), Progress.silent());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss(), 0.0, "record " + i);
            assertTrue(Double.isNaN(a.get(i).valAccuracy()), "no validation set");
        }
    }

    @Test
    void oneStepTakesExactlyTheBudget() {
        // 540 examples in batches of 64: 9 steps an epoch; 23 steps = 2 epochs + 5 steps
        List<EpochRecord> r = TwoStep.oneStep(mlp(1), train, val, 1e-3f, 64, 23, new Rng(3),
                Progress.silent());
        assertEquals(3, r.size());
        assertEquals(List.of(9L, 9L, 5L), r.stream().map(EpochRecord::steps).toList());
        assertEquals(List.of(1, 2, 3), r.stream().map(EpochRecord::epoch).toList());
        assertTrue(r.stream().allMatch(e -> e.phase().equals(TwoStep.ONE_STEP)));
        assertEquals(23, TwoStep.steps(r));
        assertEquals(2, TwoStep.oneStep(mlp(1), train, null, 1e-3f, 64, 18, new Rng(3),
                Progress.silent()).size(), "a whole number of epochs has no partial one");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Phase(-1, 1e-3f, 8));
        assertThrows(IllegalArgumentException.class, () -> new Phase(1, 0f, 8));
        assertThrows(IllegalArgumentException.class, () -> new Phase(1, 1e-3f, 0));
        assertThrows(IllegalArgumentException.class, () -> TwoStep.oneStep(mlp(1), train, val,
                1e-3f, 64, -1, new Rng(1), Progress.silent()));
    }
}
