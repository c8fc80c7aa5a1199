package dev.expanse.method.scenario;

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
 */
public record Hyper(int basicsEpochs, int sourceEpochs, int targetEpochs, int sourceBatch, int targetBatch,
                    float learningRate, double validation) {

    public Hyper {
        check("basics epochs", basicsEpochs, 0);
        check("source epochs", sourceEpochs, 1);
        check("target epochs", targetEpochs, 1);
        check("source batch", sourceBatch, 1);
        check("target batch", targetBatch, 1);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (!(validation > 0 && validation < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validation);
        }
    }

    /** The settings of the full-data suite (batch sizes as in the authors' notebooks). */
    public static Hyper defaults() {
        return new Hyper(10, 3, 5, 72, 144, 1e-3f, 0.1);
    }

    public Hyper withTargetEpochs(int e) {
        return new Hyper(basicsEpochs, sourceEpochs, e, sourceBatch, targetBatch, learningRate, validation);
    }

    public Hyper withSourceEpochs(int basics, int source) {
        return new Hyper(basics, source, targetEpochs, sourceBatch, targetBatch, learningRate, validation);
    }

    public Hyper withLearningRate(float lr) {
        return new Hyper(basicsEpochs, sourceEpochs, targetEpochs, sourceBatch, targetBatch, lr, validation);
    }

    public Hyper withBatches(int source, int target) {
        return new Hyper(basicsEpochs, sourceEpochs, targetEpochs, source, target, learningRate, validation);
    }

    private static void check(String what, int v, int min) {
        if (v < min) throw new IllegalArgumentException(what + " must be >= " + min + ", got " + v);
    }
}
