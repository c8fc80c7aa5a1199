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
}
