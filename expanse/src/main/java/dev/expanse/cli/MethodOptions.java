package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.scenario.SavedModels;
import dev.expanse.method.scenario.ScenarioRunner;
import dev.expanse.method.stream.StreamRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by {@code expanse scenario} and {@code expanse suite}. */
final class MethodOptions {
    private static final Hyper D = Hyper.defaults();

    @Option(names = "--out", required = true, description = "Output folder for report.md, results.csv and the PNG plots (created if needed).")
    Path out;

    @Option(names = "--save-models", paramLabel = "DIR", description = "Also save every source network and every strategy's final network here, as checkpoints (<cell>-<strategy>-seed<k>.safetensors).")
    Path saveModels;

    /** A runner on {@code be} that saves models when {@code --save-models} is given. */
    ScenarioRunner runner(Backend be, Function<DataSource, Basics> basics, Progress progress) {
        ScenarioRunner r = new ScenarioRunner(be, basics, progress);
        return saveModels == null ? r : r.savingModels(new SavedModels(saveModels));
    }

    /** A stream runner on {@code be} that saves models when {@code --save-models} is given. */
    StreamRunner streamRunner(Backend be, Function<DataSource, Basics> basics, Progress progress) {
        StreamRunner r = new StreamRunner(be, basics, progress);
        return saveModels == null ? r : r.savingModels(saveModels);
    }

    @Mixin
    SeedsOption seeds;

    @Mixin
    FixturesOption fixtures;

    @Option(names = "--epochs-basics", description = "Source step A: epochs on basics alone. Default: ${DEFAULT-VALUE}")
    int basicsEpochs = D.basicsEpochs();

    @Option(names = "--epochs-source", description = "Source step B: epochs on basics + real source data. Default: ${DEFAULT-VALUE}")
    int sourceEpochs = D.sourceEpochs();

    @Option(names = "--epochs-target", description = "Target phase epochs. Default: ${DEFAULT-VALUE}")
    int targetEpochs = D.targetEpochs();

    @Option(names = "--batch-source", description = "Mini-batch size of the source steps. Default: ${DEFAULT-VALUE}")
    int sourceBatch = D.sourceBatch();

    @Option(names = "--batch-target", description = "Mini-batch size of the target phase. Default: ${DEFAULT-VALUE}")
    int targetBatch = D.targetBatch();

    @Mixin
    LearningRateOption lr;

    @Option(names = "--validation", description = "Fraction of each training set held out for validation. Default: ${DEFAULT-VALUE}")
    double validation = D.validation();

    @Option(names = "--balance", negatable = true, description = "Target phase of a split: repeat the source-side data (basics + rehearsed) so source classes weigh as much as target classes. Default: ${DEFAULT-VALUE}")
    boolean balance = D.balance();

    @Option(names = "--cosine", negatable = true, description = "Cosine learning-rate decay within each phase. Default: ${DEFAULT-VALUE}")
    boolean cosine = D.cosine();

    @Option(names = "--calibrate", negatable = true, description = "After the target phase of a split, rescale and shift the target classes' logits for the best validation accuracy (bias correction). Default: ${DEFAULT-VALUE}")
    boolean calibrate = D.calibrate();

    @Option(names = "--basics", description = "Basics: auto (glyphs for MNIST, nearest-mean prototypes otherwise), glyphs (digits rendered from the installed fonts), nearest-mean or confident-linear (prototypes of the training data). Default: ${DEFAULT-VALUE}")
    String basics = "auto";

    @Option(names = "--basics-per-class", description = "Prototype basics per class. Default: ${DEFAULT-VALUE}")
    int basicsPerClass = 36;

    @Mixin
    GlyphCopiesOption glyphCopies;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    /** The training settings; {@link Hyper} checks them, naming the options. */
    Hyper hyper() {
        return new Hyper(basicsEpochs, sourceEpochs, targetEpochs, sourceBatch, targetBatch, lr.rate, validation,
                balance, cosine, calibrate);
    }

    /** Checks, before any training, that the output folder is one (or can be made) and takes files. */
    void checkOut() {
        OutputPaths.folder("--out", out);
    }

    /**
     * The basics of each of {@code datasets}, made now so that a bad choice fails before any
     * training (e.g. glyphs for Fashion-MNIST).
     */
    Function<DataSource, Basics> basics(List<DataSource> datasets) {
        Basics.Kind kind = Args.option("--basics", () -> Basics.Kind.parse(basics));
        int perClass = Args.atLeast("--basics-per-class", basicsPerClass, 1);
        int copies = Args.atLeast("--glyph-copies", glyphCopies.copies, 1);
        Map<DataSource, Basics> byData = new EnumMap<>(DataSource.class);
        for (DataSource ds : datasets) byData.put(ds, Args.option("--basics " + basics, () -> kind.of(ds, perClass, copies)));
        return byData::get;
    }
}
