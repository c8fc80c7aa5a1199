package dev.expanse.method.stream;

import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Transfer;
import java.util.ArrayList;
import java.util.List;

/**
 * The streams of the results page: Split MNIST and Split Fashion-MNIST in five experiences of two
 * classes, class-incremental, with a class-balanced buffer of {@link #BUFFER} images; the
 * published MLP grown by its published expansion (+200, +100) before each experience.
 */
public final class StreamSuite {
    /** The buffer of the suite's streams, as in the target and Avalanche's baselines. */
    public static final int BUFFER = 2000;

    private StreamSuite() {
    }

    /** The suite's streams, in the order they run. */
    public static List<StreamConfig> plan(Hyper h, boolean fixtures) {
        NetSpec mlp = NetSpec.publishedMlp();
        Growth g = Growth.of(mlp);
        Rehearsal r = Rehearsal.buffer(BUFFER);
        return List.of(
                new StreamConfig(StreamSpec.parse("split-mnist"), mlp, g, r, Transfer.Mode.GROW_HEAD, h, fixtures),
                new StreamConfig(StreamSpec.parse("split-fashion"), mlp, g, r, Transfer.Mode.GROW_HEAD, h, fixtures));
    }

    /**
     * One result from the results of one stream over single seeds, in the order given: the runs a
     * {@link StreamRunner} gives over those seeds in one call.
     *
     * @throws IllegalArgumentException if the results are of different streams, or there are none
     */
    public static StreamResult merge(List<StreamResult> seeds) {
        if (seeds.isEmpty()) throw new IllegalArgumentException("no results to merge");
        StreamConfig c = seeds.get(0).config();
        List<StreamRun> runs = new ArrayList<>();
        for (StreamResult r : seeds) {
            if (!r.config().equals(c)) throw new IllegalArgumentException("results of two streams: " + c.title() + ", " + r.config().title());
            runs.addAll(r.runs());
        }
        return new StreamResult(c, runs);
    }
}
