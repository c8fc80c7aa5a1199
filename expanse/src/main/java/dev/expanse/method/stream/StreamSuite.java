package dev.expanse.method.stream;

import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Transfer;
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
}
