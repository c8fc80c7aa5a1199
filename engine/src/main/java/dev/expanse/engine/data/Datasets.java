package dev.expanse.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads datasets: any pair of IDX files, MNIST and Fashion-MNIST from the data cache, and the
 * small committed fixtures.
 *
 * <p>The data cache is the folder named by the system property {@code expanse.data}, else the
 * environment variable {@code EXPANSE_DATA}, else {@code ~/.cache/expanse}; {@code
 * scripts/fetch-data.sh} fills it as {@code mnist/} and {@code fashion-mnist/}, each holding
 * {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}. A file may also be there gzip-compressed
 * with a {@code .gz} suffix.
 *
 * <p>The fixtures live in {@code data/fixtures/<name>/} of the checkout, found by walking up from
 * the working directory; see {@code data/fixtures/README.md}.
 */
public final class Datasets {
    /** Which half of a dataset. */
    public enum Part {
        TRAIN("train"),
        TEST("t10k");

        private final String prefix;

        Part(String prefix) {
            this.prefix = prefix;
        }

        /** The file name prefix MNIST uses: "train" or "t10k". */
        public String prefix() {
            return prefix;
        }
    }

    /** MNIST and Fashion-MNIST both have ten classes. */
    public static final int MNIST_CLASSES = 10;

    private static final String FETCH_HINT = "run scripts/fetch-data.sh to download MNIST and "
            + "Fashion-MNIST into the data cache (system property expanse.data, else environment "
            + "variable EXPANSE_DATA, else ~/.cache/expanse)";

    private Datasets() {}

    /**
     * Loads an images file {@code [N, rows, cols]} and a labels file {@code [N]} as a dataset of
     * one channel, pixels normalised to [0, 1].
     *
     * @throws IdxFormatException if either file is malformed, their counts differ, or a label is
     *     not in {@code [0, numClasses)}
     */
    public static Dataset load(Path imagesIdx, Path labelsIdx, int numClasses) throws IOException {
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in [1, 256], got " + numClasses);
        }
        IdxData images = Idx.readImages(imagesIdx);
        IdxData labels = Idx.readLabels(labelsIdx);
        if (images.count() != labels.count()) {
            throw new IdxFormatException(labelsIdx, "has " + labels.count()
                    + " labels but images file " + imagesIdx + " has " + images.count()
                    + " images");
        }
        int[] y = new int[labels.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.unsigned(i);
            if (y[i] >= numClasses) {
                throw new IdxFormatException(labelsIdx, "label " + y[i] + " of item " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
        return Dataset.fromBytes(images.data(), y, 1, images.shape()[1], images.shape()[2],
                numClasses);
    }

    /** MNIST handwritten digits from the data cache: 60000 training or 10000 test images. */
    public static Dataset mnist(Part part) throws IOException {
        return fromCache("mnist", part);
    }

    /** Fashion-MNIST from the data cache: 60000 training or 10000 test images. */
    public static Dataset fashionMnist(Part part) throws IOException {
        return fromCache("fashion-mnist", part);
    }

    /**
     * A committed fixture: a small seeded, class-balanced subset of a real dataset ("mnist" or
     * "fashion-mnist"; 600 training and 200 test images).
     */
    public static Dataset fixture(String name, Part part) throws IOException {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("bad fixture name '" + name + "'");
        }
        List<Path> f = files(name, part, true);
        return load(f.get(0), f.get(1), MNIST_CLASSES);
    }

    /**
     * The two files, images then labels, that a dataset's part is read from: from the fixtures
     * when {@code fixture}, else from the data cache; each raw or gzipped, as found.
     *
     * @throws MissingDataException naming the file, if neither form exists
     */
    public static List<Path> files(String name, Part part, boolean fixture) throws MissingDataException {
        Path dir = (fixture ? fixturesDir() : cacheDir()).resolve(name);
        String hint = fixture ? "no such fixture; see data/fixtures/README.md for how fixtures are made" : FETCH_HINT;
        return List.of(locate(dir, part.prefix() + "-images-idx3-ubyte", hint),
                locate(dir, part.prefix() + "-labels-idx1-ubyte", hint));
    }

    /** The data cache folder (it may not exist yet). */
    public static Path cacheDir() {
        String dir = System.getProperty("expanse.data");
        if (dir == null || dir.isEmpty()) {
            dir = System.getenv("EXPANSE_DATA");
        }
        if (dir == null || dir.isEmpty()) {
            return Path.of(System.getProperty("user.home"), ".cache", "expanse");
        }
        return Path.of(dir);
    }

    /**
     * The fixtures folder: the system property {@code expanse.fixtures} when set (a cluster's
     * tasks, whose working folder is not a checkout), else the checkout's {@code data/fixtures}:
     * the first one found walking up from the working directory (so tests find it whichever
     * module they run in).
     *
     * @throws MissingDataException if no parent has one
     */
    public static Path fixturesDir() throws MissingDataException {
        String set = System.getProperty("expanse.fixtures");
        if (set != null && !set.isEmpty()) {
            return Path.of(set);
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("data").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new MissingDataException(start.resolve("data").resolve("fixtures"),
                "no data/fixtures folder in " + start + " or any folder above it; run from "
                        + "inside the Expanse checkout");
    }

    private static Dataset fromCache(String name, Part part) throws IOException {
        List<Path> f = files(name, part, false);
        return load(f.get(0), f.get(1), MNIST_CLASSES);
    }

    /** {@code dir/base}, or else {@code dir/base.gz}. */
    private static Path locate(Path dir, String base, String hint) throws MissingDataException {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new MissingDataException(raw, "neither it nor " + gz.getFileName()
                + " exists; " + hint);
    }
}
