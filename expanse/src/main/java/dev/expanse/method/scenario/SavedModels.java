package dev.expanse.method.scenario;

import dev.expanse.engine.io.ModelInfo;
import dev.expanse.method.strategy.MultiHeadNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a scenario keeps the networks it trains ({@code --save-models DIR}): the source network of
 * each seed and every strategy's final network, as checkpoints with their class map, named
 * {@code <cell>-<strategy or "source">-seed<k>.safetensors}.
 *
 * @param dir the folder (created when needed)
 */
public record SavedModels(Path dir) {

    /** The file of one network. */
    public Path file(ScenarioConfig c, String what, long seed) {
        return dir.resolve(String.format(Locale.ROOT, "%s-%s-seed%d.safetensors", c.id(), what, seed));
    }

    /** Saves a network of cell {@code c} ({@code what}: "source" or a strategy id) with its class map. */
    void save(MultiHeadNet net, ScenarioConfig c, String what, long seed, boolean afterTarget) throws IOException {
        int[] src = c.sourceClasses(), tgt = c.targetClasses();
        String srcExp = c.source().id() + " " + range(src), tgtExp = c.target().id() + " " + range(tgt);
        ModelInfo info = ModelInfo.empty().withClasses(0, 0, c.source().id(), src, srcExp);
        if (afterTarget) {
            info = c.kind() == ScenarioConfig.Kind.SPLIT
                    ? info.withClasses(0, src.length, c.target().id(), tgt, tgtExp)
                    : info.withClasses(1, 0, c.target().id(), tgt, tgtExp);
        }
        info = info.with("scenario", c.title() + (c.fixtures() ? " (fixtures)" : "")).with("network", what).with("seed", Long.toString(seed));
        net.save(file(c, what, seed), info);
    }

    private static String range(int[] cs) {
        return cs[0] + "-" + cs[cs.length - 1];
    }
}
