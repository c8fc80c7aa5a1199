package dev.expanse.method.strategy;

import dev.expanse.engine.Rng;

/**
 * Naive fine-tuning: {@link FineTune} on the new experience's data alone, no rehearsal; the
 * lower bound of a stream. (Fine-tuning with the run's rehearsal is "replay alone".)
 */
public final class Naive implements Strategy {
    private final FineTune fineTune = new FineTune();

    @Override public String id() { return "naive"; }

    @Override public String description() { return "fine-tune on the new experience alone, no rehearsal"; }

    @Override public boolean rehearses() { return false; }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        return fineTune.adapt(t, rng);
    }
}
