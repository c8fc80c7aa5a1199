package dev.expanse.method.scenario;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.kernels.Backend;

/**
 * The data of one scenario cell for one seed. Every training set has had its validation part
 * removed (stratified, {@link Hyper#validation()}); basics are drawn from the training part only.
 *
 * @param sourceTrain  real source training data (source classes)
 * @param sourceVal    source validation data
 * @param sourceBasics basics of the source classes
 * @param targetTrain  real target training data (target classes)
 * @param targetVal    target validation data
 * @param targetBasics basics of the target classes
 * @param sourceTest   the source experience: test images of the source classes
 * @param targetTest   the target experience: test images of the target classes
 * @param allTest      for a split, the whole test set (all ten classes); for distant transfer, null
 */
public record ScenarioData(Dataset sourceTrain, Dataset sourceVal, Dataset sourceBasics,
                           Dataset targetTrain, Dataset targetVal, Dataset targetBasics,
                           Dataset sourceTest, Dataset targetTest, Dataset allTest) {

    /** Image shape per example, {@code [C, H, W]}. */
    public int[] inputShape() {
        return new int[] {sourceTrain.channels(), sourceTrain.height(), sourceTrain.width()};
    }

    /**
     * Cuts the loaded datasets into the cell's parts.
     *
     * @param sourceFull the source dataset's training part (all classes)
     * @param sourceTestFull the source dataset's test part
     * @param targetFull the target dataset's training part (the same object as {@code sourceFull} for a split)
     * @param targetTestFull the target dataset's test part
     * @param rng the seed's stream; forked as "validation/..." and "basics/..."
     * @param be where a basics rule that trains a model trains it
     */
    public static ScenarioData prepare(ScenarioConfig c, Dataset sourceFull, Dataset sourceTestFull,
                                       Dataset targetFull, Dataset targetTestFull, Basics basicsSource,
                                       Basics basicsTarget, Rng rng, Backend be) {
        double keep = 1 - c.hyper().validation();
        if (c.kind() == ScenarioConfig.Kind.SPLIT) {
            Dataset.Split s = sourceFull.split(keep, rng.fork("validation/" + c.source().id()));
            Dataset basics = basicsSource.basics(s.first(), rng.fork("basics/" + c.source().id()), be);
            int[] src = c.sourceClasses(), tgt = c.targetClasses();
            return new ScenarioData(s.first().filterClasses(src), s.second().filterClasses(src), basics.filterClasses(src),
                    s.first().filterClasses(tgt), s.second().filterClasses(tgt), basics.filterClasses(tgt),
                    sourceTestFull.filterClasses(src), sourceTestFull.filterClasses(tgt), sourceTestFull);
        }
        Dataset.Split s = sourceFull.split(keep, rng.fork("validation/" + c.source().id()));
        Dataset.Split t = targetFull.split(keep, rng.fork("validation/" + c.target().id()));
        return new ScenarioData(s.first(), s.second(), basicsSource.basics(s.first(), rng.fork("basics/" + c.source().id()), be),
                t.first(), t.second(), basicsTarget.basics(t.first(), rng.fork("basics/" + c.target().id()), be),
                sourceTestFull, targetTestFull, null);
    }
}
