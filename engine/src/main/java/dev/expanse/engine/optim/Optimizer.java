package dev.expanse.engine.optim;

import dev.expanse.engine.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Updates parameters from their gradients, never writing frozen cells, then zeroes the
 * gradients. The parameter list is asked for at every step, so layers added or grown later are
 * picked up; state buffers live in the parameters' slots and grow with them, keeping old values.
 */
public abstract class Optimizer {
    private final Supplier<List<Parameter>> params;
    private final Map<Parameter, Integer> firstSlot = new IdentityHashMap<>();
    private float lr;
    private long updates;

    /** @throws IllegalArgumentException if {@code lr} is not a finite number > 0 */
    protected Optimizer(Supplier<List<Parameter>> params, float lr) {
        this.params = params;
        this.lr = checkRate(lr);
    }

    public float learningRate() { return lr; }

    /** @throws IllegalArgumentException if {@code lr} is not a finite number > 0 */
    public void setLearningRate(float lr) {
        this.lr = checkRate(lr);
    }

    /** How many times {@link #step} has run. */
    public long updates() { return updates; }

    /** One update of every parameter that has a trainable cell; then every gradient is zeroed. */
    public void step() {
        updates++;
        beforeStep();
        for (Parameter p : params.get()) {
            if (!p.fullyFrozen()) {
                Integer slot = firstSlot.get(p);
                if (slot == null) {
                    slot = p.slotCount();
                    for (int i = 0; i < slotsPerParameter(); i++) p.addSlot();
                    firstSlot.put(p, slot);
                }
                update(p, slot);
            }
            p.zeroGrad();
        }
    }

    /** Zeroes every gradient without updating. */
    public void zeroGrad() {
        for (Parameter p : params.get()) p.zeroGrad();
    }

    private static float checkRate(float lr) {
        return checkLearningRate("learning rate", lr);
    }

    /**
     * Returns {@code lr} if it is a finite number > 0, the one rule for every learning rate.
     *
     * @param what names the rate in the message, e.g. "learning rate (--lr)"
     * @throws IllegalArgumentException otherwise (NaN and infinities included)
     */
    public static float checkLearningRate(String what, float lr) {
        if (!(lr > 0 && lr < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " must be a finite number > 0, got " + lr);
        }
        return lr;
    }

    /** State buffers needed per parameter (momentum: 1; Adam: 2). */
    protected abstract int slotsPerParameter();

    /** Called once per step before the updates (e.g. to count steps). */
    protected void beforeStep() {
    }

    /** Updates {@code p}, whose state buffers are slots {@code slot ..}. */
    protected abstract void update(Parameter p, int slot);

    // ---------------------------------------------------------------- state, for checkpoints

    /**
     * What an optimizer carries from step to step: its kind and settings, its step count, and per
     * parameter (by name) its state slots, row-major {@code [rows, cols]}. Saved with a
     * checkpoint, it makes a resumed run continue exactly as an uninterrupted one.
     *
     * @param kind     "adam" or "sgd"
     * @param settings hyper-parameters by name, e.g. "learning_rate", "beta1"
     * @param step     steps taken
     * @param slots    per parameter name, its state buffers in slot order
     */
    public record State(String kind, Map<String, Double> settings, long step, Map<String, List<float[]>> slots) {
    }

    /** A copy of this optimizer's state. */
    public State state() {
        Map<String, List<float[]>> slots = new LinkedHashMap<>();
        for (Parameter p : params.get()) {
            Integer first = firstSlot.get(p);
            if (first == null) continue; // never updated (fully frozen so far): no state
            List<float[]> v = new ArrayList<>();
            for (int i = 0; i < slotsPerParameter(); i++) v.add(p.slotToArray(first + i));
            slots.put(p.name(), v);
        }
        Map<String, Double> settings = new LinkedHashMap<>();
        settings.put("learning_rate", (double) lr);
        settings.putAll(settings());
        return new State(kind(), settings, stepCount(), slots);
    }

    /**
     * Sets this optimizer's state from {@code s} (a parameter not in {@code s} starts fresh).
     *
     * @throws IllegalArgumentException naming the parameter if the kind, a slot count or a size
     *         does not match; nothing is changed then
     */
    public void restore(State s) {
        if (!s.kind().equals(kind())) throw new IllegalArgumentException("optimizer state is " + s.kind() + ", not " + kind());
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : params.get()) byName.put(p.name(), p);
        for (Map.Entry<String, List<float[]>> e : s.slots().entrySet()) {
            Parameter p = byName.get(e.getKey());
            if (p == null) throw new IllegalArgumentException("optimizer state for unknown parameter '" + e.getKey() + "'");
            if (e.getValue().size() != slotsPerParameter()) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' has " + e.getValue().size()
                        + " optimizer slots, " + kind() + " needs " + slotsPerParameter());
            }
            for (float[] v : e.getValue()) {
                if (v.length != p.size()) throw new IllegalArgumentException("optimizer state of '" + p.name() + "' has "
                        + v.length + " values for " + p.size() + " cells");
            }
        }
        for (Map.Entry<String, List<float[]>> e : s.slots().entrySet()) {
            Parameter p = byName.get(e.getKey());
            int first = firstSlot.computeIfAbsent(p, q -> {
                int f = q.slotCount();
                for (int i = 0; i < slotsPerParameter(); i++) q.addSlot();
                return f;
            });
            for (int i = 0; i < slotsPerParameter(); i++) p.setSlot(first + i, e.getValue().get(i));
        }
        Double rate = s.settings().get("learning_rate");
        if (rate != null) setLearningRate(rate.floatValue());
        restoreStep(s.step());
    }

    /**
     * A new optimizer of the kind, settings and state of {@code s}, over {@code params}.
     *
     * @throws IllegalArgumentException if the kind is unknown or a setting is missing or invalid
     */
    public static Optimizer fromState(State s, Supplier<List<Parameter>> params) {
        Map<String, Double> c = s.settings();
        float lr = setting(c, "learning_rate");
        Optimizer o = switch (s.kind()) {
            case "adam" -> new Adam(params, lr, setting(c, "beta1"), setting(c, "beta2"), setting(c, "eps"));
            case "sgd" -> new Sgd(params, lr, setting(c, "momentum"), setting(c, "weight_decay"));
            default -> throw new IllegalArgumentException("unknown optimizer kind '" + s.kind() + "' (adam, sgd)");
        };
        o.restore(s);
        return o;
    }

    private static float setting(Map<String, Double> c, String key) {
        Double v = c.get(key);
        if (v == null) throw new IllegalArgumentException("optimizer state lacks '" + key + "'");
        return v.floatValue();
    }

    /** "adam", "sgd": the kind in {@link State}. */
    protected abstract String kind();

    /** Hyper-parameters other than the learning rate, by name. */
    protected abstract Map<String, Double> settings();

    /** Steps taken (for step-dependent updates); 0 when the update does not depend on it. */
    protected long stepCount() {
        return 0;
    }

    /** Sets the step count from a saved state. */
    protected void restoreStep(long step) {
    }
}
