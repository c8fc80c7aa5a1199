package dev.expanse.method.stream;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Every run of one stream.
 *
 * @param config the stream's settings
 * @param runs   one per strategy and seed
 */
public record StreamResult(StreamConfig config, List<StreamRun> runs) implements Serializable {

    public StreamResult {
        runs = List.copyOf(runs);
    }

    /** Strategy ids in the order they first appear. */
    public List<String> strategies() {
        return new ArrayList<>(new LinkedHashSet<>(runs.stream().map(StreamRun::strategy).toList()));
    }

    /** The runs of one strategy, in seed order. */
    public List<StreamRun> runsOf(String strategy) {
        return runs.stream().filter(r -> r.strategy().equals(strategy)).toList();
    }

    /** Experience names, in order. */
    public List<String> experiences() {
        return config.stream().experiences().stream().map(Experience::name).toList();
    }
}
