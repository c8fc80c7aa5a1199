package dev.expanse.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mnist", "fashion-mnist"})
    void fixturesLoadBalancedWithAllTenClasses(String name) throws IOException {
        Dataset train = Datasets.fixture(name, Datasets.Part.TRAIN);
        Dataset test = Datasets.fixture(name, Datasets.Part.TEST);
        assertEquals(600, train.size());
        assertEquals(200, test.size());
        int[] sixty = new int[10];
        Arrays.fill(sixty, 60);
        int[] twenty = new int[10];
        Arrays.fill(twenty, 20);
        assertArrayEquals(sixty, train.classCounts());
        assertArrayEquals(twenty, test.classCounts());
        for (Dataset d : new Dataset[] {train, test}) {
            assertEquals(10, d.numClasses());
            assertEquals(1, d.channels());
            assertEquals(28, d.height());
            assertEquals(28, d.width());
            assertEquals(784, d.features());
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int i = 0; i < d.size(); i++) {
                for (float v : d.image(i)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            assertEquals(0f, min); // both datasets have black backgrounds and saturated pixels
            assertEquals(1f, max);
        }
    }

    @Test
    void mnistAndFashionFixturesDiffer() throws IOException {
        Dataset digits = Datasets.fixture("mnist", Datasets.Part.TEST);
        Dataset clothes = Datasets.fixture("fashion-mnist", Datasets.Part.TEST);
        assertFalse(Arrays.equals(digits.image(0), clothes.image(0)));
    }

    @Test
    void unknownFixtureNamesItsFile() {
        MissingDataException e = assertThrows(MissingDataException.class,
                () -> Datasets.fixture("no-such-set", Datasets.Part.TRAIN));
        assertTrue(e.getMessage().contains("no-such-set"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Datasets.fixture("../mnist", Datasets.Part.TRAIN));
    }

    private static void withCache(Path cache, IOExceptionCall body) throws IOException {
        String old = System.getProperty("expanse.data");
        System.setProperty("expanse.data", cache.toString());
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty("expanse.data");
            } else {
                System.setProperty("expanse.data", old);
            }
        }
    }

    @FunctionalInterface
    interface IOExceptionCall {
        void run() throws IOException;
    }

    @Test
    void missingCacheFileIsNamedWithTheFetchScript() throws IOException {
        withCache(dir, () -> {
            assertEquals(dir, Datasets.cacheDir());
            MissingDataException e = assertThrows(MissingDataException.class,
                    () -> Datasets.fashionMnist(Datasets.Part.TEST));
            Path expected = dir.resolve("fashion-mnist").resolve("t10k-images-idx3-ubyte");
            assertEquals(expected, e.file());
            assertTrue(e.getMessage().contains(expected.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("scripts/fetch-data.sh"), e.getMessage());
        });
    }

    @Test
    void cacheFilesMayBeGzipped() throws IOException {
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        byte[] pixels = new byte[2 * 28 * 28];
        pixels[5] = (byte) 255;
        IdxWriter.write(mnist.resolve("train-images-idx3-ubyte.gz"), new int[] {2, 28, 28},
                pixels, true);
        IdxWriter.write(mnist.resolve("train-labels-idx1-ubyte"), new int[] {2},
                new byte[] {9, 4}, false);
        withCache(dir, () -> {
            Dataset d = Datasets.mnist(Datasets.Part.TRAIN);
            assertEquals(2, d.size());
            assertEquals(9, d.label(0));
            assertEquals(4, d.label(1));
            assertEquals(1f, d.image(0)[5]);
        });
    }

    @Test
    void loadRejectsMismatchedCountsNamingBothFiles() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        IdxWriter.write(images, new int[] {5, 2, 2}, new byte[20], false);
        IdxWriter.write(labels, new int[] {4}, new byte[4], true);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> Datasets.load(images, labels, 10));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("4 labels") && e.getMessage().contains("5 images"),
                e.getMessage());
    }

    @Test
    void loadRejectsLabelsOutOfRange() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        IdxWriter.write(images, new int[] {3, 1, 1}, new byte[3], false);
        IdxWriter.write(labels, new int[] {3}, new byte[] {1, 0, 10}, false);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> Datasets.load(images, labels, 10));
        assertEquals(labels, e.file());
        assertTrue(e.getMessage().contains("label 10 of item 2"), e.getMessage());
        assertEquals(3, Datasets.load(images, labels, 11).size());
    }

    @Test
    void loadSwappedFilesReportsTheDimensionFault() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        IdxWriter.write(images, new int[] {3, 1, 1}, new byte[3], false);
        IdxWriter.write(labels, new int[] {3}, new byte[3], false);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> Datasets.load(labels, images, 10));
        assertEquals(labels, e.file());
        assertTrue(e.getMessage().contains("images need 3"), e.getMessage());
    }
}
