package dev.expanse.method.scenario;

import dev.expanse.method.strategy.NetSpec;
import java.io.Serializable;
import java.util.Locale;

/**
 * One scenario cell: which data, which network, how much source data is rehearsed, how it trains.
 *
 * @param kind      class-incremental split of one dataset, or distant transfer between two
 * @param source    the source dataset (for a split, also the target dataset)
 * @param target    the target dataset; equal to {@code source} for a split
 * @param spec      network shapes before and after expansion
 * @param rehearsal fraction in [0, 1] of the real source training data kept in the target phase
 * @param hyper     training settings
 * @param fixtures  use the small committed fixtures instead of the full datasets
 */
public record ScenarioConfig(Kind kind, DataSource source, DataSource target, NetSpec spec, double rehearsal,
                             Hyper hyper, boolean fixtures) implements Serializable {

    /** The two kinds of scenario. */
    public enum Kind {
        /** Classes 0-4 of a dataset, then classes 5-9 of the same dataset; one head grows 5 to 10. */
        SPLIT,
        /** All classes of one dataset, then all classes of another; a second head. */
        DISTANT
    }

    public ScenarioConfig {
        if (!(rehearsal >= 0 && rehearsal <= 1)) {
            throw new IllegalArgumentException("rehearsal fraction must be in [0, 1], got " + rehearsal);
        }
        if (kind == Kind.SPLIT && source != target) {
            throw new IllegalArgumentException("a split scenario uses one dataset, got " + source.id() + " and " + target.id());
        }
        if (kind == Kind.DISTANT && source == target) {
            throw new IllegalArgumentException("distant transfer needs two different datasets, got " + source.id() + " twice");
        }
    }

    /** A class-incremental split of {@code data}: classes 0-4, then 5-9. */
    public static ScenarioConfig split(DataSource data, NetSpec spec, double rehearsal, Hyper hyper, boolean fixtures) {
        return new ScenarioConfig(Kind.SPLIT, data, data, spec, rehearsal, hyper, fixtures);
    }

    /** Distant transfer from {@code source} to {@code target}. */
    public static ScenarioConfig distant(DataSource source, DataSource target, NetSpec spec, double rehearsal,
                                         Hyper hyper, boolean fixtures) {
        return new ScenarioConfig(Kind.DISTANT, source, target, spec, rehearsal, hyper, fixtures);
    }

    /** The classes of the source task. */
    public int[] sourceClasses() {
        return kind == Kind.SPLIT ? new int[] {0, 1, 2, 3, 4} : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    }

    /** The classes of the target task. */
    public int[] targetClasses() {
        return kind == Kind.SPLIT ? new int[] {5, 6, 7, 8, 9} : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    }

    /** A title for reports, e.g. "MNIST 0-4 -> 5-9, mlp [300, 200] -> [500, 300], rehearsal 10%". */
    public String title() {
        return setup() + ", rehearsal " + percent(rehearsal);
    }

    /** The title without the rehearsal: what the cells of one source network share, e.g. "MNIST 0-4 -> 5-9, mlp [300, 200] -> [500, 300]". */
    public String setup() {
        String data = kind == Kind.SPLIT ? source.id() + " 0-4 -> 5-9" : source.id() + " -> " + target.id();
        return data + ", " + spec;
    }

    /** A file-name-safe id, e.g. "split-mnist-mlp-r10". */
    public String id() {
        String data = kind == Kind.SPLIT ? "split-" + source.id() : "distant-" + source.id() + "-" + target.id();
        String r = String.format(Locale.ROOT, "%.1f", rehearsal * 100).replace(".0", "").replace('.', '_');
        return data + "-" + spec.kind().name().toLowerCase(Locale.ROOT) + "-r" + r;
    }

    /** The part of the id that does not depend on the rehearsal: cells with the same key share source training. */
    public String sourceKey() {
        return kind + "/" + source + "/" + target + "/" + spec + "/" + hyper.basicsEpochs() + "/"
                + hyper.sourceEpochs() + "/" + hyper.sourceBatch() + "/" + hyper.learningRate() + "/"
                + hyper.validation() + "/" + fixtures;
    }

    static String percent(double f) {
        double p = f * 100;
        return Math.abs(p - Math.rint(p)) < 1e-9 ? String.format(Locale.ROOT, "%.0f%%", p)
                : String.format(Locale.ROOT, "%.1f%%", p);
    }
}
