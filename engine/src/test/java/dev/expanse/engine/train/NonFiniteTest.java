package dev.expanse.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.expanse.engine.optim.Sgd;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NaN and infinities stop training at once, naming the step and the parameter; they are refused as settings. */
class NonFiniteTest {
    private static final CpuBackend BE = CpuBackend.scalar();

    private static Sequential mlp() {
        return Architectures.mlp(BE, new Rng(1), 784, new int[] {32, 16}, 10);
    }

    private static Batch firstBatch() throws IOException {
        return Datasets.fixture("mnist", Datasets.Part.TRAIN).batches(50, null).iterator().next();
    }

    /** The issue's {@code train --lr 1e30}: it used to print "loss NaN" and finish. */
    @Test
    void aHugeLearningRateStopsTheEpochNamingTheBatchAndTheStep() throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        Sequential net = mlp();
        Adam adam = new Adam(net::parameters, 1e30f);
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> Trainer.epoch(net, adam, train, 50, new Rng(2), Progress.silent(), "epoch 1"));
        assertTrue(e.getMessage().startsWith("training stopped at epoch 1, batch " + e.step() + "/12: loss "), e.getMessage());
        assertTrue(e.getMessage().contains("at optimizer step " + e.step() + "; the update was not applied"), e.getMessage());
        assertEquals(e.step() - 1, adam.updates());
        assertTrue(e.step() >= 2, "the first step's loss is finite: " + e.getMessage());
    }

    /** The failing step applies no update and zeroes the gradients: the weights are those after the last good step. */
    @Test
    void theRefusedStepLeavesTheWeightsOfTheLastGoodStep() throws IOException {
        Batch batch = firstBatch();
        Sequential net = mlp();
        Adam adam = new Adam(net::parameters, 1e30f);
        Trainer.step(net, adam, batch);
        List<float[]> good = net.parameters().stream().map(Parameter::toArray).toList();
        assertThrows(NonFiniteException.class, () -> Trainer.step(net, adam, batch));
        for (int i = 0; i < good.size(); i++) {
            Parameter p = net.parameters().get(i);
            assertArrayEquals(good.get(i), p.toArray(), p.name());
            assertArrayEquals(new float[p.toArray().length], p.gradToArray(), p.name() + " gradient");
        }
    }

    @Test
    void oneNaNWeightIsNamedWithItsPosition() throws IOException {
        Sequential net = mlp();
        Parameter w = net.parameters().get(2); // dense2.weight, 16 x 32
        float[] v = w.toArray();
        v[3 * 32 + 7] = Float.NaN;
        w.set(v);
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> Trainer.step(net, new Adam(net::parameters, 1e-3f), firstBatch()));
        assertEquals("dense2.weight", e.parameter());
        assertEquals(1, e.step());
        assertTrue(e.getMessage().contains("weights of dense2.weight has 1 NaN and 0 infinite values, the first at [3, 7]"),
                e.getMessage());
    }

    @Test
    void aNaNPixelIsNamedAsTheInput() throws IOException {
        Batch b = firstBatch();
        b.x()[5 * 784 + 100] = Float.NaN;
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> Trainer.step(mlp(), new Adam(mlp()::parameters, 1e-3f), b));
        assertNull(e.parameter());
        assertTrue(e.getMessage().contains("the input batch has 1 NaN and 0 infinite values, the first at [5, 100]"),
                e.getMessage());
    }

    @Test
    void nonFiniteSettingsAreRefused() {
        Sequential net = mlp();
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, 0f, -1f}) {
            assertThrows(IllegalArgumentException.class, () -> new Adam(net::parameters, bad), "lr " + bad);
            assertThrows(IllegalArgumentException.class, () -> new Sgd(net::parameters, bad, 0f, 0f), "lr " + bad);
            assertThrows(IllegalArgumentException.class, () -> new Adam(net::parameters, 1e-3f).setLearningRate(bad));
        }
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1f, -0.1f}) {
            assertThrows(IllegalArgumentException.class, () -> new Adam(net::parameters, 1e-3f, bad, 0.999f, 1e-8f), "beta1 " + bad);
            assertThrows(IllegalArgumentException.class, () -> new Adam(net::parameters, 1e-3f, 0.9f, bad, 1e-8f), "beta2 " + bad);
            assertThrows(IllegalArgumentException.class, () -> new Sgd(net::parameters, 0.1f, bad, 0f), "momentum " + bad);
        }
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new Adam(net::parameters, 1e-3f, 0.9f, 0.999f, bad), "eps " + bad);
            assertThrows(IllegalArgumentException.class, () -> new Sgd(net::parameters, 0.1f, 0.9f, bad), "decay " + bad);
        }
    }
}
