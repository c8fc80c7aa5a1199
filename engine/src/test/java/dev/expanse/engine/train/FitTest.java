package dev.expanse.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fit: validation, schedule, callbacks (early stopping, CSV, checkpoints), history; evaluate and predict. */
class FitTest {
    private static final Backend BE = CpuBackend.vector(2);

    @AfterAll
    static void close() {
        BE.close();
    }

    private static Sequential mlp() {
        return Architectures.mlp(BE, new Rng(3), 784, new int[] {24}, 10);
    }

    @Test
    void fitRecordsEveryEpochAndFollowsTheSchedule(@TempDir Path dir) throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        Sequential net = mlp();
        List<Path> saved = new ArrayList<>();
        Path csv = dir.resolve("h.csv");
        History h = Fit.fit(net, new Adam(net::parameters, 1e-3f), train, new FitOptions().epochs(3).batchSize(32)
                .validationSplit(0.2).seed(4).learningRate(LearningRate.decay(1e-3f, 0.5f))
                .callback(Callback.csv(csv)).callback(Callback.checkpoints(dir.resolve("last"), dir.resolve("best"), f -> {
                    saved.add(f);
                    Files.writeString(f, "x");
                })));
        assertEquals(3, h.epochs().size());
        assertArrayEquals(new double[] {1e-3, 5e-4, 2.5e-4}, h.epochs().stream().mapToDouble(History.Epoch::learningRate).toArray(), 1e-9);
        for (History.Epoch e : h.epochs()) {
            assertTrue(e.valAccuracy() > 0.1 && e.imagesPerSecond() > 0 && e.loss() > 0, e.toString());
        }
        assertTrue(h.last().accuracy() > h.epochs().get(0).accuracy(), "training improves the training accuracy");
        assertEquals(4, Files.readAllLines(csv).size(), "header and three epochs");
        assertEquals(3, saved.stream().filter(p -> p.endsWith("last")).count());
        assertTrue(saved.contains(dir.resolve("best")));
    }

    @Test
    void earlyStoppingStopsWhenValidationStopsImproving() throws IOException {
        // a learning rate far too small: validation accuracy cannot move by 0.5 points per epoch
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        Sequential net = mlp();
        History h = Fit.fit(net, new Adam(net::parameters, 1e-9f), train, new FitOptions().epochs(20).batchSize(64)
                .validationSplit(0.2).callback(Callback.earlyStopping(2, 0.005)));
        assertEquals(3, h.epochs().size(), "the best is the first epoch; two more without improvement, then stop");
    }

    @Test
    void evaluationCountsPerClassAndConfusion() throws IOException {
        Dataset test = Datasets.fixture("mnist", Datasets.Part.TEST);
        Sequential net = mlp();
        Evaluation e = Evaluation.of(net, test, 50);
        int[] pred = Trainer.predict(net, test, 50);
        long ok = 0, total = 0;
        for (int c = 0; c < 10; c++) {
            total += e.counts()[c];
            ok += e.confusion()[c][c];
            long row = 0;
            for (long v : e.confusion()[c]) row += v;
            assertEquals(e.counts()[c], row);
        }
        assertEquals(test.size(), total);
        long direct = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == test.label(i)) direct++;
        assertEquals(direct, ok);
        assertEquals((double) direct / test.size(), e.accuracy(), 1e-12);
    }

    @Test
    void predictionRanksBySoftmax() throws IOException {
        Prediction p = Prediction.ranked(new float[] {1f, 3f, 2f}, 2);
        double z = Math.exp(1) + Math.exp(3) + Math.exp(2);
        assertEquals(1, p.best());
        assertEquals(2, p.top().get(1).output());
        assertEquals(Math.exp(3) / z, p.top().get(0).probability(), 1e-12);
        assertEquals(Math.exp(2) / z, p.top().get(1).probability(), 1e-12);
        Dataset test = Datasets.fixture("mnist", Datasets.Part.TEST);
        Sequential net = mlp();
        float[] x = new float[3 * 784];
        for (int i = 0; i < 3; i++) System.arraycopy(test.image(i), 0, x, i * 784, 784);
        List<Prediction> ps = Prediction.of(net, x, 3, 10);
        int[] argmax = Trainer.predict(net, test.select(0, 1, 2), 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(argmax[i], ps.get(i).best());
            assertEquals(1.0, ps.get(i).top().stream().mapToDouble(Prediction.Scored::probability).sum(), 1e-9);
        }
        assertFalse(ps.isEmpty());
    }
}
