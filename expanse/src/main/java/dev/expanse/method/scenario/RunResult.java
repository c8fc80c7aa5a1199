package dev.expanse.method.scenario;

import dev.expanse.method.metrics.AccuracyMatrix;
import java.io.Serializable;

/**
 * One strategy on one seed of one scenario cell.
 *
 * @param strategy          strategy id
 * @param seed              the seed
 * @param matrix            accuracy matrix over the source and target experiences (see {@link AccuracyMatrix})
 * @param allClasses        split: test accuracy over all ten classes after the target phase; distant: NaN
 * @param sourceTaskAware   accuracy on the source test images when only the source classes' logits compete
 * @param trainable         parameters the target phase may change
 * @param total             parameters of the target-phase network
 * @param seconds           wall time of the target phase (adaptation and training, not evaluation)
 * @param valCurve          validation accuracy after each target epoch (split: all classes; distant: target task)
 * @param lossCurve         mean training loss of each target epoch
 * @param logits            source-class logits after the target phase against the source network's
 * @param calibration       the bias correction applied to the target classes' logits ({@link Calibration#NONE} if none)
 * @param sourceAsTarget    split: fraction of source test images predicted as a target class; distant: NaN
 * @param targetAsSource    split: fraction of target test images predicted as a source class; distant: NaN
 */
public record RunResult(String strategy, long seed, AccuracyMatrix matrix, double allClasses, double sourceTaskAware,
                        long trainable, long total, double seconds, double[] valCurve, double[] lossCurve,
                        LogitCheck logits, Calibration calibration,
                        double sourceAsTarget, double targetAsSource) implements Serializable {

    /** Final accuracy on the source experience. */
    public double sourceAccuracy() { return matrix.at(1, 0); }

    /** Final accuracy on the target experience. */
    public double targetAccuracy() { return matrix.at(1, 1); }
}
