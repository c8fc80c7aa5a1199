package dev.expanse.method.train;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two-step training ("learn the basics first"): step 1 trains on the basics only, step 2 on the
 * basics together with the full training data. And the baseline it is compared with: one-step
 * training on the full data with the same number of optimizer steps.
 *
 * <p>Both steps share one Adam optimizer, only its learning rate changes between them: the
 * authors' notebooks call Keras {@code fit} twice on one compiled model, which keeps the
 * optimizer's moments and step count, and this keeps that behaviour.
 */
public final class TwoStep {
    /** Phase name of step 1 in {@link EpochRecord#phase()}. */
    public static final String STEP1 = "step1";
    /** Phase name of step 2. */
    public static final String STEP2 = "step2";
    /** Phase name of the one-step baseline. */
    public static final String ONE_STEP = "one-step";

    private static final int EVAL_BATCH = 1000;

    private TwoStep() {
    }

    /** Epochs, Adam learning rate and mini-batch size of one training phase. */
    public record Phase(int epochs, float learningRate, int batchSize) {
        /** @throws IllegalArgumentException unless epochs >= 0, the rate finite and > 0, and batchSize >= 1 */
        public Phase {
            if (epochs < 0 || batchSize < 1) {
                throw new IllegalArgumentException("a phase needs epochs >= 0 and batchSize >= 1, got "
                        + epochs + ", " + batchSize);
            }
            Optimizer.checkLearningRate("a phase's learning rate", learningRate);
        }

        /** Optimizer steps this phase takes on {@code examples} examples. */
        public long steps(int examples) {
            return (long) epochs * ((examples + batchSize - 1) / batchSize);
        }
    }

    /**
     * One epoch of a learning curve. {@code epoch} counts from 1 within its phase; {@code steps}
     * is the optimizer steps this epoch took (the last epoch of the baseline may be partial);
     * accuracies are fractions in [0, 1], {@code valAccuracy} NaN without a validation set;
     * {@code seconds} is the training time of the epoch, evaluation excluded.
     */
    public record EpochRecord(String phase, int epoch, long steps, double trainLoss,
            double trainAccuracy, double valAccuracy, double seconds) {
    }

    /**
     * Trains {@code model} in two steps: {@code step1.epochs()} epochs on {@code basics}, then
     * {@code step2.epochs()} epochs on {@code basics} followed by {@code full} (shuffled
     * together), with one Adam whose learning rate is each step's. Mini-batch orders come from
     * {@code rng.fork("step1")} and {@code rng.fork("step2")}.
     *
     * @param validation evaluated after every epoch; may be null
     * @return one record per epoch, step 1's first
     */
    public static List<EpochRecord> train(Model model, Dataset basics, Dataset full,
            Dataset validation, Phase step1, Phase step2, Rng rng, Progress progress) {
        Adam adam = new Adam(model::parameters, step1.learningRate());
        List<EpochRecord> out = new ArrayList<>();
        run(model, adam, basics, validation, step1, STEP1, rng.fork(STEP1), progress, out);
        if (step2.epochs() > 0) {
            adam.setLearningRate(step2.learningRate());
            run(model, adam, basics.concat(full), validation, step2, STEP2, rng.fork(STEP2),
                    progress, out);
        }
        return out;
    }

    /**
     * The one-step baseline: trains {@code model} on {@code data} with a fresh Adam for exactly
     * {@code totalSteps} optimizer steps in mini-batches of {@code batchSize}: whole epochs, then
     * a partial one on the first {@code remainingSteps * batchSize} examples of a random order
     * (the same as stopping an epoch early). Orders come from {@code rng.fork("one-step")}.
     *
     * @param validation evaluated after every epoch; may be null
     * @return one record per (possibly partial) epoch
     */
    public static List<EpochRecord> oneStep(Model model, Dataset data, Dataset validation,
            float learningRate, int batchSize, long totalSteps, Rng rng, Progress progress) {
        if (totalSteps < 0 || batchSize < 1 || data.size() == 0) {
            throw new IllegalArgumentException("need totalSteps >= 0, batchSize >= 1 and data, got "
                    + totalSteps + ", " + batchSize + ", " + data.size() + " examples");
        }
        Adam adam = new Adam(model::parameters, learningRate);
        Rng shuffle = rng.fork(ONE_STEP);
        List<EpochRecord> out = new ArrayList<>();
        long perEpoch = data.batchCount(batchSize);
        int whole = (int) (totalSteps / perEpoch);
        long rest = totalSteps % perEpoch;
        Phase phase = new Phase(whole, learningRate, batchSize);
        run(model, adam, data, validation, phase, ONE_STEP, shuffle, progress, out);
        if (rest > 0) {
            int[] order = new int[data.size()];
            Arrays.setAll(order, i -> i);
            shuffle.shuffle(order);
            Dataset part = data.select(Arrays.copyOf(order, (int) (rest * batchSize)));
            epoch(model, adam, part, validation, batchSize, ONE_STEP, whole + 1, shuffle, progress,
                    out);
        }
        return out;
    }

    /**
     * Optimizer steps of a two-step run: {@code step1} on {@code basicsSize} examples plus
     * {@code step2} on {@code basicsSize + fullSize}.
     */
    public static long steps(Phase step1, Phase step2, int basicsSize, int fullSize) {
        return step1.steps(basicsSize) + step2.steps(basicsSize + fullSize);
    }

    /** Sums the {@code steps} of records. */
    public static long steps(List<EpochRecord> records) {
        return records.stream().mapToLong(EpochRecord::steps).sum();
    }

    private static void run(Model model, Adam adam, Dataset data, Dataset validation,
            Phase phase, String name, Rng shuffle, Progress progress, List<EpochRecord> out) {
        for (int e = 1; e <= phase.epochs(); e++) {
            epoch(model, adam, data, validation, phase.batchSize(), name, e, shuffle, progress, out);
        }
    }

    private static void epoch(Model model, Adam adam, Dataset data, Dataset validation,
            int batchSize, String name, int e, Rng shuffle, Progress progress,
            List<EpochRecord> out) {
        Trainer.EpochStats s = Trainer.epoch(model, adam, data, batchSize, shuffle, progress,
                name + " epoch " + e);
        double val = validation == null ? Double.NaN
                : Trainer.accuracy(model, validation, EVAL_BATCH);
        EpochRecord r = new EpochRecord(name, e, data.batchCount(batchSize), s.loss(),
                s.accuracy(), val, s.seconds());
        out.add(r);
        progress.line(String.format("%s epoch %d  loss %.4f  train acc %.2f%%  val acc %.2f%%  "
                + "%.1fs", name, e, r.trainLoss(), 100 * r.trainAccuracy(), 100 * val,
                r.seconds()));
    }
}
