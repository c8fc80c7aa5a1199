package dev.expanse.method.scenario;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Every run of one scenario cell, and the shared source training of each seed.
 *
 * @param config  the cell
 * @param sources source training per seed
 * @param runs    one per strategy and seed
 */
public record CellResult(ScenarioConfig config, List<SourceInfo> sources, List<RunResult> runs) implements Serializable {

    /**
     * The source network of one seed, shared by every strategy of the cell.
     *
     * @param seed      the seed
     * @param accuracy  its test accuracy on the source experience
     * @param seconds   wall time of both source steps
     * @param valCurve  validation accuracy after each epoch (step A then step B)
     */
    public record SourceInfo(long seed, double accuracy, double seconds, double[] valCurve) implements Serializable {
    }

    public CellResult {
        sources = List.copyOf(sources);
        runs = List.copyOf(runs);
    }

    /** Strategy ids in the order they first appear. */
    public List<String> strategies() {
        return new ArrayList<>(new LinkedHashSet<>(runs.stream().map(RunResult::strategy).toList()));
    }

    /** The runs of one strategy, in seed order. */
    public List<RunResult> runsOf(String strategy) {
        return runs.stream().filter(r -> r.strategy().equals(strategy)).toList();
    }
}
