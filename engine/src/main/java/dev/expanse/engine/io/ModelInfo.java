package dev.expanse.engine.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model is for, beyond its weights, kept in its checkpoint: which output is which class
 * (of which dataset, learnt in which experience), and where the model came from.
 *
 * @param classes    one entry per output of every head
 * @param provenance free-form facts: dataset, epochs, learning rate, seed, tool version...
 */
public record ModelInfo(List<OutputClass> classes, Map<String, String> provenance) {

    /**
     * Output {@code output} of head {@code head} scores class {@code label} of {@code dataset},
     * learnt in {@code experience} (e.g. "mnist 0-4").
     */
    public record OutputClass(int head, int output, String dataset, int label, String experience) {
    }

    public ModelInfo {
        classes = List.copyOf(classes);
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** No classes, no provenance. */
    public static ModelInfo empty() {
        return new ModelInfo(List.of(), Map.of());
    }

    /** This info with one more provenance fact (replacing one of the same key). */
    public ModelInfo with(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(provenance);
        p.put(key, value);
        return new ModelInfo(classes, p);
    }

    /**
     * This info with outputs {@code first, first + 1, ...} of {@code head} mapped to {@code labels}
     * of {@code dataset}, learnt in {@code experience}; entries for those outputs are replaced.
     */
    public ModelInfo withClasses(int head, int first, String dataset, int[] labels, String experience) {
        List<OutputClass> c = new ArrayList<>();
        for (OutputClass o : classes) {
            if (o.head() != head || o.output() < first || o.output() >= first + labels.length) c.add(o);
        }
        for (int i = 0; i < labels.length; i++) c.add(new OutputClass(head, first + i, dataset, labels[i], experience));
        c.sort((a, b) -> a.head() != b.head() ? Integer.compare(a.head(), b.head()) : Integer.compare(a.output(), b.output()));
        return new ModelInfo(c, provenance);
    }

    /** The labels of head {@code head}'s outputs in output order (-1 for an output without an entry). */
    public int[] labels(int head, int outputs) {
        int[] l = new int[outputs];
        java.util.Arrays.fill(l, -1);
        for (OutputClass o : classes) if (o.head() == head && o.output() < outputs) l[o.output()] = o.label();
        return l;
    }
}
