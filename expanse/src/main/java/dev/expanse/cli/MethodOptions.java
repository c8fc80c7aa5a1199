package dev.expanse.cli;

import dev.expanse.method.basics.PrototypeBasics;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.scenario.Hyper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** Options shared by {@code expanse scenario} and {@code expanse suite}. */
final class MethodOptions {
    private static final Hyper D = Hyper.defaults();

    @Option(names = "--out", required = true, description = "Output folder for report.md, results.csv and the PNG plots (created if needed).")
    Path out;

    @Option(names = "--seeds", split = ",", description = "Comma-separated seeds; results are mean ± sd over them. Default: ${DEFAULT-VALUE}")
    List<Long> seeds = List.of(1L, 2L, 3L);

    @Option(names = "--fixtures", description = "Use the small committed fixtures (600 training images) instead of the full datasets: a quick smoke run.")
    boolean fixtures;

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

    @Option(names = "--lr", description = "Adam learning rate. Default: ${DEFAULT-VALUE}")
    float lr = D.learningRate();

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

    @Option(names = "--glyph-copies", description = "Glyph basics: copies of each rendered digit (the first clean, the others jittered). Default: ${DEFAULT-VALUE}")
    int glyphCopies = 2;

    @Option(names = "--backend", description = "cpu, opencl, opencl:<device>, or auto. Default: ${DEFAULT-VALUE}")
    String backend = "auto";

    /** The training settings, with errors naming the option at fault. */
    Hyper hyper() {
        positive("--epochs-source", sourceEpochs);
        positive("--epochs-target", targetEpochs);
        positive("--batch-source", sourceBatch);
        positive("--batch-target", targetBatch);
        if (basicsEpochs < 0) throw new IllegalArgumentException("--epochs-basics must be >= 0, got " + basicsEpochs);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (!(validation > 0 && validation < 1)) throw new IllegalArgumentException("--validation must be in (0, 1), got " + validation);
        return new Hyper(basicsEpochs, sourceEpochs, targetEpochs, sourceBatch, targetBatch, lr, validation, balance, cosine, calibrate);
    }

    /** Checks the seeds and the output folder. */
    void check() {
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: give at least one seed");
        if (seeds.stream().distinct().count() != seeds.size()) throw new IllegalArgumentException("--seeds: a seed repeats in " + seeds);
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IllegalArgumentException("--out: " + out + " exists and is not a folder");
        positive("--basics-per-class", basicsPerClass);
        positive("--glyph-copies", glyphCopies);
        basics();
    }

    /** The basics of each dataset. */
    Function<DataSource, Basics> basics() {
        Basics glyphs = Basics.glyphs(glyphCopies);
        Basics nearest = Basics.prototypes(basicsPerClass, PrototypeBasics.Rule.NEAREST_MEAN);
        Basics confident = Basics.prototypes(basicsPerClass, PrototypeBasics.Rule.CONFIDENT_LINEAR);
        return switch (basics) {
            case "auto" -> ds -> ds == DataSource.MNIST ? glyphs : nearest;
            case "glyphs" -> ds -> {
                if (ds != DataSource.MNIST) throw new IllegalArgumentException("--basics glyphs: rendered digits suit mnist only, not " + ds.id());
                return glyphs;
            };
            case "nearest-mean" -> ds -> nearest;
            case "confident-linear" -> ds -> confident;
            default -> throw new IllegalArgumentException("--basics: unknown basics '" + basics
                    + "' (auto, glyphs, nearest-mean, confident-linear)");
        };
    }

    private static void positive(String option, int v) {
        if (v < 1) throw new IllegalArgumentException(option + " must be >= 1, got " + v);
    }
}
