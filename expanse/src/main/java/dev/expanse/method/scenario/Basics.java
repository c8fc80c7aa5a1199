package dev.expanse.method.scenario;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;

/**
 * Where the "basics" come from: a small set of clean, prototypical examples of every class, trained
 * on first (two-step training) and kept in every later training phase.
 */
@FunctionalInterface
public interface Basics {

    /**
     * Basics for every class of {@code train}'s task, labelled like {@code train} (same
     * {@code numClasses}, same image shape). {@code rng} draws any random choice.
     */
    Dataset basics(Dataset train, Rng rng);

    /**
     * A simple stand-in: the {@code perClass} examples of each class nearest (in pixel space,
     * Euclidean) to the class's mean image.
     */
    static Basics nearestMean(int perClass) {
        if (perClass < 1) throw new IllegalArgumentException("basics per class must be >= 1, got " + perClass);
        return (train, rng) -> {
            int f = train.features(), classes = train.numClasses();
            double[][] mean = new double[classes][f];
            int[] count = train.classCounts();
            float[] x = new float[f];
            for (int i = 0; i < train.size(); i++) {
                train.image(i, x, 0);
                double[] m = mean[train.label(i)];
                for (int k = 0; k < f; k++) m[k] += x[k];
            }
            for (int c = 0; c < classes; c++) for (int k = 0; k < f; k++) mean[c][k] /= Math.max(1, count[c]);
            double[] dist = new double[train.size()];
            for (int i = 0; i < train.size(); i++) {
                train.image(i, x, 0);
                double[] m = mean[train.label(i)];
                double d = 0;
                for (int k = 0; k < f; k++) d += (x[k] - m[k]) * (x[k] - m[k]);
                dist[i] = d;
            }
            java.util.List<Integer> chosen = new java.util.ArrayList<>();
            for (int c = 0; c < classes; c++) {
                final int cls = c;
                java.util.stream.IntStream.range(0, train.size()).filter(i -> train.label(i) == cls).boxed()
                        .sorted((a, b) -> Double.compare(dist[a], dist[b])).limit(perClass).forEach(chosen::add);
            }
            return train.select(chosen.stream().mapToInt(Integer::intValue).toArray());
        };
    }
}
