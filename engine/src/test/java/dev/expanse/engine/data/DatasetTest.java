package dev.expanse.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static final int CLASSES = 10;

    /**
     * N examples of shape [1, 1, 3] whose pixels spell out their own index (low byte, high byte)
     * and label, so any example can be traced back to where it came from. Labels are drawn from
     * a seeded Rng, so class counts are uneven.
     */
    private static Dataset traceable(int n, long seed) {
        Rng rng = new Rng(seed);
        byte[] pixels = new byte[n * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(CLASSES);
            pixels[3 * i] = (byte) (i & 0xFF);
            pixels[3 * i + 1] = (byte) (i >>> 8);
            pixels[3 * i + 2] = (byte) labels[i];
        }
        return Dataset.fromBytes(pixels, labels, 1, 1, 3, CLASSES);
    }

    /** The original index of example {@code i} of a dataset derived from {@link #traceable}. */
    private static int origin(Dataset d, int i) {
        float[] px = d.image(i);
        int low = Math.round(px[0] * 255);
        int high = Math.round(px[1] * 255);
        assertEquals(d.label(i), Math.round(px[2] * 255), "image and label travelled apart");
        return low | (high << 8);
    }

    private static int[] origins(Dataset d) {
        int[] o = new int[d.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = origin(d, i);
        }
        return o;
    }

    @Test
    void bytesAreNormalisedToTheUnitInterval() {
        byte[] pixels = new byte[256];
        for (int i = 0; i < 256; i++) {
            pixels[i] = (byte) i;
        }
        Dataset d = Dataset.fromBytes(pixels, new int[] {3, 7}, 2, 8, 8, CLASSES);
        assertEquals(2, d.size());
        assertEquals(128, d.features());
        assertEquals(2, d.channels());
        assertEquals(8, d.height());
        assertEquals(8, d.width());
        float[] all = new float[256];
        d.image(0, all, 0);
        d.image(1, all, 128);
        for (int i = 0; i < 256; i++) {
            assertEquals(i / 255.0, all[i], 1e-7, "pixel " + i); // float rounding of i/255
            assertTrue(all[i] >= 0f && all[i] <= 1f);
        }
        assertEquals(0f, all[0]);
        assertEquals(1f, all[255]);
    }

    @Test
    void ofChecksValuesAndCopiesItsInput() {
        float[] x = {0f, 0.5f, 1f, 0.25f};
        Dataset d = Dataset.of(x, new int[] {1, 2}, 1, 1, 2, 3);
        x[0] = 0.75f;
        assertEquals(0f, d.image(0)[0]);
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[] {1.5f}, new int[] {0}, 1, 1, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[] {Float.NaN}, new int[] {0}, 1, 1, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[] {0f}, new int[] {2}, 1, 1, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[] {0f, 0f, 0f}, new int[] {0}, 1, 1, 2, 2));
    }

    @Test
    void classCountsAddUpAndMatchTheLabels() {
        Dataset d = traceable(500, 1);
        int[] expected = new int[CLASSES];
        for (int l : d.labels()) {
            expected[l]++;
        }
        assertArrayEquals(expected, d.classCounts());
        assertEquals(500, Arrays.stream(d.classCounts()).sum());
    }

    @Test
    void filterClassesKeepsLabelValuesAndOrder() {
        Dataset d = traceable(500, 2);
        Dataset f = d.filterClasses(7, 5, 9, 6, 8);
        assertEquals(CLASSES, f.numClasses());
        int[] before = d.classCounts();
        int[] after = f.classCounts();
        for (int c = 0; c < CLASSES; c++) {
            assertEquals(c >= 5 ? before[c] : 0, after[c], "class " + c);
        }
        int[] o = origins(f);
        for (int i = 1; i < o.length; i++) {
            assertTrue(o[i - 1] < o[i], "original order is kept");
        }
        for (int i = 0; i < f.size(); i++) {
            assertEquals(d.label(o[i]), f.label(i));
        }
        assertEquals(0, d.filterClasses().size());
        assertThrows(IllegalArgumentException.class, () -> d.filterClasses(10));
        assertThrows(IllegalArgumentException.class, () -> d.filterClasses(-1));
    }

    @Test
    void relabelMapsEveryLabelAndKeepsImagesAndOrder() {
        Dataset d = traceable(300, 12).filterClasses(7, 3);
        int[] map = new int[CLASSES];
        Arrays.fill(map, -1);
        map[7] = 4;
        map[3] = 5;
        Dataset r = d.relabel(map, 6);
        assertEquals(6, r.numClasses());
        assertEquals(d.size(), r.size());
        for (int i = 0; i < d.size(); i++) {
            assertArrayEquals(d.image(i), r.image(i));
            assertEquals(d.label(i) == 7 ? 4 : 5, r.label(i));
        }
        map[3] = 6; // outside [0, 6)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.relabel(map, 6));
        assertTrue(e.getMessage().contains("class 3 maps to 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.relabel(new int[3], 6));
    }

    @Test
    void subsampleIsStratifiedAndReproducible() {
        Dataset d = traceable(1000, 3);
        double fraction = 2.0 / 3.0;
        Dataset s = d.subsample(fraction, new Rng(42));
        int[] before = d.classCounts();
        int[] after = s.classCounts();
        for (int c = 0; c < CLASSES; c++) {
            assertEquals(Math.round(fraction * before[c]), after[c], "class " + c);
        }
        int[] o = origins(s);
        for (int i = 1; i < o.length; i++) {
            assertTrue(o[i - 1] < o[i], "no duplicates, original order kept");
        }
        assertArrayEquals(o, origins(d.subsample(fraction, new Rng(42))), "same seed");
        assertFalse(Arrays.equals(o, origins(d.subsample(fraction, new Rng(43)))), "other seed");
    }

    @Test
    void subsampleEdgesAndErrors() {
        Dataset d = traceable(100, 4);
        assertEquals(0, d.subsample(0, new Rng(1)).size());
        assertArrayEquals(origins(d), origins(d.subsample(1, new Rng(1))));
        assertThrows(IllegalArgumentException.class, () -> d.subsample(-0.1, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> d.subsample(1.1, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> d.subsample(Double.NaN, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> d.subsample(0.5, null));
    }

    @Test
    void splitPartitionsTheDataAndItsFirstPartIsTheSubsample() {
        Dataset d = traceable(400, 5);
        Dataset.Split s = d.split(0.9, new Rng(7));
        assertEquals(d.size(), s.first().size() + s.second().size());
        boolean[] seen = new boolean[d.size()];
        for (Dataset part : List.of(s.first(), s.second())) {
            for (int o : origins(part)) {
                assertFalse(seen[o], "example " + o + " in both parts");
                seen[o] = true;
            }
        }
        assertArrayEquals(origins(d.subsample(0.9, new Rng(7))), origins(s.first()));
        int[] all = d.classCounts();
        int[] second = s.second().classCounts();
        for (int c = 0; c < CLASSES; c++) {
            assertEquals(all[c] - Math.round(0.9 * all[c]), second[c], "class " + c);
        }
    }

    @Test
    void concatAppendsAndChecksShapes() {
        Dataset a = traceable(30, 6);
        Dataset b = traceable(20, 7);
        Dataset c = a.concat(b);
        assertEquals(50, c.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(a.image(i), c.image(i));
            assertEquals(a.label(i), c.label(i));
        }
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(b.image(i), c.image(30 + i));
            assertEquals(b.label(i), c.label(30 + i));
        }
        Dataset otherShape = Dataset.fromBytes(new byte[3], new int[] {0}, 1, 3, 1, CLASSES);
        assertThrows(IllegalArgumentException.class, () -> a.concat(otherShape));
        Dataset otherClasses = Dataset.fromBytes(new byte[3], new int[] {0}, 1, 1, 3, 5);
        assertThrows(IllegalArgumentException.class, () -> a.concat(otherClasses));
    }

    @Test
    void selectAllowsRepeatsAndRejectsOutOfRange() {
        Dataset d = traceable(10, 8);
        assertArrayEquals(new int[] {3, 3, 0}, origins(d.select(3, 3, 0)));
        assertThrows(IndexOutOfBoundsException.class, () -> d.select(10));
        assertThrows(IndexOutOfBoundsException.class, () -> d.select(-1));
    }

    /** Runs one epoch, checking each batch is self-consistent; returns the visit order. */
    private static int[] epoch(Dataset d, Iterable<Batch> batches, int batchSize) {
        List<Integer> order = new ArrayList<>();
        int count = 0;
        for (Batch b : batches) {
            count++;
            assertEquals(b.size(), b.x().length / d.features());
            assertEquals(b.size(), b.y().length);
            assertEquals(b.size(), b.labels().length);
            assertEquals(b.size(), b.indices().length);
            for (int k = 0; k < b.size(); k++) {
                int i = b.indices()[k];
                assertArrayEquals(d.image(i),
                        Arrays.copyOfRange(b.x(), k * d.features(), (k + 1) * d.features()));
                assertEquals(d.label(i), b.labels()[k]);
                assertEquals(d.label(i), b.y()[k]); // exact: small ints are exact in float
                order.add(i);
            }
        }
        assertEquals(d.batchCount(batchSize), count);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void batchesVisitEveryExampleOncePerEpoch() {
        Dataset d = traceable(103, 9);
        for (Rng rng : new Rng[] {null, new Rng(1)}) {
            Iterable<Batch> batches = d.batches(10, rng);
            int[] sizes = new int[11];
            int b = 0;
            for (Batch batch : batches) {
                sizes[b++] = batch.size();
            }
            assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3}, sizes);
            int[] order = epoch(d, batches, 10);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < d.size(); i++) {
                assertEquals(i, sorted[i], "every example exactly once");
            }
        }
    }

    @Test
    void unshuffledBatchesKeepDatasetOrder() {
        Dataset d = traceable(25, 10);
        int[] order = epoch(d, d.batches(7, null), 7);
        for (int i = 0; i < order.length; i++) {
            assertEquals(i, order[i]);
        }
    }

    @Test
    void shuffleIsReproducibleAndDependsOnTheSeed() {
        Dataset d = traceable(100, 11);
        int[] a = epoch(d, d.batches(16, new Rng(5)), 16);
        int[] same = epoch(d, d.batches(16, new Rng(5)), 16);
        int[] other = epoch(d, d.batches(16, new Rng(6)), 16);
        assertArrayEquals(a, same);
        assertFalse(Arrays.equals(a, other));

        Iterable<Batch> epochs = d.batches(16, new Rng(5));
        int[] first = epoch(d, epochs, 16);
        int[] second = epoch(d, epochs, 16);
        assertArrayEquals(a, first);
        assertFalse(Arrays.equals(first, second), "each epoch draws a new order");
    }

    @Test
    void batchEdgeCases() {
        Dataset d = traceable(5, 12);
        assertEquals(1, d.batchCount(5));
        assertEquals(1, d.batchCount(100));
        int[] whole = epoch(d, d.batches(100, null), 100);
        assertEquals(5, whole.length);
        Dataset empty = d.filterClasses();
        assertFalse(empty.batches(4, new Rng(1)).iterator().hasNext());
        assertEquals(0, empty.batchCount(4));
        assertThrows(IllegalArgumentException.class, () -> d.batches(0, null));
        var it = d.batches(5, null).iterator();
        it.next();
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    void derivedDatasetsLeaveTheOriginalAlone() {
        Dataset d = traceable(50, 13);
        int[] before = origins(d);
        d.filterClasses(1, 2);
        d.subsample(0.5, new Rng(1));
        d.split(0.5, new Rng(1));
        d.concat(d);
        int[] labels = d.labels();
        labels[0] = (labels[0] + 1) % CLASSES;
        float[] px = d.image(0);
        px[0] = 0.5f;
        assertArrayEquals(before, origins(d));
        assertNotEquals(labels[0], d.label(0));
    }
}
