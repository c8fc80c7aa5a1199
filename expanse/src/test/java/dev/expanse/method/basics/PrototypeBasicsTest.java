package dev.expanse.method.basics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.basics.PrototypeBasics.Rule;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PrototypeBasicsTest {
    private static final Backend BE = CpuBackend.vector(2);

    @AfterAll
    static void close() {
        BE.close();
    }

    /**
     * Six 1x1x3 images of classes 0 and 1 (interleaved, so indices are not class-sorted):
     * class 0 = examples 0, 2, 3, 5 = [0,0,0], [1,1,1], [.5,.5,.5], [.25,.75,.5];
     * class 1 = examples 1, 4 = [1,0,0], [0,1,0]. All values are exact in binary, so the ties
     * below are exact.
     */
    private static Dataset tiny() {
        float[] x = {
            0f, 0f, 0f, // 0: class 0
            1f, 0f, 0f, // 1: class 1
            1f, 1f, 1f, // 2: class 0
            .5f, .5f, .5f, // 3: class 0
            0f, 1f, 0f, // 4: class 1
            .25f, .75f, .5f, // 5: class 0
        };
        return Dataset.of(x, new int[] {0, 1, 0, 0, 1, 0}, 1, 1, 3, 3);
    }

    @Test
    void nearestMeanMatchesHandComputedChoices() {
        // class 0 mean = (0 + 1 + .5 + .25, 0 + 1 + .5 + .75, 0 + 1 + .5 + .5) / 4
        //              = (.4375, .5625, .5)
        // squared distances: ex 3: .0625^2 * 2 = .0078125; ex 5: .1875^2 * 2 = .0703125;
        // ex 0: .4375^2 + .5625^2 + .25 = .7578125; ex 2: .5625^2 + .4375^2 + .25 = .7578125
        // (a tie, so index 0 before index 2).
        // class 1 mean = (.5, .5, 0): both at distance .5, a tie: index 1 before 4.
        // class 2 has no examples.
        Dataset d = tiny();
        assertArrayEquals(new int[] {3, 5, 0, 1, 4},
                PrototypeBasics.indices(d, 3, Rule.NEAREST_MEAN, new Rng(1), null));
        assertArrayEquals(new int[] {3, 1},
                PrototypeBasics.indices(d, 1, Rule.NEAREST_MEAN, new Rng(1), null));
        Dataset chosen = PrototypeBasics.select(d, 2, Rule.NEAREST_MEAN, new Rng(1), null);
        assertArrayEquals(new int[] {0, 0, 1, 1}, chosen.labels());
        assertArrayEquals(new float[] {.5f, .5f, .5f}, chosen.image(0), 0f);
        assertArrayEquals(new float[] {0f, 1f, 0f}, chosen.image(3), 0f);
    }

    @Test
    void nearestMeanOnTheFixtureChoosesTheClosestOfEachClass() throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        int k = 5;
        int[] idx = PrototypeBasics.indices(train, k, Rule.NEAREST_MEAN, new Rng(1), null);
        assertEquals(10 * k, idx.length);
        double[] dist = distancesToClassMean(train);
        for (int c = 0; c < 10; c++) {
            double worstChosen = 0;
            for (int j = 0; j < k; j++) {
                assertEquals(c, train.label(idx[c * k + j]));
                worstChosen = Math.max(worstChosen, dist[idx[c * k + j]]);
                if (j > 0) {
                    assertTrue(dist[idx[c * k + j - 1]] <= dist[idx[c * k + j]], "ranked");
                }
            }
            for (int i = 0; i < train.size(); i++) {
                boolean isChosen = false;
                for (int j = 0; j < k; j++) {
                    isChosen |= idx[c * k + j] == i;
                }
                if (train.label(i) == c && !isChosen) {
                    assertTrue(dist[i] >= worstChosen - 1e-9, "example " + i + " is closer");
                }
            }
        }
    }

    @Test
    void confidentLinearChoosesTypicalExamplesReproducibly() throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        int k = 6;
        int[] a = PrototypeBasics.indices(train, k, Rule.CONFIDENT_LINEAR, new Rng(4), BE);
        int[] b = PrototypeBasics.indices(train, k, Rule.CONFIDENT_LINEAR, new Rng(4), BE);
        assertArrayEquals(a, b, "same seed, same choice");
        assertEquals(10 * k, a.length);
        // typical by one measure is typical by the other: the chosen examples sit closer to
        // their class means than the average training example does
        double[] dist = distancesToClassMean(train);
        double chosen = 0, all = 0;
        for (int j = 0; j < a.length; j++) {
            assertEquals(j / k, train.label(a[j]));
            chosen += dist[a[j]] / a.length;
        }
        for (double v : dist) {
            all += v / dist.length;
        }
        assertTrue(chosen < all, "chosen mean distance " + chosen + ", all " + all);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> PrototypeBasics.select(tiny(), 0, Rule.NEAREST_MEAN, new Rng(1), null));
        assertThrows(IllegalArgumentException.class,
                () -> PrototypeBasics.indices(tiny(), 1, Rule.CONFIDENT_LINEAR, new Rng(1), null));
    }

    /** Euclidean distance of every example to its class mean, computed here from scratch. */
    private static double[] distancesToClassMean(Dataset d) {
        int f = d.features();
        double[][] mean = new double[d.numClasses()][f];
        int[] counts = d.classCounts();
        for (int i = 0; i < d.size(); i++) {
            float[] x = d.image(i);
            for (int j = 0; j < f; j++) {
                mean[d.label(i)][j] += x[j] / counts[d.label(i)];
            }
        }
        double[] dist = new double[d.size()];
        for (int i = 0; i < d.size(); i++) {
            float[] x = d.image(i);
            double s = 0;
            for (int j = 0; j < f; j++) {
                s += (x[j] - mean[d.label(i)][j]) * (x[j] - mean[d.label(i)][j]);
            }
            dist[i] = Math.sqrt(s);
        }
        return dist;
    }
}
