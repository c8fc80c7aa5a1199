package dev.expanse.method.strategy;

import java.util.ArrayList;
import java.util.List;

/** The strategies by name. */
public final class Strategies {
    private Strategies() {
    }

    /** Every strategy, in report order. */
    public static List<Strategy> all() {
        return List.of(new Scratch(), new FineTune(), new FeatureExtraction(), new Progressive(),
                new PublishedExpanse(), new FrozenExpanse());
    }

    /**
     * Every strategy a stream runs, in report order: those of {@link #all()} and the baselines
     * that only make sense over experiences without a fixed source task (naive, LwF, EWC).
     */
    public static List<Strategy> forStreams() {
        return List.of(new Scratch(), new Naive(), new FineTune(), new Lwf(), new Ewc(), new FeatureExtraction(),
                new Progressive(), new PublishedExpanse(), new FrozenExpanse());
    }

    /** Every strategy id of {@code known}, in order. */
    public static List<String> ids(List<Strategy> known) {
        List<String> ids = new ArrayList<>();
        for (Strategy s : known) ids.add(s.id());
        return ids;
    }

    /** Every strategy id of {@link #all()}, in report order. */
    public static List<String> ids() {
        return ids(all());
    }

    /**
     * The strategy of {@link #all()} called {@code id}.
     *
     * @throws IllegalArgumentException listing the known ids if there is none
     */
    public static Strategy byId(String id) {
        return byId(id, all());
    }

    private static Strategy byId(String id, List<Strategy> known) {
        for (Strategy s : known) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("unknown strategy '" + id + "'; strategies are " + ids(known));
    }

    /**
     * "all" (every strategy of {@link #all()}, in report order) or a comma-separated list of ids,
     * in the order given.
     *
     * @throws IllegalArgumentException for an unknown id or one named twice
     */
    public static List<Strategy> parse(String text) {
        return parse(text, all());
    }

    /** {@link #parse(String)} among {@code known}. */
    public static List<Strategy> parse(String text, List<Strategy> known) {
        if (text.equals("all")) return known;
        List<Strategy> out = new ArrayList<>();
        for (String id : text.split(",")) {
            Strategy s = byId(id.trim(), known);
            if (out.stream().anyMatch(x -> x.id().equals(s.id()))) {
                throw new IllegalArgumentException("strategy '" + s.id() + "' is named twice");
            }
            out.add(s);
        }
        return out;
    }
}
