package dev.expanse.method.strategy;

import dev.expanse.engine.Rng;

/**
 * One way of going from a network trained on the source task to one that also handles the target
 * task: it prepares the network (expand, freeze, add heads); the scenario then trains it on the
 * target-phase data.
 */
public interface Strategy {

    /** The command-line name, e.g. "frozen-expanse". */
    String id();

    /** One line for reports. */
    String description();

    /**
     * True when the strategy ignores the source network and trains a new one on all the data of
     * both tasks (joint training): the scenario then gives it the whole source training set instead
     * of the rehearsal fraction.
     */
    default boolean joint() {
        return false;
    }

    /**
     * Prepares the target-phase network. {@code rng} draws every new weight.
     *
     * @return the network, with the head indices for source and target classes
     */
    Adapted adapt(Transfer t, Rng rng);
}
