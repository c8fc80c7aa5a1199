package dev.expanse.method.model;

import dev.expanse.engine.Init;
import dev.expanse.engine.nn.Sequential;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One expansion of a saved model, as {@code expanse expand} does it: a plan of new outputs per
 * layer and a policy.
 *
 * @param plan   outputs added per layer name
 * @param policy how the new weights are drawn and what is frozen
 * @param seed   the seed of the new weights' draws
 */
public record Expansion(Map<String, Integer> plan, Policy policy, long seed) {

    /** How new weights are drawn and what is frozen. */
    public enum Policy {
        /** He-normal new neurons, zero new-to-old weights, then every old row frozen: old logits stay bit-identical. */
        FROZEN(Init.HE_NORMAL, Init.ZEROS),
        /** The authors' EXPANSE: new and new-to-old weights from N(0, 0.05^2), nothing frozen. */
        PUBLISHED(Init.normal(0.05), Init.normal(0.05));

        final Init newNeurons, newToOld;

        Policy(Init newNeurons, Init newToOld) {
            this.newNeurons = newNeurons;
            this.newToOld = newToOld;
        }

        /** "frozen" or "published". */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the value if it is neither "frozen" nor "published" */
        public static Policy parse(String s) {
            for (Policy p : values()) if (p.id().equals(s)) return p;
            throw new IllegalArgumentException("unknown policy '" + s + "' (frozen, published)");
        }
    }

    public Expansion {
        plan = new LinkedHashMap<>(plan);
    }

    /**
     * A plan written {@code dense1=+200,dense2=+100,head=+5} (the plus is optional).
     *
     * @throws IllegalArgumentException naming the part that is not {@code LAYER=+N} with N >= 0
     */
    public static Map<String, Integer> parsePlan(String text) {
        Map<String, Integer> plan = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=", -1);
            try {
                if (kv.length != 2 || kv[0].isBlank()) throw new NumberFormatException();
                String n = kv[1].strip();
                int k = Integer.parseInt(n.startsWith("+") ? n.substring(1) : n);
                if (k < 0 || plan.put(kv[0].strip(), k) != null) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not LAYER=+N (e.g. dense1=+200), or names a layer twice");
            }
        }
        return plan;
    }

    /** Grows {@code model} by the plan and, for {@link Policy#FROZEN}, freezes every old row over all its columns. */
    public void apply(Sequential model) {
        model.grow(plan, policy.newNeurons, policy.newToOld, seed);
        if (policy == Policy.FROZEN) model.freezeOld();
    }
}
