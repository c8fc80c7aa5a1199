package dev.expanse.method.stream;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which real images of earlier experiences a rehearsing strategy trains on again: a fraction of
 * each earlier experience's training data, or a class-balanced buffer of a fixed size shared by
 * all earlier classes (Avalanche's {@code ClassBalancedBuffer}). Either way every rehearsing
 * strategy of a seed sees the same images.
 *
 * @param fraction the fraction of each earlier experience kept, when {@code buffer} is 0
 * @param buffer   the buffer's size in images, or 0 for a fraction
 */
public record Rehearsal(double fraction, int buffer) implements Serializable {

    public Rehearsal {
        if (buffer < 0) throw new IllegalArgumentException("--buffer must be >= 0 images, got " + buffer);
        if (buffer == 0 && !(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("--rehearsal fraction must be in [0, 1], got " + fraction);
        }
    }

    /** A fraction of each earlier experience. */
    public static Rehearsal fraction(double f) {
        return new Rehearsal(f, 0);
    }

    /** A class-balanced buffer of {@code images}. */
    public static Rehearsal buffer(int images) {
        if (images < 1) throw new IllegalArgumentException("--buffer must be >= 1 image, got " + images);
        return new Rehearsal(0, images);
    }

    /**
     * The rehearsed images of each earlier experience, when experience {@code past.size()} starts.
     * A fraction draws a stratified subsample of each experience once ({@code rng} forked by
     * experience, so the draw does not depend on when it is asked for). A buffer gives each class
     * seen so far {@code buffer / classes} places (the first {@code buffer % classes} classes one
     * more) and fills them with a prefix of the class's images in a random order fixed per class:
     * as classes arrive, each class keeps a shrinking prefix of the same order.
     *
     * @param past the training data of every earlier experience, labels as the stream numbers them
     */
    public List<Dataset> select(List<Dataset> past, List<int[]> pastLabels, Rng rng) {
        List<Dataset> out = new ArrayList<>();
        if (buffer == 0) {
            for (int j = 0; j < past.size(); j++) out.add(past.get(j).subsample(fraction, rng.fork("rehearsal/" + j)));
            return out;
        }
        int classes = 0;
        for (int[] l : pastLabels) classes += l.length;
        int k = 0;
        for (int j = 0; j < past.size(); j++) {
            Dataset d = past.get(j);
            List<Integer> picked = new ArrayList<>();
            for (int label : pastLabels.get(j)) {
                int quota = buffer / classes + (k++ < buffer % classes ? 1 : 0);
                List<Integer> of = new ArrayList<>();
                for (int i = 0; i < d.size(); i++) if (d.label(i) == label) of.add(i);
                int[] order = of.stream().mapToInt(Integer::intValue).toArray();
                rng.fork("buffer/" + j + "/" + label).shuffle(order);
                for (int i = 0; i < Math.min(quota, order.length); i++) picked.add(order[i]);
            }
            out.add(d.select(picked.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    /** "rehearsal 10%" or "buffer 2000". */
    @Override
    public String toString() {
        if (buffer > 0) return "buffer " + buffer;
        double p = fraction * 100;
        return Math.abs(p - Math.rint(p)) < 1e-9 ? String.format(Locale.ROOT, "rehearsal %.0f%%", p)
                : String.format(Locale.ROOT, "rehearsal %.1f%%", p);
    }

    /** "r10" or "b2000", for ids. */
    public String id() {
        if (buffer > 0) return "b" + buffer;
        return "r" + String.format(Locale.ROOT, "%.1f", fraction * 100).replace(".0", "").replace('.', '_');
    }
}
