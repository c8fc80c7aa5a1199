package dev.expanse.method.metrics;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The continual-learning record of one run, as in Avalanche and GEM (Lopez-Paz and Ranzato 2017):
 * {@code r[i][j]} is the test accuracy on experience {@code j} after training phase {@code i}
 * (phase {@code i} trains experience {@code i}), in [0, 1].
 *
 * <p>Two vectors complete it for forward transfer:
 * <ul>
 *   <li>{@code before[j]}: accuracy on experience {@code j} of the model that is about to train on
 *       it, after it was adapted (expanded, given a head) but before any training step. In GEM this
 *       is {@code r[j-1][j]}; when new classes get new output units, {@code r[j-1][j]} is zero by
 *       construction, so the adapted model is the one that says something.</li>
 *   <li>{@code random[j]}: accuracy on experience {@code j} of the same adaptation applied to a
 *       randomly initialised source network (GEM's {@code b_j}).</li>
 * </ul>
 * {@code before[0]} and {@code random[0]} are not used by the metrics.
 *
 * @param experiences names of the experiences (columns), one per phase (row)
 */
public record AccuracyMatrix(List<String> experiences, double[][] r, double[] before, double[] random) implements Serializable {

    public AccuracyMatrix {
        int t = experiences.size();
        if (t < 1 || r.length != t || before.length != t || random.length != t) {
            throw new IllegalArgumentException("an accuracy matrix of " + t + " experiences needs " + t + "x" + t
                    + " values and two vectors of " + t + ", got " + r.length + " rows, " + before.length
                    + " and " + random.length);
        }
        double[][] copy = new double[t][];
        for (int i = 0; i < t; i++) {
            if (r[i].length != t) throw new IllegalArgumentException("row " + i + " has " + r[i].length + " values, need " + t);
            copy[i] = r[i].clone();
        }
        experiences = List.copyOf(experiences);
        r = copy;
        before = before.clone();
        random = random.clone();
    }

    /** Number of experiences (and phases), T. */
    public int size() { return experiences.size(); }

    /** Accuracy on experience {@code j} after phase {@code i}. */
    public double at(int i, int j) { return r[i][j]; }

    @Override public double[][] r() {
        double[][] c = new double[r.length][];
        for (int i = 0; i < r.length; i++) c[i] = r[i].clone();
        return c;
    }

    @Override public double[] before() { return before.clone(); }

    @Override public double[] random() { return random.clone(); }

    /** Accuracy on every experience after the last phase: the last row. */
    public double[] finalRow() { return r[r.length - 1].clone(); }

    /**
     * Average forgetting (Chaudhry et al. 2018, Avalanche's {@code forgetting}): for each experience
     * but the last, the best accuracy it had after any earlier phase minus its final accuracy,
     * averaged: {@code F = 1/(T-1) * sum_{j<T-1} (max_{j<=l<T-1} r[l][j] - r[T-1][j])}. NaN for T = 1.
     */
    public double forgetting() {
        int t = size();
        double sum = 0;
        for (int j = 0; j < t - 1; j++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int l = j; l < t - 1; l++) best = Math.max(best, r[l][j]);
            sum += best - r[t - 1][j];
        }
        return t < 2 ? Double.NaN : sum / (t - 1);
    }

    /**
     * Backward transfer (GEM): how training on later experiences changed earlier ones,
     * {@code BWT = 1/(T-1) * sum_{j<T-1} (r[T-1][j] - r[j][j])}; negative is forgetting. NaN for T = 1.
     */
    public double backwardTransfer() {
        int t = size();
        double sum = 0;
        for (int j = 0; j < t - 1; j++) sum += r[t - 1][j] - r[j][j];
        return t < 2 ? Double.NaN : sum / (t - 1);
    }

    /**
     * Forward transfer (GEM, with {@code before} in place of {@code r[j-1][j]}): how much the
     * earlier experiences help a later one before it is trained on, relative to a random
     * initialisation: {@code FWT = 1/(T-1) * sum_{j>=1} (before[j] - random[j])}. NaN for T = 1.
     */
    public double forwardTransfer() {
        int t = size();
        double sum = 0;
        for (int j = 1; j < t; j++) sum += before[j] - random[j];
        return t < 2 ? Double.NaN : sum / (t - 1);
    }

    /** The element-wise mean of matrices over the same experiences (e.g. over seeds). */
    public static AccuracyMatrix mean(List<AccuracyMatrix> ms) {
        if (ms.isEmpty()) throw new IllegalArgumentException("no matrices to average");
        AccuracyMatrix first = ms.get(0);
        int t = first.size();
        double[][] r = new double[t][t];
        double[] before = new double[t], random = new double[t];
        for (AccuracyMatrix m : ms) {
            if (!m.experiences.equals(first.experiences)) {
                throw new IllegalArgumentException("cannot average matrices over " + first.experiences + " and " + m.experiences);
            }
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) r[i][j] += m.r[i][j] / ms.size();
                before[i] += m.before[i] / ms.size();
                random[i] += m.random[i] / ms.size();
            }
        }
        return new AccuracyMatrix(first.experiences, r, before, random);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccuracyMatrix m && m.experiences.equals(experiences) && Arrays.deepEquals(m.r, r)
                && Arrays.equals(m.before, before) && Arrays.equals(m.random, random);
    }

    @Override
    public int hashCode() {
        return experiences.hashCode() * 31 + Arrays.deepHashCode(r);
    }

    @Override
    public String toString() {
        return "AccuracyMatrix" + experiences + Arrays.deepToString(r);
    }
}
