package dev.expanse.method.train;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.method.basics.GlyphBasics;
import dev.expanse.method.metrics.Summary;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.train.TwoStep.EpochRecord;
import dev.expanse.method.train.TwoStep.Phase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two-step training against one-step training with the same budget, over several seeds, on an
 * MLP: the experiment of the EXPANSE notebooks (784-256-128-10 on MNIST, 98.06% vs 98.04%).
 *
 * <p>For every seed: a validation split is carved from the training data (stratified, {@code
 * rng.fork("validation")}); basics are made from the remaining training part (prototypes) or
 * rendered (glyphs); one MLP initialisation ({@code rng.fork("init")}) is copied into both arms;
 * the two-step arm trains as {@link TwoStep#train}, and the one-step arm trains on the training
 * part alone for the same number of optimizer steps ({@link TwoStep#oneStep}). Both are then
 * scored on the test set, or in selection mode on the validation split, so hyper-parameters can
 * be chosen without the test set ever being loaded.
 *
 * <p>Same optimizer steps, rather than same epochs, is the budget: an epoch of basics is a few
 * batches and an epoch of step 2 is longer than one of the full data alone, so equal epochs would
 * favour one arm; Adam's progress is per step, and with the same batch size equal steps are also
 * equal work.
 */
public final class TwoStepComparison {
    private TwoStepComparison() {
    }

    /**
     * One comparison.
     *
     * @param dataset the images: MNIST or Fashion-MNIST
     * @param fixtures use the dataset's small committed fixture instead of the full set
     * @param basics which basics step 1 trains on ({@link Basics.Kind#of})
     * @param basicsPerClass k of the prototype rules
     * @param glyphCopies copies per glyph of {@link GlyphBasics#render(int, Rng)}
     * @param hidden the MLP's hidden widths
     * @param oneStepLearningRate and {@code oneStepBatch}: the baseline's Adam settings
     * @param validationFraction the share of the training data held out for validation, in (0, 1)
     * @param seeds one comparison per seed, at least one
     * @param selection score on the validation split and never load the test set
     */
    public record Config(DataSource dataset, boolean fixtures, Basics.Kind basics, int basicsPerClass,
            int glyphCopies, int[] hidden, Phase step1, Phase step2, float oneStepLearningRate,
            int oneStepBatch, double validationFraction, long[] seeds, boolean selection) {
        /**
         * Checks what {@link Phase} does not; a message names the setting and the command-line
         * option of {@code expanse two-step} that sets it.
         */
        public Config {
            atLeast("basics per class (--k)", basicsPerClass, 1);
            atLeast("glyph copies (--glyph-copies)", glyphCopies, 1);
            atLeast("one-step batch (--batch)", oneStepBatch, 1);
            Optimizer.checkLearningRate("one-step learning rate (--lr)", oneStepLearningRate);
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validation fraction (--val) must be in (0, 1), got "
                        + validationFraction);
            }
            if (seeds.length == 0) {
                throw new IllegalArgumentException("a comparison needs at least one seed (--seeds)");
            }
        }

        private static void atLeast(String what, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(what + " must be >= " + min + ", got " + v);
            }
        }

        /** The setting measured in docs/basics.md, for seeds 1, 2, 3. */
        public static Config defaults() {
            return new Config(DataSource.MNIST, false, Basics.Kind.GLYPHS, 20, 2,
                    new int[] {256, 128}, new Phase(5, 1e-3f, 32), new Phase(5, 1e-3f, 128), 1e-3f,
                    128, 0.1, new long[] {1, 2, 3}, false);
        }

        /** The dataset's name, marked when it is the fixture: "mnist" or "mnist (fixture)". */
        public String dataName() {
            return dataset.id() + (fixtures ? " (fixture)" : "");
        }
    }

    /** The outcome for one seed. Accuracies are fractions on the test set (validation split in selection mode). */
    public record Row(long seed, int basicsSize, long steps, double oneStepAccuracy,
            double twoStepAccuracy, List<EpochRecord> oneStepCurve,
            List<EpochRecord> twoStepCurve) {
    }

    /** Runs the comparison for every seed of {@code c} on {@code be}. */
    public static List<Row> run(Config c, Backend be, Progress progress) throws IOException {
        Basics basics = c.basics().of(c.dataset(), c.basicsPerClass(), c.glyphCopies()); // fails before loading
        Dataset train = c.dataset().load(Datasets.Part.TRAIN, c.fixtures());
        Dataset test = c.selection() ? null : c.dataset().load(Datasets.Part.TEST, c.fixtures());
        List<Row> rows = new ArrayList<>();
        for (long seed : c.seeds()) {
            rows.add(runSeed(c, basics, train, test, seed, be, progress));
        }
        return rows;
    }

    /** One seed of {@link #run}: {@code test} null means selection mode. */
    static Row runSeed(Config c, Basics basicsRule, Dataset train, Dataset test, long seed,
            Backend be, Progress progress) {
        Rng rng = new Rng(seed);
        Dataset.Split split = train.split(1 - c.validationFraction(), rng.fork("validation"));
        Dataset trainPart = split.first(), val = split.second();
        Dataset basics = basicsRule.basics(trainPart, rng.fork("basics"), be);
        Dataset scoreOn = test == null ? val : test;
        long steps = TwoStep.steps(c.step1(), c.step2(), basics.size(), trainPart.size());

        Sequential twoNet = mlp(c, train, rng, be);
        List<EpochRecord> two = TwoStep.train(twoNet, basics, trainPart, val, c.step1(),
                c.step2(), rng.fork("two-step"), progress);
        double twoAcc = Trainer.accuracy(twoNet, scoreOn, 1000);

        Sequential oneNet = mlp(c, train, rng, be);
        List<EpochRecord> one = TwoStep.oneStep(oneNet, trainPart, val, c.oneStepLearningRate(),
                c.oneStepBatch(), steps, rng.fork("one-step"), progress);
        double oneAcc = Trainer.accuracy(oneNet, scoreOn, 1000);
        return new Row(seed, basics.size(), steps, oneAcc, twoAcc, one, two);
    }

    /**
     * The results as a markdown table: seed, one-step and two-step accuracy in percent, their
     * difference, then the mean and sample standard deviation over seeds.
     */
    public static String markdown(Config c, List<Row> rows) {
        String what = c.selection() ? "val acc" : "test acc";
        StringBuilder sb = new StringBuilder();
        sb.append("| seed | one-step ").append(what).append(" (%) | two-step ").append(what)
                .append(" (%) | two - one |\n|---|---|---|---|\n");
        double[] one = new double[rows.size()], two = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            one[i] = 100 * r.oneStepAccuracy();
            two[i] = 100 * r.twoStepAccuracy();
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %+.2f |%n", r.seed(),
                    one[i], two[i], two[i] - one[i]));
        }
        double[] diff = new double[rows.size()];
        Arrays.setAll(diff, i -> two[i] - one[i]);
        Summary o = Summary.of(one), t = Summary.of(two), d = Summary.of(diff);
        sb.append(String.format(Locale.ROOT, "| mean +- sd | %.2f +- %.2f | %.2f +- %.2f | "
                + "%+.2f +- %.2f |%n", o.mean(), o.sd(), t.mean(), t.sd(), d.mean(), d.sd()));
        return sb.toString();
    }

    /** A one-line description of the setting, for the report above the table. */
    public static String describe(Config c, List<Row> rows) {
        Row r0 = rows.isEmpty() ? null : rows.get(0);
        return String.format(Locale.ROOT, "%s, MLP %s, basics %s (%s examples), step 1: %d "
                + "epochs lr %s batch %d; step 2: %d epochs lr %s batch %d; one-step: lr %s "
                + "batch %d; %s optimizer steps each; validation %.0f%% of train",
                c.dataName(), Arrays.toString(c.hidden()), c.basics().cliName(),
                r0 == null ? "?" : r0.basicsSize(), c.step1().epochs(), c.step1().learningRate(),
                c.step1().batchSize(), c.step2().epochs(), c.step2().learningRate(),
                c.step2().batchSize(), c.oneStepLearningRate(), c.oneStepBatch(),
                r0 == null ? "?" : r0.steps(), 100 * c.validationFraction());
    }

    private static Sequential mlp(Config c, Dataset train, Rng rng, Backend be) {
        return Architectures.mlp(be, rng.fork("init"), train.features(), c.hidden(),
                train.numClasses());
    }
}
