package dev.expanse.method.basics;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Basics data for any dataset: the k most typical training examples of each class, chosen by a
 * {@link Rule}. See docs/basics.md for which rule to use and why.
 */
public final class PrototypeBasics {
    /** Epochs of the quick softmax regression of {@link Rule#CONFIDENT_LINEAR}. */
    static final int LINEAR_EPOCHS = 1;
    static final int LINEAR_BATCH = 64;
    static final float LINEAR_LR = 3e-3f;

    private PrototypeBasics() {
    }

    /** How "typical" is measured. */
    public enum Rule {
        /**
         * Nearest to the class mean: smallest Euclidean distance, in pixel space, to the mean
         * image of the example's class; ties go to the lower index. Deterministic, no training.
         */
        NEAREST_MEAN,
        /**
         * Most confidently classified by a quick linear model: a softmax regression trained for
         * one epoch (Adam, lr 3e-3, batch 64, seeded from the rng) on the whole dataset; among
         * each class the correctly classified examples with the highest probability of their
         * class come first, then the misclassified ones by the same probability; ties go to the
         * lower index.
         */
        CONFIDENT_LINEAR
    }

    /**
     * The {@code k} most typical examples of each class, class by class (0 first), most typical
     * first; a class with fewer than {@code k} examples gives all of them.
     *
     * @param rng used only by {@link Rule#CONFIDENT_LINEAR} (initialisation and shuffling)
     * @param be  where {@link Rule#CONFIDENT_LINEAR} trains its linear model; unused (may be null)
     *            by {@link Rule#NEAREST_MEAN}
     * @throws IllegalArgumentException if {@code k < 1}, or a rule that trains has no backend
     */
    public static Dataset select(Dataset train, int k, Rule rule, Rng rng, Backend be) {
        return train.select(indices(train, k, rule, rng, be));
    }

    /**
     * The indices into {@code train} that {@link #select} returns, in the same order.
     */
    public static int[] indices(Dataset train, int k, Rule rule, Rng rng, Backend be) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        double[] score = switch (rule) { // higher is more typical
            case NEAREST_MEAN -> negativeDistanceToMean(train);
            case CONFIDENT_LINEAR -> linearConfidence(train, rng, be);
        };
        return topPerClass(train, k, score);
    }

    /** {@code -|x_i - mean_{y_i}|^2} for every example, {@code [N]}. */
    static double[] negativeDistanceToMean(Dataset d) {
        int n = d.size(), f = d.features(), c = d.numClasses();
        double[][] mean = new double[c][f];
        int[] counts = d.classCounts();
        float[] x = new float[f];
        for (int i = 0; i < n; i++) {
            d.image(i, x, 0);
            double[] m = mean[d.label(i)];
            for (int j = 0; j < f; j++) {
                m[j] += x[j];
            }
        }
        for (int k = 0; k < c; k++) {
            for (int j = 0; j < f; j++) {
                mean[k][j] /= Math.max(1, counts[k]);
            }
        }
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            d.image(i, x, 0);
            double[] m = mean[d.label(i)];
            double s = 0;
            for (int j = 0; j < f; j++) {
                double e = x[j] - m[j];
                s += e * e;
            }
            score[i] = -s;
        }
        return score;
    }

    /**
     * The probability of the true class under a quick softmax regression, plus 1 when it is also
     * the argmax, so that correct examples rank above misclassified ones.
     */
    static double[] linearConfidence(Dataset d, Rng rng, Backend be) {
        if (be == null) {
            throw new IllegalArgumentException("CONFIDENT_LINEAR needs a backend");
        }
        Sequential linear = Architectures.mlp(be, rng.fork("prototype-init"), d.features(),
                new int[0], d.numClasses());
        Adam adam = new Adam(linear::parameters, LINEAR_LR);
        Rng shuffle = rng.fork("prototype-shuffle");
        for (int e = 0; e < LINEAR_EPOCHS; e++) {
            Trainer.epoch(linear, adam, d, LINEAR_BATCH, shuffle, Progress.silent(), "linear");
        }
        float[] logits = Trainer.logits(linear, d, 1000); // [N, classes]
        int c = d.numClasses();
        double[] score = new double[d.size()];
        for (int i = 0; i < score.length; i++) {
            int y = d.label(i);
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int k = 0; k < c; k++) {
                if (logits[i * c + k] > max) {
                    max = logits[i * c + k];
                    arg = k;
                }
            }
            double z = 0;
            for (int k = 0; k < c; k++) {
                z += Math.exp(logits[i * c + k] - max);
            }
            double p = Math.exp(logits[i * c + y] - max) / z;
            score[i] = p + (arg == y ? 1 : 0);
        }
        return score;
    }

    /** Per class, the k indices of highest score (ties: lower index first), classes in order. */
    static int[] topPerClass(Dataset d, int k, double[] score) {
        Integer[] order = new Integer[d.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // a stable sort keeps index order among equal scores
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
        int c = d.numClasses();
        int[][] chosen = new int[c][];
        int[] counts = d.classCounts();
        int[] fill = new int[c];
        for (int cl = 0; cl < c; cl++) {
            chosen[cl] = new int[Math.min(k, counts[cl])];
        }
        for (int i : order) {
            int y = d.label(i);
            if (fill[y] < chosen[y].length) {
                chosen[y][fill[y]++] = i;
            }
        }
        return Arrays.stream(chosen).flatMapToInt(Arrays::stream).toArray();
    }
}
