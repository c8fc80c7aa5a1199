package dev.expanse.method.explain;

import dev.expanse.method.metrics.AccuracyMatrix;
import java.util.List;

/**
 * One strategy's part of the story: the matrices right after expansion, their gradient in the
 * first target step, the matrices after target training, the probe after training and the
 * accuracy matrix. Matrix lists are in the network's layer order.
 *
 * @param id       the strategy's id, e.g. "frozen-expanse"
 * @param title    a heading, e.g. "frozen EXPANSE"
 * @param summary  the network's summary right after expansion (sizes, old, frozen)
 * @param seconds  wall time of its target phase
 */
public record StrategyRun(String id, String title, String summary, List<MatrixState> expanded,
                          List<MatrixState> gradients, List<MatrixState> trained, Probe probe,
                          AccuracyMatrix accuracy, double seconds) {

    /** Whether this strategy froze anything. */
    public boolean freezes() {
        return expanded.stream().anyMatch(m -> m.frozenCells() > 0);
    }
}
