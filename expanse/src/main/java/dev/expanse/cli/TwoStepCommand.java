package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.train.TwoStep.Phase;
import dev.expanse.method.train.TwoStepBasicsComparison;
import dev.expanse.method.train.TwoStepComparison;
import dev.expanse.method.train.TwoStepComparison.Config;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code expanse two-step}: two-step training (basics, then basics + data) against one-step
 * training ({@link TwoStepComparison}), or with {@code --compare-basics} the kinds of basics
 * against each other as step 1 ({@link TwoStepBasicsComparison}). The defaults are
 * {@link Config#defaults()}, the setting of docs/basics.md.
 */
@Command(name = "two-step", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Compare two-step training with one-step training over several seeds.",
                "Prints a markdown table. Two-step: step 1 on the basics alone, step 2 on the basics + the training data; one-step: the training "
                        + "data alone, for the same number of optimizer steps. Both arms are an MLP from the same "
                        + "initial weights (see docs/basics.md; the defaults are its setting).",
                "With --compare-basics: train step 1 alone on each kind of basics (random examples, nearest-mean, "
                        + "confident-linear, glyphs for mnist) and compare their validation accuracy; only --epochs1, "
                        + "--lr1, --batch1, --k, --glyph-copies, --hidden, --val and --seeds apply.",
                "Example: expanse two-step --dataset mnist --basics glyphs --seeds 1,2,3"})
final class TwoStepCommand implements Callable<Integer>, Checked {
    private static final Config D = Config.defaults();

    @Mixin
    DatasetOption dataset;

    @Mixin
    FixturesOption fixtures;

    @Option(names = "--basics", description = "Step 1's basics: glyphs (digits rendered from the installed fonts, mnist only), "
            + "nearest-mean or confident-linear (prototypes of the training data), or auto (glyphs for mnist, else nearest-mean). "
            + "Default: ${DEFAULT-VALUE}")
    String basics = D.basics().cliName();

    @Option(names = "--k", paramLabel = "N", description = "Prototype basics per class. Default: ${DEFAULT-VALUE}")
    int basicsPerClass = D.basicsPerClass();

    @Mixin
    GlyphCopiesOption glyphCopies;

    @Option(names = "--hidden", split = ",", paramLabel = "WIDTH", description = "Hidden widths of the MLP. Default: ${DEFAULT-VALUE}")
    int[] hidden = D.hidden();

    @Option(names = "--epochs1", paramLabel = "N", description = "Step 1 (basics alone): epochs. Default: ${DEFAULT-VALUE}")
    int epochs1 = D.step1().epochs();

    @Option(names = "--lr1", paramLabel = "RATE", description = "Step 1: Adam learning rate. Default: ${DEFAULT-VALUE}")
    float lr1 = D.step1().learningRate();

    @Option(names = "--batch1", paramLabel = "N", description = "Step 1: mini-batch size. Default: ${DEFAULT-VALUE}")
    int batch1 = D.step1().batchSize();

    @Option(names = "--epochs2", paramLabel = "N", description = "Step 2 (basics + the training data): epochs. Default: ${DEFAULT-VALUE}")
    int epochs2 = D.step2().epochs();

    @Option(names = "--lr2", paramLabel = "RATE", description = "Step 2: Adam learning rate. Default: ${DEFAULT-VALUE}")
    float lr2 = D.step2().learningRate();

    @Option(names = "--batch2", paramLabel = "N", description = "Step 2: mini-batch size. Default: ${DEFAULT-VALUE}")
    int batch2 = D.step2().batchSize();

    @Option(names = "--lr", paramLabel = "RATE", description = "The one-step baseline's Adam learning rate. Default: that of --lr2.")
    Float oneStepLr;

    @Option(names = "--batch", paramLabel = "N", description = "The one-step baseline's mini-batch size. Default: that of --batch2.")
    Integer oneStepBatch;

    @Option(names = "--val", paramLabel = "FRACTION", description = "Share of the training data held out for validation. Default: ${DEFAULT-VALUE}")
    double validation = D.validationFraction();

    @Mixin
    SeedsOption seeds;

    @Option(names = "--selection", description = "Score on the validation split and never load the test set (for choosing hyper-parameters).")
    boolean selection;

    @Option(names = "--compare-basics", description = "Compare the kinds of basics as step 1 instead (see above).")
    boolean compareBasics;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    @Override
    public void check() {
        config();
    }

    @Override
    public Integer call() throws Exception {
        Config c = config();
        Progress progress = quiet.progress();
        try (Backend be = backend.open()) {
            if (compareBasics) {
                List<TwoStepBasicsComparison.Curves> curves = TwoStepBasicsComparison.run(c, be, progress);
                System.out.println(TwoStepBasicsComparison.describe(c));
                System.out.println();
                System.out.print(TwoStepBasicsComparison.markdown(curves));
            } else {
                List<TwoStepComparison.Row> rows = TwoStepComparison.run(c, be, progress);
                System.out.println(TwoStepComparison.describe(c, rows));
                System.out.println();
                System.out.print(TwoStepComparison.markdown(c, rows));
            }
        }
        return 0;
    }

    /** The comparison the options describe; the baseline takes step 2's settings unless told otherwise. */
    Config config() {
        Basics.Kind kind = Args.option("--basics", () -> Basics.Kind.parse(basics));
        Phase step1 = Args.option("--epochs1, --lr1, --batch1", () -> new Phase(epochs1, lr1, batch1));
        Phase step2 = Args.option("--epochs2, --lr2, --batch2", () -> new Phase(epochs2, lr2, batch2));
        return new Config(dataset.get(), fixtures.on, kind, basicsPerClass, glyphCopies.copies,
                hidden, step1, step2, oneStepLr == null ? lr2 : oneStepLr, oneStepBatch == null ? batch2 : oneStepBatch,
                validation, seeds.array(), selection);
    }
}
