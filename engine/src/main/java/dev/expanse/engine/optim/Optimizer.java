package dev.expanse.engine.optim;

import dev.expanse.engine.Parameter;
import java.util.IdentityHashMap;
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
}
