package dev.expanse.method.scenario;

import dev.expanse.engine.optim.Optimizer;
import java.io.Serializable;

/**
 * Training settings of a scenario. They were chosen on the validation split, never on test data.
 *
 * @param basicsEpochs  source step A: epochs on the source basics alone
 * @param sourceEpochs  source step B: epochs on source basics plus the real source training data
 * @param targetEpochs  target phase: epochs on all basics, rehearsed source data and target data
 * @param sourceBatch   mini-batch size of the source steps
 * @param targetBatch   mini-batch size of the target phase
 * @param learningRate  Adam learning rate of every phase
 * @param validation    fraction of each training set held out for validation (learning curves)
 * @param balance       in the target phase, repeat the source-side data (basics and rehearsed
 *                      examples) so that each source class has about as many examples per epoch
 *                      as each target class; the unique source data stays the rehearsed fraction
 * @param cosine        decay the learning rate of each phase along a half cosine, from
 *                      {@code learningRate} at its first epoch towards 0 after its last
 * @param calibrate     after the target phase of a split, rescale and shift the target classes'
 *                      logits to maximise validation accuracy ({@link Calibration})
 */
public record Hyper(int basicsEpochs, int sourceEpochs, int targetEpochs, int sourceBatch, int targetBatch,
                    float learningRate, double validation, boolean balance, boolean cosine, boolean calibrate) implements Serializable {

    /**
     * Checks every setting; a message names the setting and the command-line option that sets it,
     * since this is the one place the command line's values are checked.
     */
    public Hyper {
        atLeast("basics epochs (--epochs-basics)", basicsEpochs, 0);
        atLeast("source epochs (--epochs-source)", sourceEpochs, 1);
        atLeast("target epochs (--epochs-target)", targetEpochs, 1);
        atLeast("source batch (--batch-source)", sourceBatch, 1);
        atLeast("target batch (--batch-target)", targetBatch, 1);
        Optimizer.checkLearningRate("learning rate (--lr)", learningRate);
        if (!(validation > 0 && validation < 1)) {
            throw new IllegalArgumentException("validation fraction (--validation) must be in (0, 1), got " + validation);
        }
    }

    /** The settings of the full-data suite (batch sizes as in the authors' notebooks). */
    public static Hyper defaults() {
        return new Hyper(10, 10, 10, 72, 144, 1e-3f, 0.1, true, true, true);
    }

    /** These settings with {@code e} target epochs. */
    public Hyper withTargetEpochs(int e) {
        return new Hyper(basicsEpochs, sourceEpochs, e, sourceBatch, targetBatch, learningRate, validation, balance, cosine, calibrate);
    }

    /** These settings with {@code basics} epochs of source step A and {@code source} of step B. */
    public Hyper withSourceEpochs(int basics, int source) {
        return new Hyper(basics, source, targetEpochs, sourceBatch, targetBatch, learningRate, validation, balance, cosine, calibrate);
    }

    /** The learning rate of epoch {@code e} (1-based) of a phase of {@code epochs} epochs. */
    public float learningRate(int e, int epochs) {
        if (!cosine) return learningRate;
        return (float) (learningRate * 0.5 * (1 + Math.cos(Math.PI * (e - 1) / epochs)));
    }

    private static void atLeast(String what, int v, int min) {
        if (v < min) throw new IllegalArgumentException(what + " must be >= " + min + ", got " + v);
    }
}
