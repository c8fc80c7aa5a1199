package dev.expanse.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The full datasets, as scripts/fetch-data.sh installs them. Runs only with
 * {@code -Dexpanse.realData=true} (the {@code real-data} Maven profile) and a filled data cache.
 */
class RealDataTest {
    private static final String[] NAMES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    };

    // The published SHA-256 of the uncompressed files, in the order of NAMES.
    private static final String[] MNIST_SHA256 = {
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };
    private static final String[] FASHION_SHA256 = {
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };

    // MNIST's class counts are documented widely; Fashion-MNIST is balanced by design.
    private static final int[] MNIST_TRAIN_COUNTS =
            {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final int[] MNIST_TEST_COUNTS =
            {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    @BeforeEach
    void needsRealData() {
        assumeTrue(Boolean.getBoolean("expanse.realData"),
                "full-dataset test skipped: run with -Dexpanse.realData=true (mvn -Preal-data)");
        for (String set : new String[] {"mnist", "fashion-mnist"}) {
            for (String name : NAMES) {
                Path f = Datasets.cacheDir().resolve(set).resolve(name);
                assumeTrue(Files.isRegularFile(f), "full-dataset test skipped: " + f
                        + " is missing; run scripts/fetch-data.sh");
            }
        }
    }

    private static String sha256(Path f) throws IOException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void cacheFilesHaveThePublishedHashes() throws Exception {
        for (int i = 0; i < NAMES.length; i++) {
            Path cache = Datasets.cacheDir();
            assertEquals(MNIST_SHA256[i], sha256(cache.resolve("mnist").resolve(NAMES[i])));
            assertEquals(FASHION_SHA256[i],
                    sha256(cache.resolve("fashion-mnist").resolve(NAMES[i])));
        }
    }

    @Test
    void mnistLoadsWithItsKnownClassCounts() throws IOException {
        Dataset train = Datasets.mnist(Datasets.Part.TRAIN);
        assertEquals(60000, train.size());
        assertEquals(784, train.features());
        assertArrayEquals(MNIST_TRAIN_COUNTS, train.classCounts());
        Dataset test = Datasets.mnist(Datasets.Part.TEST);
        assertEquals(10000, test.size());
        assertArrayEquals(MNIST_TEST_COUNTS, test.classCounts());
    }

    @Test
    void fashionMnistLoadsBalanced() throws IOException {
        int[] train = new int[10];
        java.util.Arrays.fill(train, 6000);
        int[] test = new int[10];
        java.util.Arrays.fill(test, 1000);
        assertArrayEquals(train, Datasets.fashionMnist(Datasets.Part.TRAIN).classCounts());
        assertArrayEquals(test, Datasets.fashionMnist(Datasets.Part.TEST).classCounts());
    }
}
