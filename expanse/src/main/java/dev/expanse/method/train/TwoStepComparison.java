package dev.expanse.method.train;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.basics.GlyphBasics;
import dev.expanse.method.basics.PrototypeBasics;
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

    /** Where the basics come from. */
    public enum Basics {
        /** Digits rendered from the installed fonts ({@link GlyphBasics}); digit datasets only. */
        GLYPHS,
        /** {@link PrototypeBasics.Rule#NEAREST_MEAN} prototypes of the training part. */
        NEAREST_MEAN,
        /** {@link PrototypeBasics.Rule#CONFIDENT_LINEAR} prototypes of the training part. */
        CONFIDENT_LINEAR;

        /** The command-line spelling: glyphs, nearest-mean, confident-linear. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Basics parse(String s) {
            for (Basics b : values()) {
                if (b.cliName().equals(s)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("basics must be glyphs, nearest-mean or "
                    + "confident-linear, got '" + s + "'");
        }
    }

    /**
     * One comparison.
     *
     * @param dataset mnist, fashion-mnist, or fixture:mnist / fixture:fashion-mnist (the small
     *     committed subsets)
     * @param basicsPerClass k of the prototype rules
     * @param glyphCopies copies per glyph of {@link GlyphBasics#render(int, Rng)}
     * @param hidden the MLP's hidden widths
     * @param oneStepLearningRate and {@code oneStepBatch}: the baseline's Adam settings
     * @param validationFraction the share of the training data held out for validation
     * @param selection score on the validation split and never load the test set
     */
    public record Config(String dataset, Basics basics, int basicsPerClass, int glyphCopies,
            int[] hidden, Phase step1, Phase step2, float oneStepLearningRate, int oneStepBatch,
            double validationFraction, long[] seeds, boolean selection) {
        /** The setting measured in docs/basics.md, for seeds 1, 2, 3. */
        public static Config defaults() {
            return new Config("mnist", Basics.GLYPHS, 20, 2, new int[] {256, 128},
                    new Phase(5, 1e-3f, 32), new Phase(5, 1e-3f, 128), 1e-3f, 128, 0.1,
                    new long[] {1, 2, 3}, false);
        }
    }

    /** The outcome for one seed. Accuracies are fractions on the test set (validation split in selection mode). */
    public record Row(long seed, int basicsSize, long steps, double oneStepAccuracy,
            double twoStepAccuracy, List<EpochRecord> oneStepCurve,
            List<EpochRecord> twoStepCurve) {
    }

    /** Runs the comparison for every seed of {@code c} on {@code be}. */
    public static List<Row> run(Config c, Backend be, Progress progress) throws IOException {
        Dataset train = load(c.dataset(), Datasets.Part.TRAIN);
        Dataset test = c.selection() ? null : load(c.dataset(), Datasets.Part.TEST);
        List<Row> rows = new ArrayList<>();
        for (long seed : c.seeds()) {
            rows.add(runSeed(c, train, test, seed, be, progress));
        }
        return rows;
    }

    /** One seed of {@link #run}: {@code test} null means selection mode. */
    static Row runSeed(Config c, Dataset train, Dataset test, long seed, Backend be,
            Progress progress) {
        Rng rng = new Rng(seed);
        Dataset.Split split = train.split(1 - c.validationFraction(), rng.fork("validation"));
        Dataset trainPart = split.first(), val = split.second();
        Dataset basics = basics(c, trainPart, rng.fork("basics"), be);
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
        sb.append(String.format(Locale.ROOT, "| mean +- sd | %.2f +- %.2f | %.2f +- %.2f | "
                + "%+.2f +- %.2f |%n", mean(one), sd(one), mean(two), sd(two), mean(diff),
                sd(diff)));
        return sb.toString();
    }

    /** A one-line description of the setting, for the report above the table. */
    public static String describe(Config c, List<Row> rows) {
        Row r0 = rows.isEmpty() ? null : rows.get(0);
        return String.format(Locale.ROOT, "%s, MLP %s, basics %s (%s examples), step 1: %d "
                + "epochs lr %s batch %d; step 2: %d epochs lr %s batch %d; one-step: lr %s "
                + "batch %d; %s optimizer steps each; validation %.0f%% of train",
                c.dataset(), Arrays.toString(c.hidden()), c.basics().cliName(),
                r0 == null ? "?" : r0.basicsSize(), c.step1().epochs(), c.step1().learningRate(),
                c.step1().batchSize(), c.step2().epochs(), c.step2().learningRate(),
                c.step2().batchSize(), c.oneStepLearningRate(), c.oneStepBatch(),
                r0 == null ? "?" : r0.steps(), 100 * c.validationFraction());
    }

    /**
     * Command line: {@code [--dataset mnist] [--basics glyphs|nearest-mean|confident-linear]
     * [--k 20] [--glyph-copies 2] [--hidden 256,128] [--epochs1 5] [--lr1 1e-3] [--batch1 32]
     * [--epochs2 5] [--lr2 1e-3] [--batch2 128] [--lr 1e-3] [--batch 128] [--val 0.1]
     * [--seeds 1,2,3] [--selection]}. Prints per-epoch lines on standard error and the markdown
     * table on standard output. Runs on {@link CpuBackend#fromProperties()}.
     */
    public static void main(String[] args) throws IOException {
        Config c = parse(args);
        try (Backend be = CpuBackend.fromProperties()) {
            List<Row> rows = run(c, be, new Progress(System.err));
            System.out.println(describe(c, rows));
            System.out.println();
            System.out.print(markdown(c, rows));
        }
    }

    /** Parses the options of {@link #main}, starting from {@link Config#defaults()}. */
    public static Config parse(String[] args) {
        Config d = Config.defaults();
        String dataset = d.dataset();
        Basics basics = d.basics();
        int k = d.basicsPerClass(), copies = d.glyphCopies();
        int[] hidden = d.hidden();
        int e1 = d.step1().epochs(), b1 = d.step1().batchSize();
        int e2 = d.step2().epochs(), b2 = d.step2().batchSize();
        float lr1 = d.step1().learningRate(), lr2 = d.step2().learningRate();
        Float lr = null;
        Integer batch = null;
        double val = d.validationFraction();
        long[] seeds = d.seeds();
        boolean selection = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--selection")) {
                selection = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--dataset" -> dataset = v;
                case "--basics" -> basics = Basics.parse(v);
                case "--k" -> k = Integer.parseInt(v);
                case "--glyph-copies" -> copies = Integer.parseInt(v);
                case "--hidden" -> hidden = Arrays.stream(v.split(",")).mapToInt(
                        s -> Integer.parseInt(s.trim())).toArray();
                case "--epochs1" -> e1 = Integer.parseInt(v);
                case "--lr1" -> lr1 = Float.parseFloat(v);
                case "--batch1" -> b1 = Integer.parseInt(v);
                case "--epochs2" -> e2 = Integer.parseInt(v);
                case "--lr2" -> lr2 = Float.parseFloat(v);
                case "--batch2" -> b2 = Integer.parseInt(v);
                case "--lr" -> lr = Float.parseFloat(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--val" -> val = Double.parseDouble(v);
                case "--seeds" -> seeds = Arrays.stream(v.split(",")).mapToLong(
                        s -> Long.parseLong(s.trim())).toArray();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!(val > 0 && val < 1)) {
            throw new IllegalArgumentException("--val must be in (0, 1), got " + val);
        }
        return new Config(dataset, basics, k, copies, hidden, new Phase(e1, lr1, b1),
                new Phase(e2, lr2, b2), lr == null ? lr2 : lr, batch == null ? b2 : batch, val,
                seeds, selection);
    }

    static Dataset basics(Config c, Dataset trainPart, Rng rng, Backend be) {
        return switch (c.basics()) {
            case GLYPHS -> {
                if (!c.dataset().endsWith("mnist") || c.dataset().endsWith("fashion-mnist")) {
                    throw new IllegalArgumentException("glyph basics are digits: use them with "
                            + "mnist, and a prototype rule for " + c.dataset());
                }
                yield GlyphBasics.render(c.glyphCopies(), rng);
            }
            case NEAREST_MEAN -> PrototypeBasics.select(trainPart, c.basicsPerClass(),
                    PrototypeBasics.Rule.NEAREST_MEAN, rng, be);
            case CONFIDENT_LINEAR -> PrototypeBasics.select(trainPart, c.basicsPerClass(),
                    PrototypeBasics.Rule.CONFIDENT_LINEAR, rng, be);
        };
    }

    private static Sequential mlp(Config c, Dataset train, Rng rng, Backend be) {
        return Architectures.mlp(be, rng.fork("init"), train.features(), c.hidden(),
                train.numClasses());
    }

    static Dataset load(String name, Datasets.Part part) throws IOException {
        if (name.startsWith("fixture:")) {
            return Datasets.fixture(name.substring("fixture:".length()), part);
        }
        return switch (name) {
            case "mnist" -> Datasets.mnist(part);
            case "fashion-mnist" -> Datasets.fashionMnist(part);
            default -> throw new IllegalArgumentException("dataset must be mnist, fashion-mnist "
                    + "or fixture:NAME, got '" + name + "'");
        };
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    private static double sd(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double m = mean(x), s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }
}
