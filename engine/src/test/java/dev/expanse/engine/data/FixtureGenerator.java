package dev.expanse.engine.data;

import dev.expanse.engine.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Makes the committed fixtures in {@code data/fixtures/}: seeded, class-balanced subsets of
 * MNIST and Fashion-MNIST (60 training and 20 test images per class), written as gzip IDX.
 *
 * <p>Needs the data cache filled by {@code scripts/fetch-data.sh}. Run from the checkout root:
 * see {@code data/fixtures/README.md} for the command. The output depends only on the real data
 * and {@link #SEED}.
 */
public final class FixtureGenerator {
    static final long SEED = 20240611L;
    static final int TRAIN_PER_CLASS = 60;
    static final int TEST_PER_CLASS = 20;

    private FixtureGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out = args.length > 0 ? Path.of(args[0]) : Path.of("data", "fixtures");
        Rng rng = new Rng(SEED);
        for (String name : new String[] {"mnist", "fashion-mnist"}) {
            for (Datasets.Part part : Datasets.Part.values()) {
                int perClass = part == Datasets.Part.TRAIN ? TRAIN_PER_CLASS : TEST_PER_CLASS;
                subset(Datasets.cacheDir().resolve(name), out.resolve(name), part.prefix(),
                        perClass, rng.fork(name + "/" + part.prefix()));
            }
        }
    }

    /** Picks {@code perClass} items of each class at random; keeps them in file order. */
    static void subset(Path from, Path to, String prefix, int perClass, Rng rng)
            throws IOException {
        IdxData images = Idx.readImages(from.resolve(prefix + "-images-idx3-ubyte"));
        IdxData labels = Idx.readLabels(from.resolve(prefix + "-labels-idx1-ubyte"));
        int[][] byClass = new int[Datasets.MNIST_CLASSES][labels.count()];
        int[] counts = new int[Datasets.MNIST_CLASSES];
        for (int i = 0; i < labels.count(); i++) {
            int c = labels.unsigned(i);
            byClass[c][counts[c]++] = i;
        }
        int[] chosen = new int[perClass * Datasets.MNIST_CLASSES];
        int n = 0;
        for (int c = 0; c < Datasets.MNIST_CLASSES; c++) {
            int[] members = Arrays.copyOf(byClass[c], counts[c]);
            rng.shuffle(members);
            System.arraycopy(members, 0, chosen, n, perClass);
            n += perClass;
        }
        Arrays.sort(chosen);
        int item = images.itemSize();
        byte[] x = new byte[chosen.length * item];
        byte[] y = new byte[chosen.length];
        for (int k = 0; k < chosen.length; k++) {
            System.arraycopy(images.data(), chosen[k] * item, x, k * item, item);
            y[k] = labels.data()[chosen[k]];
        }
        Files.createDirectories(to);
        int[] shape = {chosen.length, images.shape()[1], images.shape()[2]};
        IdxWriter.write(to.resolve(prefix + "-images-idx3-ubyte.gz"), shape, x, true);
        IdxWriter.write(to.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[] {chosen.length},
                y, true);
    }
}
