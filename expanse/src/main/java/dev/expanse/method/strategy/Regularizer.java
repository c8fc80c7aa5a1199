package dev.expanse.method.strategy;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Objective;

/**
 * What a regularising strategy (LwF, EWC) adds to the training of each experience after the
 * first. One instance serves one run over a stream, experience after experience.
 */
public interface Regularizer {

    /** Plain cross-entropy, nothing kept. */
    Regularizer NONE = (view, data, oldOutputs, experience) -> Objective.CROSS_ENTROPY;

    /**
     * The objective of training experience {@code experience} (1 for the second) on {@code data}
     * through {@code view}, the adapted network before its first step; its first
     * {@code oldOutputs} outputs belong to earlier experiences.
     */
    Objective objective(Model view, Dataset data, int oldOutputs, int experience);

    /** Called after each experience's training (the first included) with what it trained on. */
    default void consolidate(Model view, Dataset data, int batchSize) {
    }
}
