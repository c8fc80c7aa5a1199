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
     * True when the strategy trains on the rehearsed data of earlier experiences as well as the new
     * one (the rehearsal fraction or buffer of the run). LwF and EWC, as Avalanche defines them,
     * and naive fine-tuning do not.
     */
    default boolean rehearses() {
        return true;
    }

    /**
     * A fresh regulariser for one run over a stream (it may keep state from one experience to the
     * next, as EWC keeps its importances); {@link Regularizer#NONE} for plain cross-entropy.
     */
    default Regularizer regularizer() {
        return Regularizer.NONE;
    }

    /**
     * Why the strategy cannot run with target classes reaching the outputs by {@code mode}, or
     * null when it can.
     */
    default String unsupported(Transfer.Mode mode) {
        return null;
    }

    /**
     * Prepares the target-phase network. {@code rng} draws every new weight.
     *
     * @return the network, with the head indices for source and target classes
     */
    Adapted adapt(Transfer t, Rng rng);
}
