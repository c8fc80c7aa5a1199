package dev.expanse.engine.data;

import dev.expanse.engine.Rng;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An immutable labelled image set: N images of shape {@code [channels, height, width]} with
 * pixel values in [0, 1], and an integer class label in {@code [0, numClasses)} for each.
 *
 * <p>Images are stored as one {@code float[]} of {@code [N, features]}, row-major, with
 * {@code features = channels * height * width}, the layout a Dense layer or a Conv2d layer
 * (NCHW) takes as it stands. Every operation returns a new dataset and leaves this one alone.
 * Labels keep their values through every operation: a dataset filtered to classes 5-9 still has
 * {@code numClasses} 10 and labels 5-9.
 */
public final class Dataset {
    private final float[] images; // [N, features]
    private final int[] labels; // [N]
    private final int channels;
    private final int height;
    private final int width;
    private final int features;
    private final int numClasses;

    /** Takes ownership of the arrays, which the caller has already checked. */
    private Dataset(float[] images, int[] labels, int channels, int height, int width,
            int numClasses) {
        this.images = images;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.features = channels * height * width;
        this.numClasses = numClasses;
    }

    /**
     * A dataset from unsigned byte pixels, normalised as {@code v / 255}.
     *
     * @param pixels {@code [N, channels * height * width]} unsigned bytes; not kept
     * @param labels {@code [N]} classes in {@code [0, numClasses)}; copied
     * @throws IllegalArgumentException on inconsistent sizes or a label out of range
     */
    public static Dataset fromBytes(byte[] pixels, int[] labels, int channels, int height,
            int width, int numClasses) {
        long features = checkShape(channels, height, width, numClasses);
        checkLengths(pixels.length, labels, features);
        float[] images = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            images[i] = (pixels[i] & 0xFF) / 255f;
        }
        return new Dataset(images, checkLabels(labels, numClasses), channels, height, width,
                numClasses);
    }

    /**
     * A dataset from floats already in [0, 1].
     *
     * @param images {@code [N, channels * height * width]}, each value in [0, 1]; copied
     * @param labels {@code [N]} classes in {@code [0, numClasses)}; copied
     * @throws IllegalArgumentException on inconsistent sizes, a value outside [0, 1] (or NaN), or a
     *     label out of range
     */
    public static Dataset of(float[] images, int[] labels, int channels, int height, int width,
            int numClasses) {
        long features = checkShape(channels, height, width, numClasses);
        checkLengths(images.length, labels, features);
        for (int i = 0; i < images.length; i++) {
            float v = images[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("image value " + v + " at flat index " + i
                        + " (example " + i / features + ") is outside [0, 1]");
            }
        }
        return new Dataset(images.clone(), checkLabels(labels, numClasses), channels, height,
                width, numClasses);
    }

    /** The number of examples, N. */
    public int size() {
        return labels.length;
    }

    /** Values per image: {@code channels * height * width}. */
    public int features() {
        return features;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The number of classes of the task, whether or not every class is present here. */
    public int numClasses() {
        return numClasses;
    }

    /** The label of example {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels, {@code [N]}. */
    public int[] labels() {
        return labels.clone();
    }

    /** Copies image {@code i} ({@code features} values) into {@code dst} from {@code off}. */
    public void image(int i, float[] dst, int off) {
        System.arraycopy(images, checkIndex(i) * features, dst, off, features);
    }

    /** A copy of image {@code i}, {@code [features]}. */
    public float[] image(int i) {
        float[] dst = new float[features];
        image(i, dst, 0);
        return dst;
    }

    /** How many examples each class has, {@code [numClasses]}. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /**
     * The examples at {@code indices}, in that order (an index may repeat).
     *
     * @throws IndexOutOfBoundsException if an index is outside {@code [0, size)}
     */
    public Dataset select(int... indices) {
        float[] x = new float[Math.multiplyExact(indices.length, features)];
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            System.arraycopy(images, i * features, x, k * features, features);
            y[k] = labels[i];
        }
        return new Dataset(x, y, channels, height, width, numClasses);
    }

    /**
     * The examples whose label is one of {@code classes}, in their original order, with their
     * original label values and {@code numClasses}.
     *
     * @throws IllegalArgumentException if a class is outside {@code [0, numClasses)}
     */
    public Dataset filterClasses(int... classes) {
        boolean[] keep = new boolean[numClasses];
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException(
                        "class " + c + " is outside [0, " + numClasses + ")");
            }
            keep[c] = true;
        }
        int n = 0;
        for (int l : labels) {
            n += keep[l] ? 1 : 0;
        }
        int[] idx = new int[n];
        n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (keep[labels[i]]) {
                idx[n++] = i;
            }
        }
        return select(idx);
    }

    /**
     * The same images with every label {@code l} replaced by {@code map[l]}, as a task of
     * {@code numClasses} classes: e.g. classes 7 and 3 of MNIST as outputs 4 and 5 of a growing
     * head. The image array is shared, not copied (a dataset never changes its images).
     *
     * @param map one entry per class of this dataset; a class with examples must map into
     *            {@code [0, numClasses)}
     * @throws IllegalArgumentException if {@code map} is too short or a present label maps outside
     */
    public Dataset relabel(int[] map, int numClasses) {
        if (map.length != this.numClasses) {
            throw new IllegalArgumentException("a relabelling of " + this.numClasses + " classes needs " + this.numClasses
                    + " entries, got " + map.length);
        }
        int[] y = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            y[i] = map[labels[i]];
            if (y[i] < 0 || y[i] >= numClasses) {
                throw new IllegalArgumentException("class " + labels[i] + " maps to " + y[i] + ", outside [0, " + numClasses + ")");
            }
        }
        return new Dataset(images, y, channels, height, width, numClasses);
    }

    /**
     * A stratified random subsample: from each class with {@code m} examples it keeps
     * {@code Math.round(fraction * m)} of them, chosen at random, so class proportions stay as
     * they are (up to rounding). The kept examples stay in their original order. The same
     * {@code rng} state gives the same subsample.
     *
     * @param fraction in [0, 1]; 0 gives an empty dataset, 1 all of it
     * @throws IllegalArgumentException if {@code fraction} is NaN or outside [0, 1]
     */
    public Dataset subsample(double fraction, Rng rng) {
        boolean[] keep = stratifiedMask(fraction, rng);
        return select(indicesWhere(keep, true));
    }

    /**
     * Splits into two disjoint parts that together hold every example: {@code first} is exactly
     * {@link #subsample(double, Rng)} with the same arguments (stratified, {@code round(fraction
     * * m)} per class), {@code second} is the rest. Both keep the original order. Typical use:
     * {@code split(0.9, rng)} for training and validation sets.
     *
     * @throws IllegalArgumentException if {@code fraction} is NaN or outside [0, 1]
     */
    public Split split(double fraction, Rng rng) {
        boolean[] keep = stratifiedMask(fraction, rng);
        return new Split(select(indicesWhere(keep, true)), select(indicesWhere(keep, false)));
    }

    /** The two parts of {@link #split(double, Rng)}. */
    public record Split(Dataset first, Dataset second) {}

    /**
     * This dataset followed by {@code other}.
     *
     * @throws IllegalArgumentException if the image shapes or the numbers of classes differ
     */
    public Dataset concat(Dataset other) {
        if (other.channels != channels || other.height != height || other.width != width) {
            throw new IllegalArgumentException("cannot concat images of shape " + shape()
                    + " with images of shape " + other.shape());
        }
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException("cannot concat a dataset of " + numClasses
                    + " classes with one of " + other.numClasses);
        }
        float[] x = Arrays.copyOf(images, Math.addExact(images.length, other.images.length));
        System.arraycopy(other.images, 0, x, images.length, other.images.length);
        int[] y = Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, y, labels.length, other.labels.length);
        return new Dataset(x, y, channels, height, width, numClasses);
    }

    /**
     * Mini-batches over the whole dataset: each call to {@code iterator()} is one epoch that
     * visits every example exactly once, in batches of {@code batchSize} (the last may be
     * smaller). With an {@code rng} each epoch draws a fresh order from it at the start of the
     * epoch (a reproducible Fisher-Yates shuffle); with {@code null} the order is 0..N-1.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public Iterable<Batch> batches(int batchSize, Rng rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        return () -> {
            int[] order = new int[labels.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            if (rng != null) {
                rng.shuffle(order);
            }
            return new BatchIterator(order, batchSize);
        };
    }

    /** The number of batches in one epoch of {@link #batches}. */
    public int batchCount(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        return (labels.length + batchSize - 1) / batchSize;
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " x " + shape() + ", " + numClasses + " classes, counts "
                + Arrays.toString(classCounts()) + "]";
    }

    private final class BatchIterator implements Iterator<Batch> {
        private final int[] order;
        private final int batchSize;
        private int next;

        BatchIterator(int[] order, int batchSize) {
            this.order = order;
            this.batchSize = batchSize;
        }

        @Override
        public boolean hasNext() {
            return next < order.length;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int size = Math.min(batchSize, order.length - next);
            float[] x = new float[size * features]; // [size, features]
            float[] y = new float[size];
            int[] l = new int[size];
            int[] idx = Arrays.copyOfRange(order, next, next + size);
            for (int k = 0; k < size; k++) {
                int i = idx[k];
                System.arraycopy(images, i * features, x, k * features, features);
                l[k] = labels[i];
                y[k] = labels[i];
            }
            next += size;
            return new Batch(x, y, l, idx, size);
        }
    }

    private boolean[] stratifiedMask(double fraction, Rng rng) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
        }
        if (rng == null) {
            throw new IllegalArgumentException("rng must not be null");
        }
        int[] counts = classCounts();
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        boolean[] keep = new boolean[labels.length];
        for (int[] members : byClass) {
            rng.shuffle(members);
            long k = Math.round(fraction * members.length);
            for (int j = 0; j < k; j++) {
                keep[members[j]] = true;
            }
        }
        return keep;
    }

    private static int[] indicesWhere(boolean[] mask, boolean value) {
        int n = 0;
        for (boolean b : mask) {
            n += b == value ? 1 : 0;
        }
        int[] idx = new int[n];
        n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == value) {
                idx[n++] = i;
            }
        }
        return idx;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException(
                    "example " + i + " is outside [0, " + labels.length + ")");
        }
        return i;
    }

    private String shape() {
        return "[" + channels + ", " + height + ", " + width + "]";
    }

    private static long checkShape(int channels, int height, int width, int numClasses) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape [" + channels + ", " + height + ", "
                    + width + "] must have every size at least 1");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        long features = (long) channels * height; // below 2^62, so the next check is safe
        if (features > Integer.MAX_VALUE || features * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image shape [" + channels + ", " + height + ", "
                    + width + "] has more than " + Integer.MAX_VALUE + " values");
        }
        return features * width;
    }

    private static void checkLengths(int values, int[] labels, long features) {
        if (values != features * labels.length) {
            throw new IllegalArgumentException(labels.length + " labels of " + features
                    + " features each need " + features * labels.length + " image values, got "
                    + values);
        }
    }

    private static int[] checkLabels(int[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
        return labels.clone();
    }
}
