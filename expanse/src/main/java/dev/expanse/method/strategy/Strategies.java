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

    /** Every strategy id, in report order. */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Strategy s : all()) ids.add(s.id());
        return ids;
    }

    /**
     * The strategy called {@code id}.
     *
     * @throws IllegalArgumentException listing the known ids if there is none
     */
    public static Strategy byId(String id) {
        for (Strategy s : all()) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("unknown strategy '" + id + "'; strategies are " + ids());
    }

    /**
     * "all" (every strategy, in report order) or a comma-separated list of ids, in the order given.
     *
     * @throws IllegalArgumentException for an unknown id or one named twice
     */
    public static List<Strategy> parse(String text) {
        if (text.equals("all")) return all();
        List<Strategy> out = new ArrayList<>();
        for (String id : text.split(",")) {
            Strategy s = byId(id.trim());
            if (out.stream().anyMatch(x -> x.id().equals(s.id()))) {
                throw new IllegalArgumentException("strategy '" + s.id() + "' is named twice");
            }
            out.add(s);
        }
        return out;
    }
}
