package dev.expanse.method.explain;

import dev.expanse.engine.data.Dataset;
import java.util.List;

/**
 * Everything {@code expanse explain} measured, ready to draw.
 *
 * @param config        what ran
 * @param summaryBefore the source network's summary (sizes and capacities) before expansion
 * @param before        its weight matrices before expansion, in layer order
 * @param sourceProbe   its activations and logits on {@code probeImages}
 * @param probeImages   a few test images of source and target classes
 * @param runs          frozen EXPANSE, then published EXPANSE
 * @param seconds       wall time of the whole run, source phase included
 */
public record Findings(ExplainConfig config, String summaryBefore, List<MatrixState> before, Probe sourceProbe,
                       Dataset probeImages, List<StrategyRun> runs, double seconds) {
}
