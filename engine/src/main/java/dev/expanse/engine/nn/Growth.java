package dev.expanse.engine.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One expansion of a model, as {@link Sequential#grow} did it: kept in the model's history and in
 * its checkpoints.
 *
 * @param plan       outputs added per layer name
 * @param newNeurons initialiser of the new rows ({@link dev.expanse.engine.Init#id()})
 * @param newToOld   initialiser of the new columns of existing rows
 * @param seed       the seed of the draws, or null when the caller gave a generator instead
 * @param frozen     what was frozen after it ("old rows" after {@link Sequential#freezeOld()}), or "nothing"
 */
public record Growth(Map<String, Integer> plan, String newNeurons, String newToOld, Long seed, String frozen) {

    public Growth {
        plan = Collections.unmodifiableMap(new LinkedHashMap<>(plan));
    }

    /** The same expansion with {@code what} frozen after it. */
    public Growth withFrozen(String what) {
        return new Growth(plan, newNeurons, newToOld, seed, what);
    }
}
